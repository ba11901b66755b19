"""``synbot explain FILE``: what Elasticsearch will do with each rule of one file.

``--format lucene`` prints exactly the mappings Lucene's ``SolrSynonymParser`` adds (the reference
tool's format), and ``ERROR line N: reason`` for every line Elasticsearch would reject (exit 1);
``--format text`` explains the same for people. Analyzer and expand come from ``.synbot.yml``
unless the flags say otherwise (Elasticsearch's default is expand).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from bot.commands.options import (
    ANALYZER_OPTION,
    CONFIG_OPTION,
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXPAND_OPTION,
    KIND_OPTION,
    AnalyzerChoice,
    analyzer_for,
    fail,
    repo_config,
)
from bot.files import InputError, display_path, kind_from_path, read_text
from synonyms import explain
from synonyms.parser import parse
from synonyms.rules import Kind


class ExplainFormat(StrEnum):
    TEXT = "text"
    LUCENE = "lucene"


def command(
    file: Path = typer.Argument(..., help="One dictionary file ('-' reads standard input)."),
    analyzer: AnalyzerChoice | None = ANALYZER_OPTION,
    expand: bool | None = EXPAND_OPTION,
    fmt: ExplainFormat = typer.Option(
        ExplainFormat.TEXT, "--format", "-f", help="text for people, lucene for diffing."
    ),
    kind: Kind | None = KIND_OPTION,
    config_file: Path | None = CONFIG_OPTION,
) -> None:
    """Show the mappings Elasticsearch builds from each rule, and the rules it would reject."""
    config = repo_config(config_file)
    try:
        text = read_text(file)
    except InputError as exc:
        fail(str(exc))
    path = "<stdin>" if str(file) == "-" else display_path(file, Path.cwd())
    expanding = config.expand if expand is None else expand
    kind = kind or config.kind_of(path) or kind_from_path(path)
    with analyzer_for(config, analyzer) as chosen:
        dictionary = parse(text, analyzer=chosen, path=path, kind=kind)
        if fmt is ExplainFormat.LUCENE:
            lines = explain.lucene_lines(dictionary, expand=expanding)
        else:
            lines = [
                explain.explain_text(dictionary, analyzer=chosen, expand=expanding, language=config.language)
            ]
    if lines:
        typer.echo("\n".join(lines))  # one write: a big file has millions of mappings
    raise typer.Exit(EXIT_FINDINGS if dictionary.errors else EXIT_CLEAN)
