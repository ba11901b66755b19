"""An OpenAI-compatible (and GigaChat-compatible) LLM stand-in on loopback.

It answers from a script keyed by the items it receives (the JSON lines of the last user
message), counts calls and tokens, and fails on demand: queue :class:`Fault` values and
each call consumes one. GigaChat's OAuth and ``tokens/count`` endpoints are served too.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs

from bot.llm.tokens import estimate_messages, estimate_tokens

FaultKind = Literal[
    "429",
    "500",
    "503",
    "401",
    "slow",
    "malformed",
    "prose",
    "missing",
    "extra",
    "duplicate",
    "invalid",
    "no_choices",
]
Answer = dict[str, Any]


@dataclass(frozen=True)
class Fault:
    """One failure for the next call: status codes, slowness, or a damaged answer."""

    kind: FaultKind
    retry_after: str | None = None  # for 429/503: the Retry-After header value
    delay_s: float = 0.0  # for slow
    count: int = 1  # for missing: how many items to drop (from the end)


def item_key(item: dict[str, Any]) -> str:
    """What the script is keyed by: the rule, or ``query | title``."""
    if "rule" in item:
        return str(item["rule"])
    return f"{item.get('query', '')} | {item.get('title', '')}"


def items_of(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The numbered items of the last user message."""
    users = [m for m in body.get("messages", []) if m.get("role") == "user"]
    if not users:
        return []
    items = []
    for line in str(users[-1].get("content", "")).splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict) and "id" in value:
                items.append(value)
    return items


def default_answer(item: dict[str, Any]) -> Answer:
    if "query" in item:
        return {"label": "exact", "confidence": 0.9, "reason": "stand-in"}
    return {"verdict": "valid", "confidence": 0.9, "reason": "stand-in"}


