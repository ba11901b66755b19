"""The LLM engine's Prometheus series, counted into the service registry (``bot.metrics``).

Shared series: ``synbot_llm_calls{provider,outcome}``, ``synbot_llm_tokens{provider,direction}``,
``synbot_cache_lookups{cache="llm",result}``. Engine-only series, on the same registry:
``synbot_llm_unanswered`` and ``synbot_llm_circuit_open``.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge

from bot import metrics as service

UNANSWERED = Counter(
    "synbot_llm_unanswered",
    "Items the LLM never answered validly (no verdict invented).",
    registry=service.REGISTRY,
)
CIRCUIT_OPEN = Gauge(
    "synbot_llm_circuit_open", "1 while the LLM circuit breaker is open.", registry=service.REGISTRY
)


def call(provider: str, outcome: str) -> None:
    """One chat call; outcome is ok, error, invalid or timeout."""
    service.LLM_CALLS.labels(provider=provider, outcome=outcome).inc()


def tokens(provider: str, *, prompt: int, completion: int) -> None:
    service.LLM_TOKENS.labels(provider=provider, direction="prompt").inc(prompt)
    service.LLM_TOKENS.labels(provider=provider, direction="completion").inc(completion)


def cache(*, hits: int, misses: int) -> None:
    service.CACHE_LOOKUPS.labels(cache="llm", result="hit").inc(hits)
    service.CACHE_LOOKUPS.labels(cache="llm", result="miss").inc(misses)
