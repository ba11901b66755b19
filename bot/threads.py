"""synbot's threads: fingerprint markers, note rendering with safe suggestions, and the pure plan.

Every thread synbot opens starts with ``<!-- synbot:fp=<fingerprint> -->``, the fingerprint of
(path, rule text, code), so a later run recognizes it. :func:`plan_threads` turns the wanted
threads and the existing ones into actions; the adapter only executes them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bot.gitlab_port import THREAD_MARKER, BotThread, Position
from synonyms.analysis import Analyzer
from synonyms.findings import Finding, Severity, Source
from synonyms.parser import parse_line
from synonyms.rules import Rule

_MARKER = re.compile(re.escape(THREAD_MARKER) + r"([0-9a-f]{16}) -->")
_SUGGESTION = re.compile(r"^```suggestion:-0\+0\n(.*?)^```$", re.MULTILINE | re.DOTALL)
SEVERITY_LABELS = {
    "ru": {Severity.ERROR: "Ошибка", Severity.WARNING: "Предупреждение", Severity.INFO: "Замечание"},
    "en": {Severity.ERROR: "Error", Severity.WARNING: "Warning", Severity.INFO: "Note"},
}
_ICONS = {Severity.ERROR: "🔴", Severity.WARNING: "🟠", Severity.INFO: "🔵"}
_HINT = {
    "ru": "Если так и задумано, отметьте обсуждение решённым: synbot не откроет его снова.",
    "en": "If this is intended, resolve the thread: synbot will not reopen it.",
}


def fingerprint(path: str, rule: str, code: str) -> str:
    """Stable id of a finding: survives line moves, changes when the rule text or the problem changes."""
    return hashlib.sha256(f"{path}\0{rule.strip()}\0{code}".encode()).hexdigest()[:16]


def marker(fp: str) -> str:
    return f"{THREAD_MARKER}{fp} -->"


def marker_of(body: str) -> str | None:
    """The fingerprint hidden in a note body, or ``None``."""
    match = _MARKER.search(body)
    return match.group(1) if match else None


def suggestion_of(body: str) -> str | None:
    """The replacement text of a rendered note's suggestion block (``""`` deletes), or ``None``."""
    match = _SUGGESTION.search(body)
    return None if match is None else match.group(1).removesuffix("\n")


def safe_suggestion(finding: Finding, *, current: str, analyzer: Analyzer) -> str | None:
    """The suggestion text synbot may post for ``finding`` on the line ``current``, else ``None``.

    Refused: a fix spanning more than the finding's own line, a fence line (```` ``` ````), a line
    that does not parse as a valid rule, and a "fix" equal to the line. ``""`` (delete) is allowed.
    """
    text = finding.suggestion
    if text is None or finding.last_line != finding.line:
        return None
    if text == "":
        return ""
    lines = text.split("\n")
    if text == current or any(line.lstrip().startswith("```") for line in lines):
        return None
    for number, line in enumerate(lines, start=finding.line):
        if not isinstance(parse_line(line, path=finding.path, line=number, analyzer=analyzer), Rule):
            return None
    return text


def render_note(finding: Finding, *, fp: str, suggestion: str | None, language: str) -> str:
    """A thread's body: marker, a short reason, then a one-line suggestion block when safe."""
    labels = SEVERITY_LABELS.get(language, SEVERITY_LABELS["ru"])
    source = " · LLM" if finding.source is Source.LLM else ""
    headline = f"{_ICONS[finding.severity]} **{labels[finding.severity]}** · `{finding.code}`{source}"
    parts = [marker(fp), f"{headline}: {finding.message}"]
    if suggestion is not None:
        block = f"{suggestion}\n" if suggestion else ""
        parts.append(f"```suggestion:-0+0\n{block}```")
    parts.append(f"<sub>{_HINT.get(language, _HINT['ru'])}</sub>")
    return "\n\n".join(parts)


@dataclass(frozen=True, slots=True)
class WantedThread:
    """A finding that should have a thread at ``position`` with exactly ``body``."""

    fp: str
    finding: Finding
    position: Position
    body: str
    suggestion: str | None = None


class ActionKind(StrEnum):
    CREATE = "create"
    EDIT = "edit"
    REOPEN = "reopen"
    RESOLVE = "resolve"
    KEEP = "keep"


@dataclass(frozen=True, slots=True)
class Action:
    kind: ActionKind
    fp: str
    wanted: WantedThread | None = None
    thread: BotThread | None = None