class LLMStandIn:
    """Start with ``with LLMStandIn() as llm:``; ``llm.openai_url`` is the ``/v1`` base URL."""

    def __init__(
        self,
        *,
        script: dict[str, Answer] | None = None,
        default: Callable[[dict[str, Any]], Answer | None] = default_answer,
        latency_s: float = 0.0,
        authorization_key: str = "c2VjcmV0LWlkOnNlY3JldA==",
        token_lifetime_s: float = 1800.0,
    ) -> None:
        self.script: dict[str, Answer] = dict(script or {})
        self.default = default
        self.latency_s = latency_s
        self.authorization_key = authorization_key
        self.token_lifetime_s = token_lifetime_s
        self.faults: deque[Fault] = deque()
        self.down = False
        self.accepts_response_format = True
        self.calls = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.token_requests = 0
        self.count_requests = 0
        self.requests: list[dict[str, Any]] = []
        self.oauth_requests: list[dict[str, str]] = []
        self._tokens: dict[str, float] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def openai_url(self) -> str:
        return self.url + "/v1"

    @property
    def oauth_url(self) -> str:
        return self.url + "/api/v2/oauth"

    def fail(self, *faults: Fault) -> None:
        self.faults.extend(faults)

    def __enter__(self) -> LLMStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- request handling (called from server threads) -----------------------------------

    def next_fault(self) -> Fault | None:
        with self._lock:
            return self.faults.popleft() if self.faults else None

    def chat(self, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        fault = self.next_fault()
        with self._lock:
            self.calls += 1
            self.requests.append(body)
        if self.latency_s:
            time.sleep(self.latency_s)
        if self.down:
            return 503, {}, b'{"error": "down"}'
        if fault is not None and fault.kind in ("429", "500", "503", "401"):
            headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
            return int(fault.kind), headers, json.dumps({"error": f"stand-in {fault.kind}"}).encode()
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay_s)
        if "response_format" in body and not self.accepts_response_format:
            return 400, {}, b'{"error": "response_format is not supported"}'
        items = items_of(body)
        entries = [e for e in (self._entry(item) for item in items) if e is not None]
        content = self._damage(entries, fault)
        prompt = estimate_messages([str(m.get("content", "")) for m in body.get("messages", [])])
        completion = estimate_tokens(content)
        with self._lock:
            self.prompt_tokens += prompt
            self.completion_tokens += completion
        if fault is not None and fault.kind == "no_choices":
            return 200, {}, b'{"choices": []}'
        answer = {
            "id": "chatcmpl-standin",
            "object": "chat.completion",
            "model": body.get("model", ""),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion},
        }
        return 200, {}, json.dumps(answer, ensure_ascii=False).encode()

    def _entry(self, item: dict[str, Any]) -> Answer | None:
        answer = self.script.get(item_key(item))
        if answer is None:
            answer = self.default(item)
        return None if answer is None else {"id": item["id"], **answer}

    @staticmethod
    def _damage(entries: list[Answer], fault: Fault | None) -> str:
        kind = fault.kind if fault is not None else None
        if kind == "malformed":
            return '{"items": [{"id": 1, "verdict": '
        if kind == "missing" and fault is not None:
            entries = entries[: max(0, len(entries) - fault.count)]
        elif kind == "extra":
            entries = [*entries, {"id": 999, "verdict": "valid", "label": "exact", "confidence": 0.9}]
        elif kind == "duplicate" and entries:
            entries = [*entries, {**entries[0], "verdict": "wrong_meaning"}]
        elif kind == "invalid" and entries:
            entries = [{**entries[0], "confidence": "very"}, *entries[1:]]
        text = json.dumps({"items": entries}, ensure_ascii=False)
        if kind == "prose":
            return f"Вот результат проверки:\n```json\n{text}\n```\nГотово."
        return text

    def oauth(self, headers: dict[str, str], form: dict[str, str]) -> tuple[int, bytes]:
        with self._lock:
            self.oauth_requests.append({**headers, **form})
        try:
            uuid.UUID(headers.get("rquid", ""))
        except ValueError:
            return 400, b'{"code": 5, "message": "RqUID is not a uuid"}'
        if headers.get("authorization") != f"Basic {self.authorization_key}":
            return 401, b'{"code": 6, "message": "bad credentials"}'
        if form.get("scope") not in ("GIGACHAT_API_PERS", "GIGACHAT_API_B2B", "GIGACHAT_API_CORP"):
            return 400, b'{"code": 7, "message": "scope"}'
        token = f"tok-{uuid.uuid4().hex}"
        expires = time.time() + self.token_lifetime_s
        with self._lock:
            self.token_requests += 1
            self._tokens[token] = expires
        return 200, json.dumps({"access_token": token, "expires_at": int(expires * 1000)}).encode()

    def authorized(self, header: str) -> bool:
        token = header.removeprefix("Bearer ")
        with self._lock:
            expires = self._tokens.get(token)
        return expires is not None and expires > time.time()

    def revoke_tokens(self) -> None:
        """Make every issued token invalid (the next call gets a 401)."""
        with self._lock:
            self._tokens.clear()

    def count(self, body: dict[str, Any]) -> bytes:
        with self._lock:
            self.count_requests += 1
        texts = [str(t) for t in body.get("input", [])]
        return json.dumps(
            [{"object": "tokens", "tokens": estimate_tokens(t), "characters": len(t)} for t in texts]
        ).encode()


def _handler(stand_in: LLMStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # silence
            pass

        def _reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
            path = self.path.split("?")[0]
            if path == "/api/v2/oauth":
                form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, body = stand_in.oauth(headers, form)
                self._reply(status, body)
                return
            if path.startswith("/api/") and not stand_in.authorized(self.headers.get("Authorization", "")):
                self._reply(401, b'{"code": 401, "message": "token expired"}')
                return
            try:
                payload = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                self._reply(400, b'{"error": "bad json"}')
                return
            if path in ("/v1/chat/completions", "/api/v1/chat/completions"):
                status, headers, body = stand_in.chat(payload)
                self._reply(status, body, headers)
            elif path == "/api/v1/tokens/count":
                self._reply(200, stand_in.count(payload))
            else:
                self._reply(404, b'{"error": "not found"}')

    return Handler
