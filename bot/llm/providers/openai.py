"""Any OpenAI-compatible chat-completions endpoint: vLLM, Ollama, OpenAI, DeepSeek.

JSON Schema output is asked for through ``response_format``; an endpoint that refuses the
field with a 400 is asked again without it, and from then on the answer's JSON is
extracted from the text.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import httpx

from bot.llm.errors import LLMHTTPError
from bot.llm.providers.http import send
from bot.llm.wire import ChatRequest, ChatResult, chat_body, parse_chat_response

log = logging.getLogger(__name__)
DEFAULT_BASE_URL = "https://api.openai.com/v1"


class OpenAIProvider:
    name = "openai"

    def __init__(
        self, http: httpx.AsyncClient, *, base_url: str = "", api_key: str = "", structured: bool = True
    ) -> None:
        self._http = http
        self._url = (base_url or DEFAULT_BASE_URL).rstrip("/") + "/chat/completions"
        self._headers = {"Accept": "application/json"}
        if api_key:
            self._headers["Authorization"] = f"Bearer {api_key}"
        self.structured = structured

    async def chat(self, request: ChatRequest) -> ChatResult:
        structured = self.structured and request.schema is not None
        try:
            response = await send(
                self._http, self._url, headers=self._headers, json=chat_body(request, structured=structured)
            )
        except LLMHTTPError as exc:
            if not (structured and exc.status in (400, 422)):
                raise
            log.info("endpoint refused response_format (%s); extracting JSON from text instead", exc.status)
            self.structured = False
            response = await send(
                self._http, self._url, headers=self._headers, json=chat_body(request, structured=False)
            )
        return parse_chat_response(response.content)

    async def count_tokens(self, texts: Sequence[str], *, model: str) -> list[int] | None:
        """OpenAI-compatible endpoints have no counting endpoint: the engine estimates."""
        return None