@dataclass(frozen=True)
class Plan:
    """What to do, plus what the existing threads tell about accepted and rejected suggestions."""

    actions: tuple[Action, ...]
    overflow: tuple[WantedThread, ...] = ()  # over the thread cap: summary only
    rejected: frozenset[str] = frozenset()  # resolved by a human while the finding stands
    applied: frozenset[str] = frozenset()  # resolved because the line now holds the suggestion
    suppressed: tuple[WantedThread, ...] = field(default=())  # rejected earlier, no thread

    def of(self, kind: ActionKind) -> list[Action]:
        return [a for a in self.actions if a.kind is kind]

    @property
    def writes(self) -> bool:
        return any(a.kind is not ActionKind.KEEP for a in self.actions)


def plan_threads(
    wanted: Sequence[WantedThread],
    existing: Sequence[BotThread],
    *,
    bot_user_id: int,
    rejected: frozenset[str] = frozenset(),
    file_lines: Mapping[str, Sequence[str]] | None = None,
    max_threads: int = 50,
) -> Plan:
    """Pure reconciliation of wanted threads with synbot's existing ones (keyed by fingerprint).

    A thread a human resolved while its finding stands is left alone and reported as rejected;
    one synbot resolved earlier is reopened if the finding comes back; an open thread whose
    finding is gone is resolved (and counted as applied when its line now holds the suggestion).
    New threads go out in severity order until ``max_threads`` open threads; the rest overflow.
    """
    by_fp: dict[str, BotThread] = {}
    actions: list[Action] = []
    for thread in existing:
        fp = marker_of(thread.body)
        if fp is None:
            continue
        if fp in by_fp:  # a duplicate: keep the first, close the others
            kind = ActionKind.KEEP if thread.resolved else ActionKind.RESOLVE
            actions.append(Action(kind, fp, thread=thread))
            continue
        by_fp[fp] = thread
    wanted_by_fp: dict[str, WantedThread] = {}
    for item in sorted(wanted, key=_priority):
        wanted_by_fp.setdefault(item.fp, item)

    new_rejected: set[str] = set()
    applied: set[str] = set()
    creates: list[WantedThread] = []
    suppressed: list[WantedThread] = []
    for fp, item in wanted_by_fp.items():
        existing_thread = by_fp.get(fp)
        if existing_thread is None:
            (suppressed if fp in rejected else creates).append(item)
        elif not existing_thread.resolved:
            same = existing_thread.body == item.body
            actions.append(Action(ActionKind.KEEP if same else ActionKind.EDIT, fp, item, existing_thread))
        elif existing_thread.resolved_by_id != bot_user_id:
            new_rejected.add(fp)
            actions.append(Action(ActionKind.KEEP, fp, item, existing_thread))
        else:
            actions.append(Action(ActionKind.REOPEN, fp, item, existing_thread))
    for fp, thread in by_fp.items():
        if fp in wanted_by_fp:
            continue
        if thread.resolved:
            actions.append(Action(ActionKind.KEEP, fp, thread=thread))
            continue
        actions.append(Action(ActionKind.RESOLVE, fp, thread=thread))
        if _holds_suggestion(thread, file_lines or {}):
            applied.add(fp)

    open_after = sum(1 for a in actions if a.wanted and (a.kind is ActionKind.REOPEN or not _resolved(a)))
    room = max(0, max_threads - open_after)
    actions.extend(Action(ActionKind.CREATE, item.fp, item) for item in creates[:room])
    return Plan(
        actions=tuple(actions),
        overflow=tuple(creates[room:]),
        rejected=frozenset(new_rejected | (rejected & set(wanted_by_fp))),
        applied=frozenset(applied),
        suppressed=tuple(suppressed),
    )


def _resolved(action: Action) -> bool:
    return action.thread is not None and action.thread.resolved


def _priority(item: WantedThread) -> tuple[int, str, int, str]:
    f = item.finding
    return (f.severity.rank, f.path, f.line, f.code)


def _holds_suggestion(thread: BotThread, file_lines: Mapping[str, Sequence[str]]) -> bool:
    """The thread's line now reads as its suggestion said (a delete counts once the finding is gone)."""
    suggestion = suggestion_of(thread.body)
    if suggestion is None or thread.path is None or thread.new_line is None:
        return False
    if suggestion == "":
        return True
    lines = file_lines.get(thread.path, ())
    wanted = suggestion.split("\n")
    start = thread.new_line - 1
    return list(lines[start : start + len(wanted)]) == wanted or all(line in lines for line in wanted)
