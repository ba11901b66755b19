"""The ``synbot`` command line: one typer app, one module per subcommand under ``bot/commands/``.

To add a command, create ``bot/commands/<name>.py`` exposing a function ``command`` (its parameters
are the options, typer-style) and add one line to :data:`_COMMANDS` below.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import typer

from bot.commands import check, explain, review, serve, worker
from bot.commands import eval as eval_command
from bot.commands import propose as propose_command

app = typer.Typer(
    name="synbot",
    help="Review and check Elasticsearch synonym and typo dictionaries (Solr format).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_COMMANDS: dict[str, Callable[..., Any]] = {
    "check": check.command,
    "explain": explain.command,
    "eval": eval_command.command,
    "propose": propose_command.command,
    "review": review.command,
    "serve": serve.command,
    "worker": worker.command,
}


@app.callback()
def _main(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug messages to stderr."),
) -> None:
    """Review and check Elasticsearch synonym and typo dictionaries (Solr format)."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


for _name, _function in _COMMANDS.items():
    app.command(_name)(_function)
