from __future__ import annotations

import asyncio
import time

from bot.llm.errors import LLMHTTPError
from bot.llm.resilience import CircuitBreaker, RateLimiter, RetryPolicy, backoff_delay
from tests.bot.llm.conftest import run


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_retry_after_from_the_server_wins_over_backoff() -> None:
    policy = RetryPolicy(base_delay_s=0.5)
    error = LLMHTTPError(429, "slow down", retry_after=7.0)
    assert 7.0 <= backoff_delay(policy, attempt=1, error=error, jitter=0.99) < 7.5


def test_retry_after_is_capped() -> None:
    error = LLMHTTPError(429, "slow down", retry_after=3600)
    assert backoff_delay(RetryPolicy(max_retry_after_s=60), attempt=1, error=error, jitter=0) == 60


def test_backoff_grows_exponentially_with_jitter_inside_the_ceiling() -> None:
    policy = RetryPolicy(base_delay_s=1.0, max_delay_s=10.0)
    assert backoff_delay(policy, attempt=1, error=None, jitter=0) == 0.5
    assert backoff_delay(policy, attempt=3, error=None, jitter=0.999) <= 4.0
    assert backoff_delay(policy, attempt=3, error=None, jitter=0) == 2.0
    assert backoff_delay(policy, attempt=10, error=None, jitter=0.999) <= 10.0


def test_breaker_opens_after_threshold_failures_and_half_opens_after_cooldown() -> None:
    clock = Clock()
    breaker = CircuitBreaker(threshold=2, cooldown_s=30, clock=clock)
    breaker.record_failure()
    assert breaker.allow()
    breaker.record_failure()
    assert not breaker.allow()
    clock.now += 31
    assert breaker.state == "half-open" and breaker.allow()
    breaker.record_failure()
    assert not breaker.allow()
    clock.now += 31
    breaker.record_success()
    assert breaker.state == "closed"


def test_rate_limiter_spaces_request_starts() -> None:
    async def go() -> float:
        limiter = RateLimiter(600)  # one start per 0.1 s
        start = time.monotonic()
        await asyncio.gather(*(limiter.acquire() for _ in range(4)))
        return time.monotonic() - start

    assert run(go()) >= 0.29
