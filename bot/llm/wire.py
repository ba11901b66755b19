"""Chat-completions wire format, without I/O.

Building the request body and reading the answer are pure functions so that they are
tested with captured samples; providers only move the bytes.
"""

from __future__ import annotations

import email.utils
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.llm.errors import LLMAnswerInvalid

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True, slots=True)
class Message:
    role: Role
    content: str


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """One chat call: the model, the messages and, optionally, the JSON Schema of the answer."""

    model: str
    messages: tuple[Message, ...]
    schema_name: str = "answer"
    schema: dict[str, Any] | None = field(default=None, hash=False, compare=False)
    temperature: float = 0.0
    max_tokens: int | None = None


@dataclass(frozen=True, slots=True)
class ChatResult:
    """The answer text and what it cost."""

    content: str
    tokens_in: int
    tokens_out: int
    model: str = ""


def chat_body(request: ChatRequest, *, structured: bool) -> dict[str, Any]:
    """The JSON body of ``POST /chat/completions``; ``structured`` asks for JSON Schema output."""
    body: dict[str, Any] = {
        "model": request.model,
        "messages": [{"role": m.role, "content": m.content} for m in request.messages],
        "temperature": request.temperature,
        "stream": False,
    }
    if request.max_tokens is not None:
        body["max_tokens"] = request.max_tokens
    if structured and request.schema is not None:
        body["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": request.schema_name, "schema": request.schema, "strict": False},
        }
    return body


class _Usage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    prompt_tokens: int = 0
    completion_tokens: int = 0


class _ChoiceMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    content: str | None = None


class _Choice(BaseModel):
    model_config = ConfigDict(extra="ignore")
    message: _ChoiceMessage


class _Completion(BaseModel):
    model_config = ConfigDict(extra="ignore")
    model: str = ""
    choices: list[_Choice]
    usage: _Usage = _Usage()


def parse_chat_response(body: bytes) -> ChatResult:
    """Read a chat-completions answer; anything else is :class:`LLMAnswerInvalid`."""
    try:
        completion = _Completion.model_validate_json(body)
    except ValidationError as exc:
        raise LLMAnswerInvalid(f"not a chat completion: {exc.error_count()} errors") from exc
    if not completion.choices:
        raise LLMAnswerInvalid("chat completion without choices")
    content = completion.choices[0].message.content or ""
    return ChatResult(
        content=content,
        tokens_in=completion.usage.prompt_tokens,
        tokens_out=completion.usage.completion_tokens,
        model=completion.model,
    )


def extract_json(text: str) -> Any:
    """The JSON value in a model's answer: bare, in a ```json fence, or amid prose."""
    stripped = text.strip()
    try:
        return json.loads(stripped)
    except json.JSONDecodeError:
        pass
    decoder = json.JSONDecoder()
    best: Any = None
    best_len = 0
    start = 0
    while start < len(stripped):
        if stripped[start] not in "{[":
            start += 1
            continue
        try:
            value, end = decoder.raw_decode(stripped, start)
        except json.JSONDecodeError:
            start += 1
            continue
        if end - start > best_len:
            best, best_len = value, end - start
        start = end
    if best is None:
        raise LLMAnswerInvalid("no JSON value in the answer")
    return best


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def error_message(body: bytes, *, limit: int = 200) -> str:
    """A short, log-safe excerpt of an error body."""
    text = body.decode("utf-8", errors="replace").strip().replace("\n", " ")
    return text[:limit]
