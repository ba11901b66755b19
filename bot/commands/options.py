"""Options ``check``, ``explain`` and ``review`` share, and how they meet ``.synbot.yml``.

A flag given on the command line wins over ``.synbot.yml``, which wins over the defaults.
``.synbot.yml``'s ``elasticsearch`` endpoint, when set, analyzes the rules unless ``--analyzer`` is given.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console

from bot import pipeline
from bot.config import REPO_CONFIG_FILE, RepoConfig, RepoConfigError, load_repo_config, parse_repo_config
from synonyms.analysis import Analyzer, get_analyzer
from synonyms.checks.options import CheckOptions

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class AnalyzerChoice(StrEnum):
    WHITESPACE = "whitespace"
    KEYWORD = "keyword"
    STANDARD = "standard"
    RUSSIAN = "russian"


KIND_OPTION = typer.Option(None, "--kind", help="Treat every file as this kind, whatever the globs say.")
ANALYZER_OPTION = typer.Option(
    None,
    "--analyzer",
    help="Analyzer of the target index (default: .synbot.yml's elasticsearch or analyzer, else whitespace).",
)
EXPAND_OPTION = typer.Option(
    None,
    "--expand/--no-expand",
    help="The synonym filter's expand flag (default: .synbot.yml's, else expand).",
)
CONFIG_OPTION = typer.Option(
    None, "--config", help=f"The dictionary repo's settings (default: ./{REPO_CONFIG_FILE} when present)."
)

stderr = Console(stderr=True)


def fail(message: str) -> NoReturn:
    """Bad usage or unreadable input: one clear line on stderr, exit 2."""
    stderr.print(f"[bold red]synbot:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(EXIT_USAGE)


def repo_config(path: Path | None) -> RepoConfig:
    """``--config`` or ``./.synbot.yml`` (defaults when absent); exit 2 when it is broken."""
    try:
        if path is None:
            return load_repo_config(Path.cwd())
        return parse_repo_config(path.read_text(encoding="utf-8"))
    except (RepoConfigError, OSError, UnicodeDecodeError) as exc:
        fail(str(exc))


def check_options(config: RepoConfig, *, expand: bool | None) -> CheckOptions:
    """What the checks need from ``.synbot.yml`` (as the review builds it), ``--expand`` on top."""
    options = pipeline.check_options(config)
    return options if expand is None else replace(options, expand=expand)


@contextmanager
def analyzer_for(config: RepoConfig, choice: AnalyzerChoice | None) -> Iterator[Analyzer]:
    """``--analyzer``, else ``.synbot.yml``'s ``elasticsearch`` endpoint, else its built-in analyzer.

    A cluster that cannot be reached or answers nonsense is unreadable input: exit 2.
    """
    es = config.elasticsearch
    if choice is not None or es is None:
        yield get_analyzer(analyzer_name(config, choice))
        return
    import httpx  # only when a cluster is configured

    from bot.es_analyze import TIMEOUT_S, ElasticsearchAnalyzeError, ElasticsearchAnalyzer

    with httpx.Client(timeout=TIMEOUT_S) as client:
        try:
            yield ElasticsearchAnalyzer(client, url=es.url, analyzer=es.analyzer)
        except ElasticsearchAnalyzeError as exc:
            fail(str(exc))


def analyzer_name(config: RepoConfig, choice: AnalyzerChoice | None) -> str:
    return choice.value if choice is not None else config.analyzer
