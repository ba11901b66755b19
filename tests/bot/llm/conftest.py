"""Shared set-up of the LLM tests: a loopback stand-in and engines wired to it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from bot.llm.cache import SQLiteVerdictCache, VerdictCache
from bot.llm.engine import EngineConfig, LLMEngine
from bot.llm.providers.openai import OpenAIProvider
from bot.llm.resilience import ChatProvider, CircuitBreaker, RateLimiter, ResilientClient, RetryPolicy
from tests.standins.llm_server import LLMStandIn

T = TypeVar("T")
SAMPLES = Path(__file__).parents[2] / "samples" / "llm"


def run(coro: Awaitable[T]) -> T:
    return asyncio.run(coro)  # type: ignore[arg-type]


class SleepRecorder:
    """Records backoff waits and sleeps only a token amount, so retry tests stay fast."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


@pytest.fixture
def llm() -> Iterator[LLMStandIn]:
    with LLMStandIn() as stand_in:
        yield stand_in


def make_engine(
    provider: ChatProvider,
    *,
    cache: VerdictCache | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
    attempts: int = 3,
    breaker: CircuitBreaker | None = None,
    concurrency: int = 4,
    rpm: int = 0,
    **config: Any,
) -> LLMEngine:
    client = ResilientClient(
        provider,
        policy=RetryPolicy(attempts=attempts, base_delay_s=0.01, max_delay_s=0.05),
        limiter=RateLimiter(rpm),
        breaker=breaker or CircuitBreaker(threshold=3, cooldown_s=60),
        max_concurrency=concurrency,
        sleep=sleep or SleepRecorder(),
    )
    engine_config = EngineConfig(**{"model": "m1", **config})
    return LLMEngine(client, cache or SQLiteVerdictCache(":memory:"), engine_config)


async def with_openai(
    stand_in: LLMStandIn, body: Callable[[LLMEngine], Awaitable[T]], *, timeout: float = 5.0, **kwargs: Any
) -> T:
    """Run ``body`` with an engine talking to the stand-in through a real httpx client."""
    async with httpx.AsyncClient(timeout=timeout) as http:
        engine = make_engine(OpenAIProvider(http, base_url=stand_in.openai_url), **kwargs)
        try:
            return await body(engine)
        finally:
            await engine.aclose()
