"""Staying polite and staying up: retries with backoff, a request rate, a circuit breaker.

A provider that keeps failing must not stall a review: after ``threshold`` failed calls the
breaker opens and every call fails at once with :class:`LLMUnavailable`, so the review posts
its deterministic findings and says the LLM was unavailable. After ``cooldown_s`` one trial
call is let through (half-open); its success closes the breaker again.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from bot.llm import metrics
from bot.llm.errors import LLMAnswerInvalid, LLMError, LLMHTTPError, LLMTransportError, LLMUnavailable
from bot.llm.wire import ChatRequest, ChatResult

log = logging.getLogger(__name__)
T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


class ChatProvider(Protocol):
    """What the engine needs from a provider: one chat call, and token counts when it has them."""

    name: str

    async def chat(self, request: ChatRequest) -> ChatResult: ...

    async def count_tokens(self, texts: Sequence[str], *, model: str) -> list[int] | None: ...


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 4
    base_delay_s: float = 0.5
    max_delay_s: float = 20.0
    max_retry_after_s: float = 60.0


def is_transient(exc: BaseException) -> bool:
    """Worth another try: throttling, server errors, lost connections, garbled envelopes."""
    if isinstance(exc, LLMHTTPError):
        return exc.transient
    return isinstance(exc, LLMTransportError | LLMAnswerInvalid)


def backoff_delay(policy: RetryPolicy, *, attempt: int, error: BaseException | None, jitter: float) -> float:
    """Seconds before retry number ``attempt`` (1-based); ``jitter`` is uniform in [0, 1).

    A ``Retry-After`` from the server wins (capped, plus a little jitter so that clients
    do not return in lockstep); otherwise exponential backoff with equal jitter.
    """
    if isinstance(error, LLMHTTPError) and error.retry_after is not None:
        return min(error.retry_after, policy.max_retry_after_s) + jitter * policy.base_delay_s / 2
    ceiling = min(policy.max_delay_s, policy.base_delay_s * 2.0 ** (attempt - 1))
    return ceiling / 2 + jitter * ceiling / 2


class RateLimiter:
    """At most ``per_minute`` request starts a minute, evenly spaced."""

    def __init__(
        self, per_minute: int, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        self._interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self._interval
        if slot > now:
            await self._sleep(slot - now)


class CircuitBreaker:
    """Closed, open after ``threshold`` consecutive failures, half-open after ``cooldown_s``."""

    def __init__(
        self, *, threshold: int = 3, cooldown_s: float = 60.0, clock: Clock = time.monotonic
    ) -> None:
        self._threshold = max(1, threshold)
        self._cooldown = cooldown_s
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None

    @property
    def state(self) -> str:
        if self._opened_at is None:
            return "closed"
        return "half-open" if self._clock() - self._opened_at >= self._cooldown else "open"

    def allow(self) -> bool:
        return self.state != "open"

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None
        metrics.CIRCUIT_OPEN.set(0)

    def record_failure(self) -> None:
        self._failures += 1
        if self._failures >= self._threshold:
            self._opened_at = self._clock()
            metrics.CIRCUIT_OPEN.set(1)


class ResilientClient:
    """A provider behind the concurrency limit, the rate limit, retries and the breaker."""

    def __init__(
        self,
        provider: ChatProvider,
        *,
        policy: RetryPolicy,
        limiter: RateLimiter,
        breaker: CircuitBreaker,
        max_concurrency: int,
        sleep: Sleep = asyncio.sleep,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.provider = provider
        self.breaker = breaker
        self._policy = policy
        self._limiter = limiter
        self._semaphore = asyncio.Semaphore(max(1, max_concurrency))
        self._sleep = sleep
        self._rand = rand

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome is not None else None
        return backoff_delay(self._policy, attempt=state.attempt_number, error=error, jitter=self._rand())

    async def _retrying(self, call: Callable[[], Awaitable[T]]) -> T:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(max(1, self._policy.attempts)),
            wait=self._wait,
            retry=retry_if_exception(is_transient),
            sleep=self._sleep,
            reraise=True,
            before_sleep=lambda s: log.warning(
                "LLM call failed (%s), retry %d",
                s.outcome.exception() if s.outcome else "?",
                s.attempt_number,
            ),
        )
        async for attempt in retrying:
            with attempt:
                await self._limiter.acquire()
                return await call()
        raise AssertionError("unreachable: tenacity reraises")  # pragma: no cover

    async def chat(self, request: ChatRequest) -> ChatResult:
        """One chat call, or :class:`LLMUnavailable` when the provider cannot be reached."""
        if not self.breaker.allow():
            metrics.call(self.provider.name, "error")
            raise LLMUnavailable("circuit breaker open: the LLM provider kept failing")
        async with self._semaphore:
            try:
                result = await self._retrying(lambda: self.provider.chat(request))
            except LLMError as exc:
                self.breaker.record_failure()
                outcome = "timeout" if "timeout" in str(exc) else "error"
                metrics.call(self.provider.name, outcome)
                raise LLMUnavailable(str(exc)) from exc
        self.breaker.record_success()
        return result

    async def count_tokens(self, texts: Sequence[str], *, model: str) -> list[int] | None:
        """The provider's token counts, or ``None`` (then the caller estimates)."""
        if not self.breaker.allow():
            return None
        try:
            await self._limiter.acquire()
            counts = await self.provider.count_tokens(texts, model=model)
        except LLMError as exc:
            log.info("token count failed, estimating instead: %s", exc)
            return None
        if counts is not None and len(counts) != len(texts):
            return None
        return counts
