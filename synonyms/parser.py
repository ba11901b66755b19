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

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager

from synonyms.analysis import Analyzer, TokenTexts
from synonyms.rules import Dictionary, Kind, LineError, Mapping, Rule, Term, new_rule, new_term

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_JAVA_TRIM = "".join(chr(c) for c in range(0x21))


class TermError(ValueError):
    """A term Lucene's ``SynonymMap.Parser.analyze`` refuses."""


def split_lines(text: str) -> list[str]:
    """Split like Java's ``BufferedReader.readLine``: ``\\n``, ``\\r`` or ``\\r\\n``."""
    lines = _LINE_BREAK.split(text) if "\r" in text else text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


# Lucene's split as a scanner: a backslash takes the next character (or ends the text).
_PIECES = {
    ",": re.compile(r"(?:\\[\s\S]?|[^\\,])+"),
    "=>": re.compile(r"(=>)|((?:\\[\s\S]?|[^\\=]|=(?!>))+)"),
}
_ESCAPE = re.compile(r"\\([\s\S])")


def _split(s: str, separator: str, offset: int) -> list[tuple[str, int, int]]:
    """Lucene's ``split``: non-empty pieces with their columns (offset-based), escapes kept."""
    if "\\" not in s:
        pieces: list[tuple[str, int, int]] = []
        pos = offset
        step = len(separator)
        for piece in s.split(separator):
            if piece:
                pieces.append((piece, pos, pos + len(piece)))
            pos += len(piece) + step
        return pieces
    if separator == ",":
        return [(m.group(), offset + m.start(), offset + m.end()) for m in _PIECES[","].finditer(s)]
    return [
        (m.group(2), offset + m.start(), offset + m.end()) for m in _PIECES["=>"].finditer(s) if m.group(2)
    ]


def unescape(s: str) -> str:
    """Lucene's ``unescape``: a backslash takes the next character literally."""
    if "\\" not in s:
        return s
    if "\\\\" not in s and not s.endswith("\\"):
        return s.replace("\\", "")  # every backslash escapes the plain character after it
    return _ESCAPE.sub(_escaped_character, s)


def _escaped_character(match: re.Match[str]) -> str:
    return match.group(1)


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


# What one distinct term text analyzes to: the text itself (shared by every occurrence), its
# tokens and their joined form.
_Analyzed = tuple[str, tuple[str, ...], str]


class _TermTokens:
    """:func:`analyze_term` memoized for one parse, refusals (as strings) included.

    Every occurrence of a term gets the first occurrence's strings and tuple: a big dictionary
    repeats its words many times, and one shared copy saves memory and the index's joins.
    """

    def __init__(self, analyzer: Analyzer) -> None:
        self._analyzer = analyzer
        self._token_texts = analyzer.token_texts if isinstance(analyzer, TokenTexts) else None
        self.memo: dict[str, _Analyzed | str] = {}

    def miss(self, text: str) -> _Analyzed | str:
        tokens: tuple[str, ...] | str
        if self._token_texts is not None:
            tokens = _checked_texts(text, *self._token_texts(text))
        else:
            try:
                tokens = analyze_term(text, self._analyzer)
            except TermError as exc:
                tokens = str(exc)
        if isinstance(tokens, str):
            self.memo[text] = tokens
            return tokens
        analyzed = tokens[0] if len(tokens) == 1 else " ".join(tokens)
        if analyzed == text:
            analyzed = text
            if len(tokens) == 1:
                tokens = (text,)
        found = self.memo[text] = (text, tokens, analyzed)
        return found


def _checked_texts(text: str, texts: tuple[str, ...], bad: int, increment: int) -> tuple[str, ...] | str:
    """:func:`analyze_term`'s verdict from token texts: the tokens, or Lucene's refusal."""
    if "" in texts and (bad < 0 or texts.index("") <= bad):
        return f"term: {text} analyzed to a zero-length token"
    if bad >= 0:
        return (
            f"term: {text} analyzed to a token ({texts[bad]}) with position increment != 1 (got: {increment})"
        )
    return texts if texts else f"term: {text} was completely eliminated by analyzer"


