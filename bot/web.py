"""The webhook service: verify, parse, dedupe, store the job, answer. Never GitLab or LLM work here.

GitLab waits about 10 s and disables a hook after repeated failures, so every payload synbot merely
ignores is acknowledged with 200, a stored job with 202, and only a store outage answers 5xx.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Annotated, Protocol

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse

from bot import metrics
from bot.config import Settings
from bot.events import MalformedEvent, known_kinds, parse_event
from bot.hooks import BotIdentity, Ignored, ReviewRequest, RouteContext, router

log = logging.getLogger(__name__)


class JobQueue(Protocol):
    def submit(self, request: ReviewRequest, *, delivery: str | None) -> bool: ...

    def ping(self) -> None: ...

    def pending(self) -> int: ...


class _Rejected(Exception):
    def __init__(self, status: int, outcome: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.outcome, self.detail = status, outcome, detail


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _queue(request: Request) -> JobQueue:
    queue: JobQueue = request.app.state.queue
    return queue


async def _context(request: Request) -> RouteContext:
    context: RouteContext = request.app.state.route_context
    return context


Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]
SettingsDep = Annotated[Settings, Depends(_settings)]
QueueDep = Annotated[JobQueue, Depends(_queue)]
ContextDep = Annotated[RouteContext, Depends(_context)]


def create_app(
    settings: Settings,
    *,
    queue: JobQueue,
    identity: BotIdentity | None = None,
    lifespan: Lifespan | None = None,
) -> FastAPI:
    """The FastAPI app; ``identity`` defaults to the bot user named in the settings.

    ``lifespan`` is what ``synbot serve`` runs around the app (the in-process huey consumer).
    """
    app = FastAPI(title="synbot", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.queue = queue
    app.state.route_context = RouteContext(
        identity=identity or BotIdentity(user_id=settings.bot_user_id, username=settings.bot_username),
        project_allowlist=frozenset(settings.project_allowlist),
    )

    @app.post("/webhooks/gitlab")
    async def webhook(
        request: Request, settings: SettingsDep, queue: QueueDep, context: ContextDep
    ) -> Response:
        started = time.perf_counter()
        kind = request.headers.get("x-gitlab-event", "")
        kind_label = kind if kind in known_kinds() else "other"
        try:
            status, outcome, body = await _handle(
                request, kind, settings=settings, queue=queue, context=context
            )
        except _Rejected as rejected:
            status, outcome, body = rejected.status, rejected.outcome, {"error": rejected.detail}
        metrics.WEBHOOK_EVENTS.labels(kind_label, outcome).inc()
        metrics.WEBHOOK_ACK_SECONDS.observe(time.perf_counter() - started)
        return JSONResponse(body, status_code=status)

    @app.get("/healthz")
    async def healthz(queue: QueueDep) -> Response:
        try:
            pending = await asyncio.to_thread(_probe, queue)
        except Exception as exc:
            log.warning("health check failed: %s", type(exc).__name__)
            return JSONResponse({"status": "unavailable", "error": type(exc).__name__}, status_code=503)
        return JSONResponse({"status": "ok", "pending": pending})

    @app.get("/metrics")
    async def prometheus() -> Response:
        return Response(metrics.render(), media_type=metrics.CONTENT_TYPE)

    return app


def _probe(queue: JobQueue) -> int:
    queue.ping()
    return queue.pending()


async def _handle(
    request: Request, kind: str, *, settings: Settings, queue: JobQueue, context: RouteContext
) -> tuple[int, str, dict[str, str]]:
    _check_token(request.headers.get("x-gitlab-token"), settings.webhook_secret.get_secret_value())
    body = await _read_body(request, settings.max_body_bytes)
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise _Rejected(400, "malformed", "the body is not JSON") from exc
    try:
        event = parse_event(kind, payload)
    except MalformedEvent as exc:
        raise _Rejected(400, "malformed", str(exc)) from exc
    if event is None:
        return 200, "ignored", {"status": "ignored", "reason": f"event {kind!r} is not handled"}
    decision = router.dispatch(event, context)
    if isinstance(decision, Ignored):
        return 200, decision.outcome, {"status": "ignored", "reason": decision.reason}
    delivery = _delivery_key(request, kind, decision)
    try:
        fresh = await asyncio.to_thread(queue.submit, decision, delivery=delivery)
    except Exception as exc:
        log.exception("could not store the job for project=%s mr=%s", decision.project_id, decision.mr_iid)
        raise _Rejected(503, "unavailable", "the job store is unavailable") from exc
    if not fresh:
        return 200, "duplicate", {"status": "duplicate"}
    log.info(
        "queued review project=%s mr=%s sha=%s forced=%s",
        decision.project_id,
        decision.mr_iid,
        decision.head_sha[:12],
        decision.forced,
    )
    return 202, "queued", {"status": "queued"}


def _delivery_key(request: Request, kind: str, decision: ReviewRequest) -> str | None:
    """``Idempotency-Key`` (same on every retry), else ``X-Gitlab-Event-UUID``, plus what the event asks.

    The event UUID is GitLab's recursion-detection id and can be shared by several hooks fired by one
    request (several MRs updated by one push), so the header alone could drop a different MR's event.
    """
    header = request.headers.get("idempotency-key") or request.headers.get("x-gitlab-event-uuid")
    if not header:
        return None
    d = decision
    return f"{header}|{kind}|{d.project_id}|{d.mr_iid}|{d.head_sha}|{int(d.forced)}"


def _check_token(given: str | None, secret: str) -> None:
    """Constant-time comparison; an empty configured secret accepts nothing."""
    if not given or not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        raise _Rejected(401, "unauthorized", "missing or wrong X-Gitlab-Token")


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refused past ``limit`` bytes both by the declared length and by what is streamed."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise _Rejected(400, "malformed", "invalid Content-Length")
        if int(declared) > limit:
            raise _Rejected(413, "too_large", f"body over {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _Rejected(413, "too_large", f"body over {limit} bytes")
    return bytes(body)
