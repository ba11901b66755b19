"""Reports: findings rendered as plain text, JSON, GitLab Code Quality and JUnit XML.

Every renderer is a pure function from findings to text. ``paths`` names every file that was
checked, so that clean files still appear (a JUnit suite that passed, a "clean" line).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from enum import StrEnum
from typing import Literal
from xml.etree import ElementTree as ET

from synonyms.findings import Finding, Severity


class ReportFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CODEQUALITY = "codequality"
    JUNIT = "junit"


# GitLab Code Quality severities: info | minor | major | critical | blocker.
CODEQUALITY_SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "minor", Severity.INFO: "info"}


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in (path, line, severity, code) order, the order every report uses."""
    return sorted(findings, key=lambda f: (f.path, f.line, f.severity.rank, f.code))


def by_path(findings: Iterable[Finding], paths: Sequence[str] = ()) -> dict[str, list[Finding]]:
    """Findings grouped by file in path order; every path of ``paths`` is present, maybe empty."""
    groups: dict[str, list[Finding]] = {path: [] for path in paths}
    for finding in ordered(findings):
        groups.setdefault(finding.path, []).append(finding)
    return dict(sorted(groups.items()))


def counts(findings: Iterable[Finding]) -> Counter[Severity]:
    return Counter(f.severity for f in findings)


def summary(findings: Sequence[Finding], *, files: int) -> str:
    """One line: how many files and how many findings of each severity."""
    n = counts(findings)
    return (
        f"{files} file(s) checked: {n[Severity.ERROR]} error(s), "
        f"{n[Severity.WARNING]} warning(s), {n[Severity.INFO]} info"
    )


def location(finding: Finding) -> str:
    lines = f"{finding.line}" if finding.last_line == finding.line else f"{finding.line}-{finding.last_line}"
    return f"{finding.path}:{lines}"


TextRole = Literal["path", "error", "warning", "info", "suggestion", "blank", "clean", "failed"]


def text_lines(findings: Sequence[Finding], *, paths: Sequence[str] = ()) -> Iterator[tuple[TextRole, str]]:
    """The text report line by line, each with its role, so a terminal can colour it by role."""
    groups = by_path(findings, paths)
    for path, group in groups.items():
        if not group:
            continue
        yield "path", path
        for f in group:
            yield f.severity.value, f"  {f.line:>5}  {f.severity.value:<7} {f.message}  [{f.code}]"
            if f.suggestion is not None:
                yield (
                    "suggestion",
                    "         → " + (f.suggestion if f.suggestion else "(удалить строку / delete the line)"),
                )
        yield "blank", ""
    failed = any(f.severity is Severity.ERROR for f in findings)
    yield ("failed" if failed else "clean"), summary(findings, files=len(groups))


def render_text(findings: Sequence[Finding], *, paths: Sequence[str] = ()) -> str:
    """Plain text grouped by file: one line per finding, its suggestion under it, a summary last."""
    return "".join(line + "\n" for _, line in text_lines(findings, paths=paths))


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # one encoder: json.dumps(...) builds one per call


def _json_array(items: Iterable[object]) -> str:
    """A JSON array with one item a line: readable in a diff, and encoded by json's C encoder."""
    body = ",\n".join(map(_ENCODER.encode, items))
    return f"[\n{body}\n]\n" if body else "[]\n"


def render_json(findings: Sequence[Finding]) -> str:
    """The JSON array pinned in DESIGN.md (``Finding.to_json``)."""
    return _json_array(f.to_json() for f in ordered(findings))


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """Stable ids: a hash of path, code and rule text (not the line, which moves on every edit).

    Identical (path, code, rule) triples, e.g. two copies of one line, get ``#2``, ``#3`` ...
    appended before hashing so that GitLab does not merge them into one issue.
    """
    seen: Counter[tuple[str, str, str]] = Counter()
    result: list[str] = []
    for f in findings:
        key = (f.path, f.code, f.rule or f.message)
        seen[key] += 1
        text = "\0".join(key) + (f"#{seen[key]}" if seen[key] > 1 else "")
        result.append(hashlib.sha256(text.encode("utf-8")).hexdigest())
    return result


def render_codequality(findings: Sequence[Finding]) -> str:
    """GitLab Code Quality (a subset of Code Climate's format): a JSON array of issues."""
    found = ordered(findings)
    issues = (
        {
            "type": "issue",
            "description": f.message,
            "check_name": f.code,
            "fingerprint": fingerprint,
            "severity": CODEQUALITY_SEVERITY[f.severity],
            "location": {"path": f.path, "lines": {"begin": f.line, "end": f.last_line}},
        }
        for f, fingerprint in zip(found, fingerprints(found), strict=True)
    )
    return _json_array(issues)


def render_junit(findings: Sequence[Finding], *, paths: Sequence[str] = ()) -> str:
    """JUnit XML: one testsuite per file, one testcase per finding; errors are failures.

    A file without findings gets one passing testcase, so the MR widget lists it as checked.
    Warnings and info pass, with the message in ``system-out``: the widget is for what blocks.
    """
    groups = by_path(findings, paths)
    root = ET.Element("testsuites", name="synbot")
    total = failures = 0
    for path, group in groups.items():
        suite = ET.SubElement(root, "testsuite", name=path)
        if not group:
            ET.SubElement(suite, "testcase", name="no findings", classname=path, file=path)
        for f in group:
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"line {f.line}: {f.code}",
                classname=path,
                file=path,
                line=str(f.line),
            )
            detail = f"{location(f)}: {f.severity.value} [{f.code}] {f.message}\n{f.rule}"
            if f.severity is Severity.ERROR:
                failure = ET.SubElement(case, "failure", message=f.message, type=f.code)
                failure.text = detail
            else:
                ET.SubElement(case, "system-out").text = detail
        tests = max(len(group), 1)
        errors = sum(f.severity is Severity.ERROR for f in group)
        suite.set("tests", str(tests))
        suite.set("failures", str(errors))
        suite.set("errors", "0")
        total += tests
        failures += errors
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render(fmt: ReportFormat, findings: Sequence[Finding], *, paths: Sequence[str] = ()) -> str:
    """Any report by its format name."""
    match fmt:
        case ReportFormat.TEXT:
            return render_text(findings, paths=paths)
        case ReportFormat.JSON:
            return render_json(findings)
        case ReportFormat.CODEQUALITY:
            return render_codequality(findings)
        case ReportFormat.JUNIT:
            return render_junit(findings, paths=paths)
