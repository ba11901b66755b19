"""``synbot worker``: a review worker alone (a huey consumer), for scale-out against a shared queue."""

from __future__ import annotations

import logging

from bot.commands.service_setup import LOG_LEVEL_OPTION, WORKERS_OPTION, configure_logging, load_settings
from bot.jobs import consumer
from bot.service import build_production_queue

log = logging.getLogger(__name__)


def command(workers: int | None = WORKERS_OPTION, log_level: str = LOG_LEVEL_OPTION) -> None:
    """Run review jobs from the queue (SYNBOT_REDIS_URL to share it between machines)."""
    settings = load_settings()
    configure_logging(log_level)
    if not settings.redis_url:
        log.warning(
            "SYNBOT_REDIS_URL is not set: this worker shares the SQLite queue under %s", settings.data_dir
        )
    queue, _ = build_production_queue(settings)
    queue.schedule_reconcile()
    consumer(queue.huey, workers=workers or settings.worker_threads, embedded=False).run()
