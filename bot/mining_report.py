"""What ``synbot propose`` shows people: the MR title, its Markdown description, the unified diff.

The description is the reviewer's whole context for a mined batch: every accepted candidate
with the evidence that made the miner propose it, and every rejected one with the reason, so
a good candidate wrongly rejected can be added by hand. Pure functions of the screening.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping

from synonyms.candidates import Candidate
from synonyms.screening import Screening

MINED_MARKER = "<!-- synbot:mined"
MAX_ROWS = 300  # rows per table; GitLab descriptions stay readable (and far below 1 MB)
MAX_QUERIES = 3
MAX_CELL = 200

_TEXT = {
    "ru": {
        "title": "synbot: кандидаты из поиска для {path} ({count})",
        "heading": "## Кандидаты из поиска: `{path}`",
        "counts": "Принято **{accepted}** из {total}, отклонено **{rejected}**. Ветка пересобирается "
        "от `{branch}` при каждом запуске; правьте словарь в отдельном MR.",
        "accepted": "### Принятые",
        "rejected": "### Отклонённые",
        "accepted_head": "| строка | правило | как | основания |",
        "rejected_head": "| правило | код | причина |",
        "new": "новая строка",
        "merged": "в группу",
        "more": "…и ещё {count}",
        "none": "нет",
        "reformulations": "переформулировок: {value}",
        "queries": "запросы: {value}",
        "llm": "Проверки: детерминированные; {llm}.",
    },
    "en": {
        "title": "synbot: mined candidates for {path} ({count})",
        "heading": "## Mined candidates: `{path}`",
        "counts": "Accepted **{accepted}** of {total}, rejected **{rejected}**. The branch is rebuilt from "
        "`{branch}` on every run; edit the dictionary in a separate MR.",
        "accepted": "### Accepted",
        "rejected": "### Rejected",
        "accepted_head": "| line | rule | how | evidence |",
        "rejected_head": "| rule | code | reason |",
        "new": "new line",
        "merged": "into a group",
        "more": "…and {count} more",
        "none": "none",
        "reformulations": "reformulations: {value}",
        "queries": "queries: {value}",
        "llm": "Checks: deterministic; {llm}.",
    },
}


def _t(language: str) -> Mapping[str, str]:
    return _TEXT["en" if language == "en" else "ru"]


def merge_request_title(screening: Screening, *, language: str) -> str:
    return _t(language)["title"].format(path=screening.path, count=len(screening.accepted))


def unified_diff(screening: Screening) -> str:
    """The target file's change as ``git diff`` shows it (empty when nothing changes)."""
    path = screening.path
    old = screening.old_text.splitlines(keepends=True)
    new = screening.new_text.splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, fromfile=f"a/{path}", tofile=f"b/{path}")
    return "".join(
        line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines
    )


def _cell(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return text.replace("\\", "\\\\").replace("|", "\\|")


def _code(text: str) -> str:
    """A Markdown code span that survives backticks and pipes inside the rule."""
    text = " ".join(text.split()).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def evidence_text(candidate: Candidate, *, language: str) -> str:
    """Reformulation counts and a few example queries first, then any other evidence as ``key: value``."""
    t = _t(language)
    parts = []
    evidence = dict(candidate.evidence)
    if "reformulations" in evidence:
        parts.append(t["reformulations"].format(value=evidence.pop("reformulations")))
    queries = evidence.pop("queries", None)
    if isinstance(queries, list) and queries:
        shown = ", ".join(f"«{q}»" for q in queries[:MAX_QUERIES])
        parts.append(t["queries"].format(value=shown + (" …" if len(queries) > MAX_QUERIES else "")))
    for key, value in evidence.items():
        parts.append(f"{key}: {value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}")
    return _cell("; ".join(parts)) if parts else "—"


def merge_request_description(
    screening: Screening, *, language: str, target_branch: str, llm_line: str = ""
) -> str:
    """The MR description: counts, accepted candidates with evidence, rejected ones with reasons."""
    t = _t(language)
    total = len(screening.accepted) + len(screening.rejected)
    out = [
        f"{MINED_MARKER} path={screening.path} -->",
        t["heading"].format(path=screening.path),
        "",
        t["counts"].format(
            accepted=len(screening.accepted),
            total=total,
            rejected=len(screening.rejected),
            branch=target_branch,
        ),
    ]
    if llm_line:
        out += ["", t["llm"].format(llm=llm_line)]
    out += ["", t["accepted"], ""]
    if screening.accepted:
        out += [t["accepted_head"], "| ---: | --- | --- | --- |"]
        for a in screening.accepted[:MAX_ROWS]:
            how = t["merged"] if a.merged else t["new"]
            evidence = evidence_text(a.candidate, language=language)
            out.append(f"| {a.line} | {_code(a.candidate.rule)} | {how} | {evidence} |")
        if len(screening.accepted) > MAX_ROWS:
            out.append(f"| | {t['more'].format(count=len(screening.accepted) - MAX_ROWS)} | | |")
    else:
        out.append(t["none"])
    out += ["", t["rejected"], ""]
    if screening.rejected:
        out += [t["rejected_head"], "| --- | --- | --- |"]
        for r in screening.rejected[:MAX_ROWS]:
            out.append(f"| {_code(r.candidate.rule)} | `{r.code}` | {_cell(r.reason)} |")
        if len(screening.rejected) > MAX_ROWS:
            out.append(f"| {t['more'].format(count=len(screening.rejected) - MAX_ROWS)} | | |")
    else:
        out.append(t["none"])
    return "\n".join(out) + "\n"
