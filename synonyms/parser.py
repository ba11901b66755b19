"""Solr synonym format, parsed exactly as Lucene's ``SolrSynonymParser`` parses it.

Lucene stops at the first bad line; this parser reports every bad line of a file with its
number and Lucene's reason, and keeps the columns of every term. Quirks kept on purpose
(checked against the reference tool, see ``tests/vectors``):

* only a line whose first character is ``#`` is a comment (`` # x`` is a term);
* empty pieces between separators are dropped (``a,,b``, ``a,b,``), but a piece of only
  spaces is analyzed, and an empty term is an error (``a, b, `` and a blank-but-spaces line);
* ``a =>`` has a single piece, so it is an equivalence list of the one term ``a =>``;
* ``a => b => c`` is an error; ``\\`` escapes the next character in separators and terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from synonyms.analysis import Analyzer
from synonyms.rules import Dictionary, Kind, LineError, Mapping, Rule, Term

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_JAVA_TRIM = "".join(chr(c) for c in range(0x21))


class TermError(ValueError):
    """A term Lucene's ``SynonymMap.Parser.analyze`` refuses."""


def split_lines(text: str) -> list[str]:
    """Split like Java's ``BufferedReader.readLine``: ``\\n``, ``\\r`` or ``\\r\\n``."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _split(s: str, separator: str, offset: int) -> list[tuple[str, int, int]]:
    """Lucene's ``split``: pieces with their start/end columns (offset-based), escapes kept."""
    pieces: list[tuple[str, int, int]] = []
    buf: list[str] = []
    start = 0
    pos, end = 0, len(s)
    sep_len = len(separator)
    while pos < end:
        if s.startswith(separator, pos):
            if buf:
                pieces.append(("".join(buf), offset + start, offset + pos))
                buf = []
            pos += sep_len
            start = pos
            continue
        ch = s[pos]
        pos += 1
        if ch == "\\":
            buf.append(ch)
            if pos >= end:
                break
            ch = s[pos]
            pos += 1
        buf.append(ch)
    if buf:
        pieces.append(("".join(buf), offset + start, offset + pos))
    return pieces


def unescape(s: str) -> str:
    """Lucene's ``unescape``: a backslash takes the next character literally."""
    if "\\" not in s:
        return s
    out: list[str] = []
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        if ch == "\\" and i < n - 1:
            i += 1
            out.append(s[i])
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def analyze_term(text: str, analyzer: Analyzer) -> tuple[str, ...]:
    """Lucene's ``SynonymMap.Parser.analyze``: tokens of a term, or the error Lucene raises."""
    analysis = analyzer.analyze(text)
    tokens: list[str] = []
    for token in analysis.tokens:
        if not token.text:
            raise TermError(f"term: {text} analyzed to a zero-length token")
        if token.position_increment != 1:
            raise TermError(
                f"term: {text} analyzed to a token ({token.text}) with position increment != 1 "
                f"(got: {token.position_increment})"
            )
        tokens.append(token.text)
    if not tokens:
        raise TermError(f"term: {text} was completely eliminated by analyzer")
    return tuple(tokens)


def _terms(part: str, offset: int, analyzer: Analyzer) -> tuple[Term, ...]:
    terms: list[Term] = []
    for piece, start, end in _split(part, ",", offset):
        text = unescape(piece).strip(_JAVA_TRIM)
        # Columns of the trimmed raw piece: trimming works on the escaped text too, except
        # that an escaped trailing space survives unescape+trim only as its escaped form.
        raw_stripped = piece.lstrip(_JAVA_TRIM)
        col = start + (len(piece) - len(raw_stripped))
        raw_core = raw_stripped.rstrip(_JAVA_TRIM)
        if raw_core.endswith("\\") and len(raw_core) < len(raw_stripped):
            raw_core = raw_stripped[: len(raw_core) + 1]
        terms.append(Term(text=text, start=col, end=col + len(raw_core), tokens=analyze_term(text, analyzer)))
    return tuple(terms)


def parse_line(raw: str, *, path: str, line: int, analyzer: Analyzer) -> Rule | LineError | None:
    """One line: a rule, the error Lucene would raise, or ``None`` for blank and comment lines."""
    if not raw or raw[0] == "#":
        return None
    sides = _split(raw, "=>", 0)
    try:
        if len(sides) > 1:
            if len(sides) != 2:
                raise TermError("more than one explicit mapping specified on the same line")
            (left, left_start, _), (right, right_start, _) = sides
            inputs = _terms(left, left_start, analyzer)
            outputs = _terms(right, right_start, analyzer)
            return Rule(path=path, line=line, raw=raw, inputs=inputs, outputs=outputs)
        return Rule(path=path, line=line, raw=raw, inputs=_terms(raw, 0, analyzer))
    except TermError as exc:
        return LineError(path=path, line=line, raw=raw, reason=str(exc))


def parse(text: str, *, analyzer: Analyzer, path: str = "<stdin>", kind: Kind = Kind.SYNONYMS) -> Dictionary:
    """Parse a whole file; every bad line becomes a :class:`LineError`, nothing is dropped."""
    lines = split_lines(text)
    rules: list[Rule] = []
    errors: list[LineError] = []
    for number, raw in enumerate(lines, start=1):
        parsed = parse_line(raw, path=path, line=number, analyzer=analyzer)
        if isinstance(parsed, Rule):
            rules.append(parsed)
        elif parsed is not None:
            errors.append(parsed)
    return Dictionary(path=path, kind=kind, rules=tuple(rules), errors=tuple(errors), lines=tuple(lines))


def mappings(rule: Rule, *, expand: bool) -> Iterator[Mapping]:
    """The ``add(input, output, includeOrig)`` calls Lucene makes for one rule, in its order."""
    if rule.is_mapping:
        for i in rule.inputs:
            for o in rule.outputs:
                yield Mapping(i.analyzed, o.analyzed, keep_orig=False)
    elif expand:
        for a, left in enumerate(rule.inputs):
            for b, right in enumerate(rule.inputs):
                if a != b:
                    yield Mapping(left.analyzed, right.analyzed, keep_orig=True)
    else:
        first = rule.inputs[0].analyzed
        for term in rule.inputs:
            yield Mapping(term.analyzed, first, keep_orig=False)
