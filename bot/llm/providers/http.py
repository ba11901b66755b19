"""The one place where httpx errors and error statuses become synbot's LLM errors."""

from __future__ import annotations

import time
from typing import Any

import httpx

from bot.llm.errors import LLMHTTPError, LLMTransportError
from bot.llm.wire import error_message, parse_retry_after


async def send(
    http: httpx.AsyncClient,
    url: str,
    *,
    headers: dict[str, str],
    json: Any = None,
    data: dict[str, str] | None = None,
) -> httpx.Response:
    """POST and return a 2xx response; anything else raises an :class:`LLMError` (no secrets in it)."""
    try:
        response = await http.post(url, headers=headers, json=json, data=data)
    except httpx.TimeoutException as exc:
        raise LLMTransportError(f"timeout talking to {httpx.URL(url).host}") from exc
    except httpx.HTTPError as exc:
        raise LLMTransportError(f"{type(exc).__name__} talking to {httpx.URL(url).host}") from exc
    if response.status_code >= 400:
        raise LLMHTTPError(
            response.status_code,
            error_message(response.content),
            retry_after=parse_retry_after(response.headers.get("retry-after"), now=time.time()),
        )
    return response
