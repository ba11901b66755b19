"""``synbot serve``: the webhook service with an in-process review worker (huey consumer)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import typer

from bot.commands.options import fail
from bot.commands.service_setup import LOG_LEVEL_OPTION, WORKERS_OPTION, configure_logging, load_settings

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger(__name__)


def command(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8080, "--port", help="Port to listen on."),
    workers: int | None = WORKERS_OPTION,
    log_level: str = LOG_LEVEL_OPTION,
) -> None:
    """Run the webhook service: POST /webhooks/gitlab, GET /healthz, GET /metrics."""
    # imported here: every other synbot command would pay for FastAPI, uvicorn and huey at start-up
    import uvicorn

    from bot.jobs import consumer
    from bot.service import bot_identity, build_production_queue
    from bot.web import create_app

    settings = load_settings()
    if not settings.webhook_secret.get_secret_value():
        fail("SYNBOT_WEBHOOK_SECRET is empty: refusing to accept unauthenticated webhooks")
    configure_logging(log_level)
    queue, gitlab = build_production_queue(settings)
    identity = asyncio.run(bot_identity(settings, gitlab))
    threads = settings.worker_threads if workers is None else workers

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        queue.schedule_reconcile()
        log.info("serving on %s:%s with %d review thread(s)", host, port, threads)
        if threads == 0:  # web-only: `synbot worker` processes run the reviews
            yield
            return
        worker = consumer(queue.huey, workers=threads, embedded=True)
        worker.start()
        try:
            yield
        finally:
            await asyncio.to_thread(worker.stop, graceful=True)

    app = create_app(settings, queue=queue, identity=identity, lifespan=lifespan)
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)
