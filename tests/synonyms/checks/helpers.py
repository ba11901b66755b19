"""Helpers to run the checks on small in-memory dictionaries."""

from __future__ import annotations

from synonyms.analysis import get_analyzer
from synonyms.checks import CheckOptions, check_dictionaries
from synonyms.findings import Finding
from synonyms.parser import parse
from synonyms.rules import Kind


def check_text(
    text: str,
    *,
    kind: Kind = Kind.SYNONYMS,
    analyzer: str = "whitespace",
    options: CheckOptions | None = None,
    path: str | None = None,
) -> list[Finding]:
    """Whole-file findings for one file's text."""
    analyzer_ = get_analyzer(analyzer)
    path = path or ("typos/t.txt" if kind is Kind.TYPOS else "synonyms/s.txt")
    dictionary = parse(text, analyzer=analyzer_, path=path, kind=kind)
    return check_dictionaries([dictionary], analyzer=analyzer_, options=options or CheckOptions())


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]
