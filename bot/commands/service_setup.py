"""What ``serve`` and ``worker`` share: settings from the environment, logging, options."""

from __future__ import annotations

import logging

import typer
from pydantic import ValidationError

from bot.commands.options import fail
from bot.config import Settings

WORKERS_OPTION = typer.Option(
    None,
    "--workers",
    min=0,
    help="Review threads (default: SYNBOT_WORKER_THREADS); serve --workers 0: web only.",
)
LOG_LEVEL_OPTION = typer.Option("info", "--log-level", help="debug, info, warning or error.")


def load_settings() -> Settings:
    """``Settings`` from the ``SYNBOT_*`` environment; exit 2 with the field names when invalid."""
    try:
        return Settings()
    except ValidationError as exc:
        fail(f"invalid SYNBOT_* settings: {exc}")


def configure_logging(level: str) -> None:
    """One line per job step on stderr; the level applies to synbot and huey."""
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        fail(f"unknown log level {level!r}")
    root = logging.getLogger()
    root.setLevel(numeric)
    if not root.handlers:
        logging.basicConfig(level=numeric, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
