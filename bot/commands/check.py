"""``synbot check PATH...``: deterministic checks of whole dictionary files, for people and CI.

Exit 0 when no finding is an error (warnings allowed), 1 when one is, 2 on bad usage or
unreadable input. One run can print text and write several reports:
``synbot check . --report codequality=gl-code-quality.json --report junit=synbot-junit.xml``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import typer

from bot.commands.console import print_findings, progress_for
from bot.commands.options import (
    ANALYZER_OPTION,
    CONFIG_OPTION,
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXPAND_OPTION,
    KIND_OPTION,
    AnalyzerChoice,
    analyzer_for,
    check_options,
    fail,
    repo_config,
)
from bot.files import InputError, Target, read_text, resolve_targets
from bot.pipeline import warm_terms
from synonyms.analysis import Analyzer
from synonyms.checks import CheckOptions, check_dictionaries
from synonyms.findings import Finding, Severity
from synonyms.parser import parse
from synonyms.reports import ReportFormat, render
from synonyms.rules import Dictionary, Kind

log = logging.getLogger(__name__)


def command(
    paths: list[Path] = typer.Argument(..., help="Dictionary files, or directories walked with the globs."),
    kind: Kind | None = KIND_OPTION,
    analyzer: AnalyzerChoice | None = ANALYZER_OPTION,
    expand: bool | None = EXPAND_OPTION,
    fmt: ReportFormat = typer.Option(ReportFormat.TEXT, "--format", "-f", help="What to print."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the --format report to this file and print text instead."
    ),
    reports: list[str] = typer.Option(
        [],
        "--report",
        metavar="FORMAT=FILE",
        help="Also write a report, e.g. codequality=gl-code-quality.json.",
    ),
    config_file: Path | None = CONFIG_OPTION,
    llm: bool = typer.Option(False, "--llm", help="Add the LLM's checks (needs SYNBOT_LLM_PROVIDER)."),
) -> None:
    """Check dictionary files: Lucene-exact syntax, analyzer effects, duplicates, conflicts, typos."""
    extra = [_parse_report(spec) for spec in reports]
    if output is not None:
        extra.insert(0, (fmt, output))
        fmt = ReportFormat.TEXT
    config = repo_config(config_file)
    try:
        targets = resolve_targets(paths, config=config, root=Path.cwd(), kind=kind)
    except InputError as exc:
        fail(str(exc))
    if not targets:
        fail(
            "no dictionary files found under "
            + ", ".join(map(str, paths))
            + " (globs: "
            + ", ".join(config.synonyms + config.typos)
            + "); name files directly or set them in .synbot.yml"
        )
    options = check_options(config, expand=expand)
    with analyzer_for(config, analyzer) as chosen, progress_for(targets) as advance:
        texts = [_read(target) for target in targets]
        warm_terms(chosen, texts)
        dictionaries = []
        for target, text in zip(targets, texts, strict=True):
            advance(f"parsing {target.path}")
            dictionaries.append(parse(text, analyzer=chosen, path=target.path, kind=target.kind))
        advance("checking")
        findings = check_dictionaries(dictionaries, analyzer=chosen, options=options)
        if llm:
            advance("asking the LLM")
            findings = _with_llm(findings, dictionaries, analyzer=chosen, options=options)
    names = [t.path for t in targets]
    for report_format, report_file in extra:
        _write(report_file, render(report_format, findings, paths=names))
    if fmt is ReportFormat.TEXT:
        print_findings(findings, paths=names)
    else:
        typer.echo(render(fmt, findings, paths=names), nl=False)
    raise typer.Exit(EXIT_FINDINGS if _has_errors(findings) else EXIT_CLEAN)


def _read(target: Target) -> str:
    try:
        return read_text(target.file)
    except InputError as exc:
        fail(str(exc))


def _parse_report(spec: str) -> tuple[ReportFormat, Path]:
    name, sep, file = spec.partition("=")
    if not sep or not file:
        fail(f"--report {spec!r}: expected FORMAT=FILE, e.g. codequality=gl-code-quality.json")
    try:
        return ReportFormat(name), Path(file)
    except ValueError:
        fail(
            f"--report {spec!r}: unknown format {name!r} (one of: {', '.join(f.value for f in ReportFormat)})"
        )


def _write(file: Path, text: str) -> None:
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"{file}: cannot write the report: {exc.strerror or exc}")
    log.debug("wrote %s", file)


def _has_errors(findings: Sequence[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def _with_llm(
    findings: list[Finding], dictionaries: Sequence[Dictionary], *, analyzer: Analyzer, options: CheckOptions
) -> list[Finding]:
    """Deterministic findings plus the LLM's; an unreachable LLM only adds a note on stderr."""
    # imported here so that a plain `synbot check` does not load httpx, redis and tenacity
    from bot.config import Settings
    from bot.llm.run import llm_report

    report = llm_report(
        dictionaries, deterministic=findings, settings=Settings(), analyzer=analyzer, options=options
    )
    typer.echo(report.summary(options.language), err=True)
    return sorted([*findings, *report.findings], key=lambda f: (f.path, f.line, f.code))
