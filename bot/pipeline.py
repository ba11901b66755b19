"""The part of a review both sinks share (the GitLab job and ``synbot review DIFF``), without I/O.

changed files (diff + text at head) and the untouched dictionary files -> dictionary-wide index
-> deterministic findings on the changed rules -> (LLM findings added by the caller)
-> wanted threads on diff lines, and the findings that can only go into the summary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from bot.config import RepoConfig
from bot.gitlab_port import Position
from bot.threads import WantedThread, fingerprint, render_note, safe_suggestion
from synonyms.analysis import Analysis, Analyzer, Token
from synonyms.checks import CheckOptions, DictionaryIndex, check_changed, check_removed
from synonyms.diff import FileDiff, LineKind
from synonyms.findings import Finding, Severity
from synonyms.parser import parse, split_lines
from synonyms.rules import Kind, LineError, Rule


@dataclass(frozen=True, slots=True)
class DictionaryFile:
    """A whole dictionary file the diff does not touch: indexed, never reported on."""

    path: str
    kind: Kind
    text: str


@dataclass(frozen=True)
class Snapshot:
    """The changed dictionary files of one diff: hunks, and full text at head (``None``: deleted).

    ``untouched`` holds the repo's other dictionary files at head, so duplicates and conflicts
    with them are found too (the dictionary-wide index).
    """

    diffs: Sequence[FileDiff]
    texts: Mapping[str, str | None]
    notices: Sequence[str] = ()
    untouched: Sequence[DictionaryFile] = ()


@dataclass(frozen=True)
class Checked:
    findings: list[Finding]  # on new lines (added or changed rules)
    removed: list[Finding]  # on old lines (rules the diff deletes)
    rules: dict[Kind, list[Rule]] = field(default_factory=dict)  # changed rules, for the LLM
    bad_lines: int = 0  # changed lines that do not parse (a LineError each)

    @property
    def rules_checked(self) -> int:
        return sum(len(r) for r in self.rules.values())

    @property
    def lines_checked(self) -> int:
        """Added or rewritten lines that were checked: valid rules and lines that fail to parse."""
        return self.rules_checked + self.bad_lines


@dataclass(frozen=True)
class Placement:
    wanted: list[WantedThread]
    not_posted: list[tuple[Finding, str]]  # reason: "outside" | "removed" | "info"


def check_options(config: RepoConfig) -> CheckOptions:
    return CheckOptions(
        expand=config.expand,
        language=config.language,
        max_group_size=config.max_group_size,
        severities=dict(config.severities),
        disabled=frozenset(config.disabled),
    )


def elasticsearch_unavailable(config: RepoConfig, error: Exception) -> str:
    """The summary's word on a cluster that could not analyze the rules, and what was used instead."""
    if config.language == "en":
        return (
            f"The Elasticsearch of `.synbot.yml` could not be used ({error}); the built-in"
            f" `{config.analyzer}` analyzer was used instead, so findings may differ from the index"
        )
    return (
        f"Elasticsearch из `.synbot.yml` недоступен ({error}); использован встроенный анализатор"
        f" `{config.analyzer}`, поэтому результаты могут расходиться с индексом"
    )


@runtime_checkable
class Warmable(Protocol):
    """An analyzer that answers faster when told every text it will be asked in advance (a cluster)."""

    def warm(self, texts: Iterable[str]) -> None: ...


class TermRecorder:
    """An analyzer that writes down every text it is asked and answers with that text as one token,
    so the parser goes through every term of every line."""

    name = "recorder"

    def __init__(self) -> None:
        self.texts: dict[str, None] = {}

    def analyze(self, text: str) -> Analysis:
        self.texts[text] = None
        return Analysis((Token(text or " "),))


def build_snapshot(build: Callable[[Analyzer], Snapshot], analyzer: Analyzer) -> Snapshot:
    """``build(analyzer)``; a :class:`Warmable` analyzer first hears every term the snapshot holds.

    A first pass with a :class:`TermRecorder` collects the terms of the diffs and of every file at
    head, so a cluster is asked for all of them in a few batched requests instead of one
    request per term while the checks run.
    """
    if isinstance(analyzer, Warmable):
        probe = build(TermRecorder())
        texts = [text for text in probe.texts.values() if text is not None]
        warm_terms(analyzer, texts + [f.text for f in probe.untouched])
    return build(analyzer)


