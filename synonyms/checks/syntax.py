"""Syntax family: lines Elasticsearch refuses, split by Lucene's reason into specific codes.

The parser reports every bad line with Lucene's own message; this module names the reason
(blank line of spaces, empty term, several arrows, a term the analyzer removes) and adds a
fix where it is certain: delete a spaces-only line, drop an empty piece.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from synonyms.checks.context import Context
from synonyms.checks.registry import REGISTRY
from synonyms.findings import Finding
from synonyms.rules import LineError

_TERM_REASON = re.compile(
    r"^term: (?P<term>.*?) (?P<why>was completely eliminated by analyzer|analyzed to a zero-length token"
    r"|analyzed to a token \(.*\) with position increment != 1.*)$",
    re.DOTALL,
)
# A comma followed only by spaces up to the next comma or the end of the line (or the arrow).
_EMPTY_PIECE = re.compile(r"(?<!\\),[ \t]*(?=,|$)|^[ \t]*,")
_EMPTY_BEFORE_ARROW = re.compile(r"(?<!\\),[ \t]*(?==>)")
_JAVA_TRIM = "".join(chr(c) for c in range(0x21))


def check_error(error: LineError, ctx: Context) -> Iterator[Finding]:
    code, params, suggestion = classify(error, analyzer_name=ctx.analyzer.name)
    finding = ctx.finding(
        code, path=error.path, line=error.line, raw=error.raw, suggestion=suggestion, **params
    )
    if finding is not None:
        yield finding


def classify(error: LineError, *, analyzer_name: str) -> tuple[str, dict[str, object], str | None]:
    """The specific code of a bad line, its message parameters, and a certain fix if any."""
    if error.code != "syntax-error" and error.code in REGISTRY:
        return error.code, {"reason": error.reason, "term": "", "analyzer": analyzer_name}, None
    if not error.raw.strip(_JAVA_TRIM):
        return "blank-line-with-spaces", {}, ""
    if error.reason.startswith("more than one explicit mapping"):
        return "multiple-arrows", {}, None
    match = _TERM_REASON.match(error.reason)
    if match is None:
        return "syntax-error", {"reason": error.reason}, None
    term = match["term"]
    if not term.strip(_JAVA_TRIM):
        fixed = _EMPTY_PIECE.sub("", _EMPTY_BEFORE_ARROW.sub(" ", error.raw)).rstrip(" \t")
        return "empty-term", {}, fixed
    if match["why"].startswith("analyzed to a token"):
        return "stopword-inside-term", {"term": term, "analyzer": analyzer_name}, None
    return "term-eliminated", {"term": term, "analyzer": analyzer_name}, None
