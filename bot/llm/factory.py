"""Settings -> engine: the one place that picks the provider, the cache and the limits."""

from __future__ import annotations

import ssl

import httpx

from bot.config import Settings
from bot.llm.cache import RedisVerdictCache, SQLiteVerdictCache, VerdictCache
from bot.llm.engine import EngineConfig, LLMEngine
from bot.llm.providers.gigachat import GigaChatProvider, authorization_key
from bot.llm.providers.openai import OpenAIProvider
from bot.llm.resilience import ChatProvider, CircuitBreaker, RateLimiter, ResilientClient, RetryPolicy

CACHE_FILE = "llm-cache.sqlite3"


class LLMConfigError(ValueError):
    """The LLM settings cannot work (e.g. a provider without a model)."""


def build_cache(settings: Settings) -> VerdictCache:
    """Redis when ``SYNBOT_REDIS_URL`` is set, else SQLite under ``SYNBOT_DATA_DIR``."""
    if settings.redis_url:
        return RedisVerdictCache.from_url(settings.redis_url, ttl_s=settings.llm_cache_ttl_s)
    return SQLiteVerdictCache(settings.data_dir / CACHE_FILE)


def build_http(settings: Settings) -> httpx.AsyncClient:
    """An HTTP client with the configured timeout and CA bundle (GigaChat needs the Russian root CA)."""
    verify: ssl.SSLContext | bool = True
    if settings.llm_ca_bundle:
        verify = ssl.create_default_context(cafile=settings.llm_ca_bundle)
    limits = httpx.Limits(max_connections=max(4, settings.llm_max_concurrency * 2))
    return httpx.AsyncClient(timeout=settings.llm_timeout_s, verify=verify, limits=limits)


def build_provider(settings: Settings, http: httpx.AsyncClient) -> ChatProvider:
    key = settings.llm_api_key.get_secret_value()
    if settings.llm_provider == "gigachat":
        if not key and settings.llm_client_id:
            key = authorization_key(settings.llm_client_id, settings.llm_client_secret.get_secret_value())
        if not key:
            raise LLMConfigError(
                "gigachat needs SYNBOT_LLM_API_KEY (authorization key) or client id and secret"
            )
        return GigaChatProvider(
            http,
            credentials=key,
            scope=settings.llm_scope,
            base_url=settings.llm_base_url,
            auth_url=settings.llm_auth_url,
        )
    return OpenAIProvider(
        http, base_url=settings.llm_base_url, api_key=key, structured=settings.llm_structured_output
    )


def engine_config(settings: Settings, *, model: str | None = None) -> EngineConfig:
    chosen = model or settings.llm_model or ("GigaChat" if settings.llm_provider == "gigachat" else "")
    if not chosen:
        raise LLMConfigError("SYNBOT_LLM_MODEL is not set")
    return EngineConfig(
        model=chosen,
        batch_size=settings.llm_batch_size,
        max_prompt_tokens=settings.llm_max_prompt_tokens,
        fallback_model=settings.llm_fallback_model,
        vote_models=tuple(settings.llm_vote_models),
        low_confidence=settings.llm_low_confidence,
        min_confidence=settings.llm_min_confidence,
        prompt_versions=dict(settings.llm_prompt_versions),
    )


def build_engine(
    settings: Settings, *, http: httpx.AsyncClient | None = None, cache: VerdictCache | None = None
) -> LLMEngine | None:
    """The engine for the configured provider, or ``None`` for provider ``none``.

    An ``http`` client passed in stays the caller's; one built here is closed by ``engine.aclose()``.
    """
    if settings.llm_provider == "none":
        return None
    config = engine_config(settings)
    owned = http is None
    client = http or build_http(settings)
    resilient = ResilientClient(
        build_provider(settings, client),
        policy=RetryPolicy(attempts=settings.llm_retries),
        limiter=RateLimiter(settings.llm_requests_per_minute),
        breaker=CircuitBreaker(
            threshold=settings.llm_breaker_threshold, cooldown_s=settings.llm_breaker_cooldown_s
        ),
        max_concurrency=settings.llm_max_concurrency,
    )
    return LLMEngine(resilient, cache or build_cache(settings), config, http=client if owned else None)