def warm_terms(analyzer: Analyzer, texts: Iterable[str]) -> None:
    """Tell a :class:`Warmable` analyzer every term of these dictionary texts in one go."""
    if not isinstance(analyzer, Warmable):
        return
    recorder = TermRecorder()
    for text in texts:
        parse(text, analyzer=recorder)
    analyzer.warm(recorder.texts)


def check_snapshot(snapshot: Snapshot, *, analyzer: Analyzer, options: CheckOptions) -> Checked:
    """Deterministic findings for the changed rules, against every dictionary file as it is at head."""
    heads = [
        parse(text, analyzer=analyzer, path=d.path, kind=d.kind)
        for d in snapshot.diffs
        if (text := snapshot.texts.get(d.path)) is not None
    ]
    heads += [parse(f.text, analyzer=analyzer, path=f.path, kind=f.kind) for f in snapshot.untouched]
    index = DictionaryIndex.build(heads, expand=options.expand)
    changed: list[Rule | LineError] = []
    for d in snapshot.diffs:
        if d.new_path:
            changed.extend(d.new_rules)
            changed.extend(d.new_errors)
    removed = [rule for d in snapshot.diffs for rule in d.removed_rules]
    rules: dict[Kind, list[Rule]] = {}
    for d in snapshot.diffs:
        if d.new_path:
            rules.setdefault(d.kind, []).extend(d.new_rules)
    return Checked(
        findings=check_changed(changed, index=index, analyzer=analyzer, options=options),
        removed=check_removed(removed, index=index, options=options),
        rules=rules,
        bad_lines=sum(1 for c in changed if isinstance(c, LineError)),
    )


def place_findings(
    findings: Sequence[Finding],
    removed: Sequence[Finding],
    snapshot: Snapshot,
    *,
    analyzer: Analyzer,
    language: str,
) -> Placement:
    """A thread on the finding's own line when the diff shows it; the summary otherwise.

    A removed rule's finding goes on its removed line (``old_line`` only; a renamed file is found
    by its old path); when no removed line of the diff holds it, it is listed in the summary.
    """
    by_path = {d.path: d for d in snapshot.diffs}
    by_old_path = {d.old_path: d for d in snapshot.diffs if d.old_path}
    lines = {path: split_lines(text) for path, text in snapshot.texts.items() if text is not None}
    wanted: list[WantedThread] = []
    not_posted: list[tuple[Finding, str]] = []
    for finding, on_old_side in [*((f, False) for f in findings), *((f, True) for f in removed)]:
        diff = (by_old_path if on_old_side else by_path).get(finding.path) or by_path.get(finding.path)
        position = None if diff is None else _position(diff, finding.line, old_side=on_old_side)
        if finding.severity is Severity.INFO:
            not_posted.append((finding, "info"))
        elif position is None:
            not_posted.append((finding, "removed" if on_old_side else "outside"))
        else:
            current = _line(lines.get(finding.path, []), finding.line) if not on_old_side else finding.rule
            rule_text = finding.rule or current
            suggestion = None if on_old_side else safe_suggestion(finding, current=current, analyzer=analyzer)
            fp = fingerprint(finding.path, rule_text, finding.code)
            body = render_note(finding, fp=fp, suggestion=suggestion, language=language)
            wanted.append(WantedThread(fp, finding, position, body, suggestion))
    return Placement(wanted, not_posted)


def _position(diff: FileDiff, line: int, *, old_side: bool) -> Position | None:
    old_path, new_path = diff.old_path or diff.path, diff.new_path or diff.path
    if old_side:
        removed = any(ln.kind is LineKind.REMOVED and ln.old_line == line for ln in diff.lines)
        return Position(old_path, new_path, old_line=line) if removed else None
    if line not in diff.visible_lines:
        return None
    return Position(old_path, new_path, new_line=line, old_line=diff.old_line_of(line))


def _line(lines: Sequence[str], number: int) -> str:
    return lines[number - 1] if 0 < number <= len(lines) else ""