def _term_columns(piece: str, start: int) -> tuple[int, int]:
    """Columns of the trimmed raw piece, so that ``raw[start:end]`` is the term as written.

    Trimming works on the escaped text too, except that an escaped trailing blank keeps its
    backslash company: ``a\\ `` spans both characters.
    """
    stripped = piece.lstrip(_JAVA_TRIM)
    col = start + len(piece) - len(stripped)
    core = stripped.rstrip(_JAVA_TRIM)
    if core.endswith("\\") and len(core) < len(stripped):
        core = stripped[: len(core) + 1]
    return col, col + len(core)


def _terms(part: str, offset: int, tokens_of: _TermTokens) -> tuple[Term, ...]:
    """The comma-separated terms of one side, analyzed: Lucene's steps one by one."""
    terms: list[Term] = []
    for piece, start, _ in _split(part, ",", offset):
        if "\\" in piece:
            text = unescape(piece).strip(_JAVA_TRIM)
            col, end = _term_columns(piece, start)
        else:
            text = piece.strip(_JAVA_TRIM)
            col = start + len(piece) - len(piece.lstrip(_JAVA_TRIM)) if text else start + len(piece)
            end = col + len(text)
        terms.append(_term(text, col, end, tokens_of))
    return tuple(terms)


def _term(text: str, start: int, end: int, tokens_of: _TermTokens) -> Term:
    found = tokens_of.memo.get(text) or tokens_of.miss(text)
    if isinstance(found, str):
        raise TermError(found)
    shared, tokens, analyzed = found
    return new_term(shared, start, end, tokens, analyzed)


# The fast path (no backslash, no blank piece): a trimmed term is a run between commas that
# starts and ends with a character Java's trim() keeps.
_TRIMMED_TERM = re.compile(r"[^,\x00- ](?:[^,]*[^,\x00- ])?")
_BLANK_PIECE = re.compile(r"(?:^|,)[\x00- ]+(?=,|$)")


def _plain_terms(part: str, offset: int, tokens_of: _TermTokens) -> list[Term]:
    """:func:`_terms` for text without escapes or blank pieces: the parser's hot path."""
    terms: list[Term] = []
    memo = tokens_of.memo
    pos = 0
    for text in _TRIMMED_TERM.findall(part):
        col = part.find(text, pos)
        pos = col + len(text)
        found = memo.get(text) or tokens_of.miss(text)
        if found.__class__ is str:
            raise TermError(found)
        terms.append(new_term(found[0], offset + col, offset + pos, found[1], found[2]))  # type: ignore[arg-type]
    return terms


def _parse_plain_line(raw: str, path: str, line: int, tokens_of: _TermTokens) -> Rule | None:
    """A line without backslashes or blank pieces, or ``None`` when the careful path must run."""
    if "=>" not in raw:
        if _BLANK_PIECE.search(raw):
            return None
        terms = tuple(_plain_terms(raw, 0, tokens_of))
        return new_rule(path, line, raw, terms) if terms else None
    sides = raw.split("=>")
    if len(sides) != 2 or not sides[0] or not sides[1]:
        return None
    left, right = sides
    if _BLANK_PIECE.search(left) or _BLANK_PIECE.search(right):
        return None
    inputs = tuple(_plain_terms(left, 0, tokens_of))
    outputs = tuple(_plain_terms(right, len(left) + 2, tokens_of))
    return new_rule(path, line, raw, inputs, outputs) if inputs and outputs else None


# Escapes take the fast path too when none of them escapes a blank and the line does not end
# in a backslash: then trimming the written text trims exactly what Lucene trims.
_TRIMMED_ESCAPED_TERM = re.compile(r"(?:\\.|[^,\\\x00- ])(?:(?:\\.|[^,\\])*(?:\\.|[^,\\\x00- ]))?", re.S)
_ESCAPED_BLANK_OR_END = re.compile(r"\\(?:[\x00- ]|$)")


def _escaped_terms(part: str, offset: int, tokens_of: _TermTokens) -> list[Term]:
    """:func:`_plain_terms` for text whose escapes :data:`_ESCAPED_BLANK_OR_END` allows."""
    terms: list[Term] = []
    pos = 0
    for written in _TRIMMED_ESCAPED_TERM.findall(part):
        col = part.find(written, pos)
        pos = col + len(written)
        text = unescape(written) if "\\" in written else written
        terms.append(_term(text, offset + col, offset + pos, tokens_of))
    return terms


