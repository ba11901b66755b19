"""``synbot worker``: a review worker alone (a huey consumer), for scale-out against a shared queue."""

from __future__ import annotations

import logging

import typer

from bot.commands.service_setup import LOG_LEVEL_OPTION, WORKERS_OPTION, configure_logging, load_settings

log = logging.getLogger(__name__)


def command(
    workers: int | None = WORKERS_OPTION,
    log_level: str = LOG_LEVEL_OPTION,
    metrics_port: int | None = typer.Option(
        None, "--metrics-port", help="Serve GET /metrics of this worker on 127.0.0.1:PORT (default: none)."
    ),
    metrics_host: str = typer.Option("127.0.0.1", "--metrics-host", help="Address of --metrics-port."),
) -> None:
    """Run review jobs from the queue (SYNBOT_REDIS_URL to share it between machines)."""
    # imported here: every other synbot command would pay for huey, redis and prometheus at start-up
    from prometheus_client import start_http_server

    from bot import metrics
    from bot.jobs import consumer
    from bot.service import build_production_queue

    settings = load_settings()
    configure_logging(log_level)
    if not settings.redis_url:
        log.warning(
            "SYNBOT_REDIS_URL is not set: this worker shares the SQLite queue under %s", settings.data_dir
        )
    queue, _ = build_production_queue(settings)
    if metrics_port is not None:
        start_http_server(metrics_port, addr=metrics_host, registry=metrics.REGISTRY)
    queue.schedule_reconcile()
    consumer(queue.huey, workers=workers or settings.worker_threads, embedded=False).run()
