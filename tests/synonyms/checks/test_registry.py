"""Every registered code fires on its bad example and not on its fixed one."""

from __future__ import annotations

import re

import pytest

from synonyms.analysis import get_analyzer
from synonyms.checks.examples import run_example
from synonyms.checks.registry import REGISTRY, Code, Family
from synonyms.parser import parse_line
from synonyms.rules import Rule

CODES = sorted(REGISTRY.values(), key=lambda c: c.code)
# A fallback code (`syntax-error`) has no triggering text of its own; a direct test below covers it.
TRIGGERED = [c for c in CODES if not c.fallback]


@pytest.mark.parametrize("entry", TRIGGERED, ids=lambda c: c.code)
def test_code_fires_on_its_bad_example(entry: Code) -> None:
    findings = [f for f in run_example(entry.bad) if f.code == entry.code]
    assert findings, f"{entry.code} did not fire on {entry.bad.main.text!r}"
    assert all(f.severity is entry.severity for f in findings)


@pytest.mark.parametrize("entry", CODES, ids=lambda c: c.code)
def test_code_is_silent_on_its_fixed_example(entry: Code) -> None:
    assert entry.code not in [f.code for f in run_example(entry.fixed)]


@pytest.mark.parametrize("entry", CODES, ids=lambda c: c.code)
def test_every_suggestion_on_examples_parses_as_a_valid_rule(entry: Code) -> None:
    analyzer = get_analyzer(entry.bad.analyzer)
    for finding in run_example(entry.bad) + run_example(entry.fixed):
        if finding.suggestion:
            parsed = parse_line(finding.suggestion, path=finding.path, line=finding.line, analyzer=analyzer)
            assert isinstance(parsed, Rule), (finding.code, finding.suggestion)


def test_codes_are_kebab_case_and_families_are_known() -> None:
    for entry in CODES:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", entry.code)
        assert entry.family in Family


def test_messages_come_in_the_requested_language() -> None:
    from synonyms.checks import CheckOptions

    entry = REGISTRY["duplicate-term"]
    ru = next(f for f in run_example(entry.bad) if f.code == entry.code)
    en = next(f for f in run_example(entry.bad, CheckOptions(language="en")) if f.code == entry.code)
    assert "повторяется" in ru.message
    assert "repeated" in en.message


def test_a_parser_reason_without_a_specific_code_is_a_syntax_error() -> None:
    from synonyms.checks import CheckOptions, check_dictionaries
    from synonyms.rules import Dictionary, Kind, LineError

    error = LineError(path="s.txt", line=3, raw="x", reason="Invalid synonym rule at line 3")
    dictionary = Dictionary(path="s.txt", kind=Kind.SYNONYMS, errors=(error,))
    findings = check_dictionaries([dictionary], analyzer=get_analyzer("whitespace"), options=CheckOptions())
    assert [(f.code, f.line) for f in findings] == [("syntax-error", 3)]
    assert "Invalid synonym rule" in findings[0].message


def test_docs_page_is_generated_from_the_registry() -> None:
    from pathlib import Path

    from synonyms.checks.docs import render

    page = Path(__file__).resolve().parents[3] / "docs" / "checks.md"
    assert page.read_text(encoding="utf-8") == render(), "run `make docs` to regenerate docs/checks.md"
