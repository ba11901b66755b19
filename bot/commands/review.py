"""``synbot review DIFF``: the comments synbot would post on a local diff, no GitLab needed.

``git diff main | synbot review -`` runs the same pipeline as the GitLab job (changed rules,
checked against every dictionary file in ``--repo-dir``, threads on diff lines) and prints the notes.
Exit 0 when no finding is an error, 1 when one is, 2 on bad usage or unreadable input.
"""

from __future__ import annotations

import asyncio
import json
import sys
from enum import StrEnum
from pathlib import Path

import typer

from bot.commands.options import (
    ANALYZER_OPTION,
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
from bot.config import RepoConfig
from bot.files import InputError, read_text, resolve_targets
from bot.pipeline import (
    Checked,
    DictionaryFile,
    Placement,
    Snapshot,
    TermRecorder,
    build_snapshot,
    check_snapshot,
    place_findings,
)
from bot.summary import counts_line
from bot.threads import SEVERITY_LABELS
from synonyms.analysis import Analyzer
from synonyms.checks import CheckOptions
from synonyms.diff import DiffError, FileDiff, KindResolver, parse_diff
from synonyms.findings import Finding, Severity
from synonyms.rules import Kind


class ReviewFormat(StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"


def command(
    diff: str = typer.Argument(..., help="A unified diff file (git diff output), or - for stdin."),
    repo_dir: Path = typer.Option(
        Path("."), "--repo-dir", help="The dictionary repo at the diff's new side."
    ),
    fmt: ReviewFormat = typer.Option(ReviewFormat.MARKDOWN, "--format", "-f", help="What to print."),
    kind: Kind | None = KIND_OPTION,
    analyzer: AnalyzerChoice | None = ANALYZER_OPTION,
    expand: bool | None = EXPAND_OPTION,
    llm: bool = typer.Option(
        False, "--llm", help="Add the LLM's checks of the changed rules (needs SYNBOT_LLM_PROVIDER)."
    ),
) -> None:
    """Print the comments synbot would post on a merge request with this diff."""
    text = _read_diff(diff)
    config = repo_config(repo_dir / ".synbot.yml" if (repo_dir / ".synbot.yml").is_file() else None)
    options = check_options(config, expand=expand)
    kind_of: KindResolver = (lambda _path: kind) if kind else config.kind_of
    touched = _parse_diff(text, kind_of=kind_of, analyzer=TermRecorder())  # which files, before analysis
    texts = {d.path: _read_file(repo_dir / d.path) if d.new_path else None for d in touched}
    untouched = _untouched(repo_dir, config, changed=set(texts))

    def build(chosen: Analyzer) -> Snapshot:
        return Snapshot(
            diffs=_parse_diff(text, kind_of=kind_of, analyzer=chosen), texts=texts, untouched=untouched
        )

    # .synbot.yml's cluster (unless --analyzer): warmed with every term in a few batched requests;
    # unreachable, it is unreadable input (exit 2), as for check
    with analyzer_for(config, analyzer) as chosen:
        snapshot = build_snapshot(build, chosen)
        checked = check_snapshot(snapshot, analyzer=chosen, options=options)
        on_new_lines = [
            *checked.findings,
            *(_llm_findings(checked, analyzer=chosen, options=options) if llm else []),
        ]
        findings = [*on_new_lines, *checked.removed]
        placement = place_findings(
            on_new_lines, checked.removed, snapshot, analyzer=chosen, language=config.language
        )
    if fmt is ReviewFormat.JSON:
        typer.echo(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2))
    else:
        typer.echo(render_markdown(placement, findings, language=config.language))
    has_errors = any(f.severity is Severity.ERROR for f in findings)
    raise typer.Exit(EXIT_FINDINGS if has_errors else EXIT_CLEAN)


def render_markdown(placement: Placement, findings: list[Finding], *, language: str) -> str:
    """Each thread as it would be posted, under its place; then what would go to the summary only."""
    labels = SEVERITY_LABELS.get(language, SEVERITY_LABELS["ru"])
    parts = []
    for wanted in placement.wanted:
        pos = wanted.position
        where = f"{pos.new_path}:{pos.new_line}" if pos.new_line else f"{pos.old_path}:{pos.old_line} (-)"
        parts.append(f"#### {where}\n\n{wanted.body}\n")
    if placement.not_posted:
        parts.append("#### " + ("Только в сводке" if language == "ru" else "Summary only") + "\n")
        parts.extend(
            f"- `{f.path}:{f.line}{' (-)' if reason == 'removed' else ''}` **{labels[f.severity]}**"
            f" `{f.code}`: {f.message}"
            for f, reason in placement.not_posted
        )
        parts.append("")
    parts.append(counts_line(findings, language))
    return "\n".join(parts)


def _untouched(repo_dir: Path, config: RepoConfig, *, changed: set[str]) -> list[DictionaryFile]:
    """The repo's other dictionary files (by the globs), for the dictionary-wide index."""
    try:
        targets = resolve_targets([repo_dir], config=config, root=repo_dir)
        return [DictionaryFile(t.path, t.kind, read_text(t.file)) for t in targets if t.path not in changed]
    except InputError as exc:
        fail(str(exc))


def _llm_findings(checked: Checked, *, analyzer: Analyzer, options: CheckOptions) -> list[Finding]:
    """The LLM's findings on the changed rules; an unreachable LLM only adds a note on stderr."""
    # imported here so that a plain `synbot review` does not load httpx, redis and tenacity
    from bot.config import Settings
    from bot.review import run_llm_with_settings

    report = asyncio.run(
        run_llm_with_settings(checked, settings=Settings(), analyzer=analyzer, options=options)
    )
    typer.echo(report.summary(options.language), err=True)
    return report.findings


def _parse_diff(text: str, *, kind_of: KindResolver, analyzer: Analyzer) -> list[FileDiff]:
    try:
        return parse_diff(text, kind_of=kind_of, analyzer=analyzer)
    except DiffError as exc:
        fail(f"the diff: {exc}")


def _read_diff(diff: str) -> str:
    try:
        if diff == "-":
            return sys.stdin.read()
        return Path(diff).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{diff}: cannot read the diff: {exc}")


def _read_file(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{path}: {exc}")
