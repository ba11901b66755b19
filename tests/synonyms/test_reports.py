"""Reports: the shapes CI tools and GitLab read."""

from __future__ import annotations

import json
from dataclasses import replace
from xml.etree import ElementTree as ET

from synonyms.findings import Finding, Severity, Source
from synonyms.reports import (
    ReportFormat,
    render,
    render_codequality,
    render_json,
    render_junit,
    render_text,
)

ERROR = Finding(
    path="synonyms/food.txt",
    line=3,
    severity=Severity.ERROR,
    code="syntax-error",
    message="больше одного => в строке",
    rule="a => b => c",
)
WARNING = Finding(
    path="synonyms/food.txt",
    line=7,
    end_line=8,
    severity=Severity.WARNING,
    code="duplicate-rule",
    message="повтор строки 2",
    suggestion="",
    rule="томат, помидор",
)
INFO = Finding(
    path="typos/typos.txt",
    line=1,
    severity=Severity.INFO,
    code="layout-typo",
    message="раскладка",
    suggestion="rhjccjdrb => кроссовки",
    source=Source.LLM,
    rule="rhjccjdrb => кросовки",
)


def test_json_is_the_design_array_in_file_and_line_order() -> None:
    data = json.loads(render_json([INFO, WARNING, ERROR]))
    assert [(d["path"], d["line"]) for d in data] == [
        ("synonyms/food.txt", 3),
        ("synonyms/food.txt", 7),
        ("typos/typos.txt", 1),
    ]
    assert set(data[0]) == {"path", "line", "end_line", "severity", "code", "message", "suggestion", "source"}
    assert data[1]["end_line"] == 8 and data[1]["suggestion"] == ""
    assert data[2]["source"] == "llm" and data[0]["suggestion"] is None


def test_json_keeps_cyrillic_readable() -> None:
    assert "больше одного" in render_json([ERROR])


def test_codequality_issues_have_gitlab_required_keys_and_severities() -> None:
    issues = json.loads(render_codequality([ERROR, WARNING, INFO]))
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["path"], str)
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert [i["severity"] for i in issues] == ["critical", "minor", "info"]


def test_codequality_fingerprint_survives_the_rule_moving_to_another_line() -> None:
    moved = replace(ERROR, line=40)
    before = json.loads(render_codequality([ERROR]))[0]["fingerprint"]
    after = json.loads(render_codequality([moved]))[0]["fingerprint"]
    assert before == after


def test_codequality_fingerprints_differ_for_two_copies_of_one_bad_line() -> None:
    copy = replace(ERROR, line=9)
    issues = json.loads(render_codequality([ERROR, copy]))
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]


def test_codequality_fingerprint_changes_with_the_code() -> None:
    other = replace(ERROR, code="other")
    a, b = json.loads(render_codequality([ERROR, other]))
    assert a["fingerprint"] != b["fingerprint"]


def test_junit_has_a_suite_per_file_and_failures_only_for_errors() -> None:
    root = ET.fromstring(render_junit([ERROR, WARNING, INFO], paths=["synonyms/clean.txt"]))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"synonyms/clean.txt", "synonyms/food.txt", "typos/typos.txt"}
    food = suites["synonyms/food.txt"]
    assert food.get("tests") == "2" and food.get("failures") == "1"
    failures = [case for case in food.findall("testcase") if case.find("failure") is not None]
    assert len(failures) == 1 and failures[0].find("failure").get("type") == "syntax-error"  # type: ignore[union-attr]
    clean = suites["synonyms/clean.txt"]
    assert clean.get("failures") == "0" and len(clean.findall("testcase")) == 1
    assert root.get("tests") == "4" and root.get("failures") == "1"


def test_text_groups_by_file_and_shows_the_suggestion() -> None:
    text = render_text([INFO, ERROR, WARNING])
    assert text.index("synonyms/food.txt") < text.index("typos/typos.txt")
    assert "→ rhjccjdrb => кроссовки" in text
    assert "→ (удалить строку / delete the line)" in text
    assert text.rstrip().endswith("2 file(s) checked: 1 error(s), 1 warning(s), 1 info")


def test_every_format_renders_no_findings() -> None:
    for fmt in ReportFormat:
        assert render(fmt, [], paths=["synonyms/a.txt"])
    assert json.loads(render(ReportFormat.CODEQUALITY, [])) == []
