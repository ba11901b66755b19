"""Running a registry example: the docs page and the registry test show and assert the same output."""

from __future__ import annotations

from synonyms.analysis import get_analyzer
from synonyms.checks import CheckOptions, DictionaryIndex, check_dictionaries, check_removed
from synonyms.checks.registry import Example
from synonyms.findings import Finding
from synonyms.parser import parse, parse_line
from synonyms.rules import Rule


def run_example(example: Example, options: CheckOptions | None = None) -> list[Finding]:
    """Whole-file findings of an example, plus removed-rule findings when it removes lines."""
    options = options or CheckOptions()
    analyzer = get_analyzer(example.analyzer)
    dictionaries = [parse(f.text, analyzer=analyzer, path=f.path, kind=f.kind) for f in example.files]
    findings = check_dictionaries(dictionaries, analyzer=analyzer, options=options)
    if example.removed:
        index = DictionaryIndex.build(dictionaries, expand=options.expand)
        parsed = [
            parse_line(raw, path=example.main.path, line=100 + i, analyzer=analyzer)
            for i, raw in enumerate(example.removed)
        ]
        removed = [rule for rule in parsed if isinstance(rule, Rule)]
        findings += check_removed(removed, index=index, options=options)
    return findings
