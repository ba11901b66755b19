"""Deterministic checks: one module per family, one registry of stable codes.

Entry points:

* :func:`check_dictionaries` checks whole files (``synbot check``);
* :func:`check_changed` checks only the given rules of an already-indexed dictionary
  (the review of an MR diff), so a 100-line diff against a huge dictionary stays fast.
"""

from __future__ import annotations

from collections.abc import Sequence

from synonyms.analysis import Analyzer
from synonyms.checks.options import CheckOptions
from synonyms.findings import Finding, Severity
from synonyms.rules import Dictionary

__all__ = ["CheckOptions", "check_dictionaries"]


def check_dictionaries(
    dictionaries: Sequence[Dictionary], *, analyzer: Analyzer, options: CheckOptions
) -> list[Finding]:
    """Every finding for whole files, in (path, line) order."""
    findings = [
        Finding(
            path=error.path,
            line=error.line,
            severity=Severity.ERROR,
            code=error.code,
            message=error.reason,
            rule=error.raw,
        )
        for dictionary in dictionaries
        for error in dictionary.errors
    ]
    return sorted(findings, key=lambda f: (f.path, f.line, f.code))
