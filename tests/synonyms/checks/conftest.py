"""Helpers to run the checks on small in-memory dictionaries."""

from __future__ import annotations

from synonyms.analysis import Analyzer, get_analyzer
from synonyms.checks import CheckOptions, DictionaryIndex, check_changed, check_dictionaries, check_removed
from synonyms.checks.registry import Example
from synonyms.findings import Finding
from synonyms.parser import parse, parse_line
from synonyms.rules import Dictionary, Kind, Rule


def dictionaries(example: Example, analyzer: Analyzer) -> list[Dictionary]:
    return [parse(f.text, analyzer=analyzer, path=f.path, kind=f.kind) for f in example.files]


def run_example(example: Example, options: CheckOptions | None = None) -> list[Finding]:
    """Whole-file findings of an example, plus removed-rule findings when it removes lines."""
    options = options or CheckOptions()
    analyzer = get_analyzer(example.analyzer)
    dicts = dictionaries(example, analyzer)
    findings = check_dictionaries(dicts, analyzer=analyzer, options=options)
    if example.removed:
        index = DictionaryIndex.build(dicts, expand=options.expand)
        removed = [
            parse_line(raw, path=example.main.path, line=100 + i, analyzer=analyzer)
            for i, raw in enumerate(example.removed)
        ]
        findings += check_removed([r for r in removed if isinstance(r, Rule)], index=index, options=options)
    return findings


def check_text(
    text: str,
    *,
    kind: Kind = Kind.SYNONYMS,
    analyzer: str = "whitespace",
    options: CheckOptions | None = None,
    path: str | None = None,
) -> list[Finding]:
    analyzer_ = get_analyzer(analyzer)
    path = path or ("typos/t.txt" if kind is Kind.TYPOS else "synonyms/s.txt")
    dictionary = parse(text, analyzer=analyzer_, path=path, kind=kind)
    return check_dictionaries([dictionary], analyzer=analyzer_, options=options or CheckOptions())


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


__all__ = ["check_changed", "check_text", "codes", "dictionaries", "run_example"]