def _parse_escaped_line(raw: str, path: str, line: int, tokens_of: _TermTokens) -> Rule | None:
    """A line with harmless escapes, or ``None`` when the careful path must run."""
    if _ESCAPED_BLANK_OR_END.search(raw):
        return None
    sides = _split(raw, "=>", 0) if "=>" in raw else [(raw, 0, len(raw))]
    if len(sides) == 2:
        (left, left_start, _), (right, right_start, _) = sides
        if _BLANK_PIECE.search(left) or _BLANK_PIECE.search(right):
            return None
        inputs = tuple(_escaped_terms(left, left_start, tokens_of))
        outputs = tuple(_escaped_terms(right, right_start, tokens_of))
        return new_rule(path, line, raw, inputs, outputs) if inputs and outputs else None
    if len(sides) > 2 or _BLANK_PIECE.search(raw):
        return None
    terms = tuple(_escaped_terms(raw, 0, tokens_of))
    return new_rule(path, line, raw, terms) if terms else None


def _parse_line(raw: str, path: str, line: int, tokens_of: _TermTokens) -> Rule | LineError | None:
    if not raw or raw[0] == "#":
        return None
    try:
        if "\\" in raw:
            rule = _parse_escaped_line(raw, path, line, tokens_of)
        else:
            rule = _parse_plain_line(raw, path, line, tokens_of)
        if rule is not None:
            return rule
        sides = _split(raw, "=>", 0)
        if len(sides) > 1:
            if len(sides) != 2:
                raise TermError("more than one explicit mapping specified on the same line")
            (left, left_start, _), (right, right_start, _) = sides
            inputs = _terms(left, left_start, tokens_of)
            outputs = _terms(right, right_start, tokens_of)
            if not inputs or not outputs:
                return None  # a side of commas only (",, => b"): Lucene adds nothing
            return Rule(path=path, line=line, raw=raw, inputs=inputs, outputs=outputs)
        inputs = _terms(raw, 0, tokens_of)
        return Rule(path=path, line=line, raw=raw, inputs=inputs) if inputs else None
    except TermError as exc:
        return LineError(path=path, line=line, raw=raw, reason=str(exc))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a big file makes millions of acyclic objects (rules,
    terms, index entries), and the collector's repeated passes over them would cost more than
    the work itself. Nests: only the outermost pause re-enables it.

    On the way out the objects made meanwhile join the oldest generation directly (``freeze``
    then ``unfreeze`` moves them there without a pass; skipped if the program froze objects
    itself): otherwise the first young collection would walk them all (0.5 s for 300,000 rules).
    Cyclic garbage among them is still found, by the next full collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def parse_line(raw: str, *, path: str, line: int, analyzer: Analyzer) -> Rule | LineError | None:
    """One line: a rule, the error Lucene would raise, or ``None`` for blank and comment lines."""
    return _parse_line(raw, path, line, _TermTokens(analyzer))


def parse(text: str, *, analyzer: Analyzer, path: str = "<stdin>", kind: Kind = Kind.SYNONYMS) -> Dictionary:
    """Parse a whole file; every bad line becomes a :class:`LineError`, nothing is dropped."""
    lines = split_lines(text)
    tokens_of = _TermTokens(analyzer)
    rules: list[Rule] = []
    errors: list[LineError] = []
    with collector_paused():
        for number, raw in enumerate(lines, start=1):
            parsed = _parse_line(raw, path, number, tokens_of)
            if isinstance(parsed, Rule):
                rules.append(parsed)
            elif parsed is not None:
                errors.append(parsed)
        del tokens_of  # its memo's tuples go now, before the returning collector would walk them
        return Dictionary(path=path, kind=kind, rules=tuple(rules), errors=tuple(errors), lines=tuple(lines))


def mappings(rule: Rule, *, expand: bool) -> Iterator[Mapping]:
    """The ``add(input, output, includeOrig)`` calls Lucene makes for one rule, in its order."""
    inputs = [term.analyzed for term in rule.inputs]
    if rule.outputs:
        outputs = [term.analyzed for term in rule.outputs]
        for left in inputs:
            for right in outputs:
                yield Mapping(left, right, False)
    elif expand:
        for a, left in enumerate(inputs):
            for b, right in enumerate(inputs):
                if a != b:
                    yield Mapping(left, right, True)
    elif inputs:
        first = inputs[0]
        for left in inputs:
            yield Mapping(left, first, False)
