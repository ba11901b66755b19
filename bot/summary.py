"""The one summary note of a review and the commit status line, rendered from plain values.

The summary carries a hidden state line, ``<!-- synbot:summary key=<hash> rejected=<fps> -->``:
``key`` hashes everything but the volatile figures (time, LLM calls), so a re-run on the same sha
edits nothing; ``rejected`` remembers the findings the author dismissed.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.gitlab_port import SUMMARY_MARKER
from bot.threads import SEVERITY_LABELS
from synonyms.findings import Finding, Severity

_STATE = re.compile(re.escape(SUMMARY_MARKER) + r" key=([0-9a-f]+) rejected=([0-9a-f,]*) -->")
_FORMS = {
    Severity.ERROR: ("ошибка", "ошибки", "ошибок"),
    Severity.WARNING: ("предупреждение", "предупреждения", "предупреждений"),
    Severity.INFO: ("замечание", "замечания", "замечаний"),
}
_EN = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_REASONS = {
    "ru": {
        "cap": "лимит обсуждений",
        "outside": "строки нет в диффе",
        "removed": "удалённой строки нет в диффе",
        "info": "замечание",
        "position": "GitLab не принял позицию",
    },
    "en": {
        "cap": "thread limit",
        "outside": "line not in the diff",
        "removed": "removed line not in the diff",
        "info": "note",
        "position": "GitLab refused the position",
    },
}


@dataclass(frozen=True)
class SummaryState:
    key: str = ""
    rejected: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Summary:
    """What one review found and cost."""

    head_sha: str
    findings: Sequence[Finding]
    lines_checked: int  # added or rewritten lines: rules and lines that fail to parse
    files_checked: int
    language: str = "ru"
    not_posted: Sequence[tuple[Finding, str]] = ()  # (finding, reason key of _REASONS)
    rejected: frozenset[str] = frozenset()
    rejected_count: int = 0
    notices: Sequence[str] = ()  # e.g. a broken .synbot.yml
    llm_line: str = ""
    elapsed_s: float = 0.0
    bad_lines: int = 0  # of lines_checked, those with a syntax error

    @property
    def key(self) -> str:
        stable = [
            self.head_sha,
            str(self.lines_checked),
            str(self.bad_lines),
            str(self.files_checked),
            self.language,
            *self.notices,
        ]
        stable += [f"{f.path}:{f.line}:{f.code}:{f.severity}:{f.message}" for f in self.findings]
        stable += [f"{f.path}:{f.line}:{f.code}:{reason}" for f, reason in self.not_posted]
        stable += sorted(self.rejected)
        stable.append("llm-down" if "недоступна" in self.llm_line or "unavailable" in self.llm_line else "")
        return hashlib.sha256("\n".join(stable).encode()).hexdigest()[:16]


def parse_state(body: str) -> SummaryState:
    match = _STATE.search(body)
    if match is None:
        return SummaryState()
    return SummaryState(match.group(1), frozenset(fp for fp in match.group(2).split(",") if fp))


def plural(n: int, severity: Severity, language: str) -> str:
    if language == "en":
        return f"{n} {_EN[severity]}{'' if n == 1 else 's'}"
    one, few, many = _FORMS[severity]
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} {one}"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} {few}"
    return f"{n} {many}"


def counts_line(findings: Sequence[Finding], language: str) -> str:
    counts = Counter(f.severity for f in findings)
    return ", ".join(
        plural(counts[s], s, language) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    )


def status_description(errors: int, warnings: int, language: str) -> str:
    """One line for the commit status (GitLab shows it next to the pipeline)."""
    if language == "en":
        return (
            f"synbot: {errors} errors, {warnings} warnings" if errors or warnings else "synbot: no problems"
        )
    if not errors and not warnings:
        return "synbot: проблем нет"
    return f"synbot: {plural(errors, Severity.ERROR, 'ru')}, {plural(warnings, Severity.WARNING, 'ru')}"


def checked_line(summary: Summary) -> str:
    """How many changed lines were checked, and how many of them do not even parse."""
    ru = summary.language != "en"
    lines, bad, files = summary.lines_checked, summary.bad_lines, summary.files_checked
    if ru:
        of_them = f" (из них с ошибкой синтаксиса: {bad})" if bad else ""
        return f"Проверено строк: {lines}{of_them}, файлов: {files}."
    of_them = f" ({bad} with a syntax error)" if bad else ""
    return f"Lines checked: {lines}{of_them}, files: {files}."


def render_summary(summary: Summary) -> str:
    ru = summary.language != "en"
    labels = SEVERITY_LABELS["ru" if ru else "en"]
    reasons = _REASONS["ru" if ru else "en"]
    counts = Counter(f.severity for f in summary.findings)
    lines = [
        f"{SUMMARY_MARKER} key={summary.key} rejected={','.join(sorted(summary.rejected))} -->",
        "### synbot · " + ("проверка словарей" if ru else "dictionary review"),
        "",
        ("Коммит" if ru else "Commit")
        + f" `{summary.head_sha[:8]}`: {counts_line(summary.findings, summary.language)}. "
        + checked_line(summary),
        "",
        "| " + ("Серьёзность" if ru else "Severity") + " | " + ("Количество" if ru else "Count") + " |",
        "| --- | ---: |",
        *(f"| {labels[s]} | {counts[s]} |" for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)),
        "",
    ]
    lines += [f"> {notice}" for notice in summary.notices]
    if summary.not_posted:
        title = "Без обсуждения в строке" if ru else "Not posted as line threads"
        lines += [f"<details><summary>{title} ({len(summary.not_posted)})</summary>", ""]
        for f, reason in summary.not_posted:
            lines.append(
                f"- `{f.path}:{f.line}` **{labels[f.severity]}** `{f.code}`: {f.message} ({reasons[reason]})"
            )
        lines += ["", "</details>", ""]
    if summary.rejected_count:
        lines.append(
            ("Отклонено автором: " if ru else "Dismissed by the author: ") + str(summary.rejected_count)
        )
    if summary.llm_line:
        lines.append(summary.llm_line)
    lines.append(("Время проверки" if ru else "Review time") + f": {summary.elapsed_s:.1f} s")
    return "\n".join(lines)
