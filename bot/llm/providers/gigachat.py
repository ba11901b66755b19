"""GigaChat: OAuth client credentials, chat completions, token counting.

The authorization key (base64 of ``client_id:client_secret``) and a scope
(``GIGACHAT_API_PERS``, ``GIGACHAT_API_B2B``, ``GIGACHAT_API_CORP``) buy a 30-minute access
token from ``POST /api/v2/oauth`` (with a fresh ``RqUID``); the token is refreshed a
minute before ``expires_at`` (milliseconds) and once more on a 401.
"""

from __future__ import annotations

import asyncio
import base64
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from bot.llm.errors import LLMAnswerInvalid, LLMHTTPError
from bot.llm.providers.http import send
from bot.llm.wire import ChatRequest, ChatResult, chat_body, parse_chat_response

DEFAULT_BASE_URL = "https://gigachat.devices.sberbank.ru"
DEFAULT_AUTH_URL = "https://ngw.devices.sberbank.ru:9443/api/v2/oauth"
REFRESH_MARGIN_S = 60.0


@dataclass(frozen=True, slots=True)
class AccessToken:
    value: str
    expires_at_s: float

    def fresh(self, now: float, *, margin_s: float = REFRESH_MARGIN_S) -> bool:
        return now + margin_s < self.expires_at_s


class _TokenAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    access_token: str
    expires_at: int


class _Count(BaseModel):
    model_config = ConfigDict(extra="ignore")
    tokens: int


_COUNTS = TypeAdapter(list[_Count])


def authorization_key(client_id: str, client_secret: str) -> str:
    """The key GigaChat's console shows, built from the client credentials."""
    return base64.b64encode(f"{client_id}:{client_secret}".encode()).decode("ascii")


def parse_token_answer(body: bytes) -> AccessToken:
    """``{"access_token": ..., "expires_at": <ms>}`` -> :class:`AccessToken`."""
    try:
        answer = _TokenAnswer.model_validate_json(body)
    except ValidationError as exc:
        raise LLMAnswerInvalid("GigaChat OAuth answer without access_token/expires_at") from exc
    expires = answer.expires_at / 1000 if answer.expires_at > 10**11 else float(answer.expires_at)
    return AccessToken(value=answer.access_token, expires_at_s=expires)


def parse_token_counts(body: bytes) -> list[int]:
    """``[{"object": "tokens", "tokens": n, "characters": m}, ...]`` -> ``[n, ...]``."""
    try:
        return [c.tokens for c in _COUNTS.validate_json(body)]
    except ValidationError as exc:
        raise LLMAnswerInvalid("GigaChat tokens/count answer is not a list of counts") from exc


def _base(url: str) -> str:
    return (url or DEFAULT_BASE_URL).rstrip("/").removesuffix("/api/v1")


class GigaChatProvider:
    name = "gigachat"

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        credentials: str,
        scope: str = "GIGACHAT_API_PERS",
        base_url: str = "",
        auth_url: str = "",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self._credentials = credentials
        self._scope = scope
        self._base = _base(base_url)
        self._auth_url = auth_url or DEFAULT_AUTH_URL
        self._clock = clock
        self._token: AccessToken | None = None
        self._lock = asyncio.Lock()
        self.token_requests = 0

    async def _access_token(self, *, renew: bool = False) -> str:
        async with self._lock:
            if renew or self._token is None or not self._token.fresh(self._clock()):
                headers = {
                    "Authorization": f"Basic {self._credentials}",
                    "RqUID": str(uuid.uuid4()),
                    "Accept": "application/json",
                }
                response = await send(
                    self._http, self._auth_url, headers=headers, data={"scope": self._scope}
                )
                self.token_requests += 1
                self._token = parse_token_answer(response.content)
            return self._token.value

    async def _post(self, path: str, payload: object) -> httpx.Response:
        url = f"{self._base}{path}"
        for renew in (False, True):
            headers = {
                "Authorization": f"Bearer {await self._access_token(renew=renew)}",
                "Accept": "application/json",
            }
            try:
                return await send(self._http, url, headers=headers, json=payload)
            except LLMHTTPError as exc:
                if exc.status != 401 or renew:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def chat(self, request: ChatRequest) -> ChatResult:
        response = await self._post("/api/v1/chat/completions", chat_body(request, structured=False))
        return parse_chat_response(response.content)

    async def count_tokens(self, texts: Sequence[str], *, model: str) -> list[int] | None:
        response = await self._post("/api/v1/tokens/count", {"model": model, "input": list(texts)})
        return parse_token_counts(response.content)
