"""LLM errors: transport and answer problems are translated once, at the provider edge."""

from __future__ import annotations


class LLMError(Exception):
    """Base of every LLM failure synbot reports."""


class LLMHTTPError(LLMError):
    """The endpoint answered with an error status; ``retry_after`` is in seconds when it said so."""

    def __init__(self, status: int, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        return self.status in (408, 409, 425, 429) or self.status >= 500


class LLMTransportError(LLMError):
    """The request never got an answer (connection refused, timeout)."""


class LLMAnswerInvalid(LLMError):
    """The answer is not the JSON we asked for."""


class LLMUnavailable(LLMError):
    """The provider stays down (retries exhausted or circuit open): carry on without the LLM."""
