"""Tokenizers and case folding exactly as Lucene 8.7 does them (the JVM's view of text).

* :func:`whitespace_tokens`: ``WhitespaceTokenizer`` (Java's ``Character.isWhitespace``,
  which, unlike Python's ``str.split``, keeps NBSP, U+2007, U+202F and U+0085 inside tokens).
* :func:`standard_tokens`: ``StandardTokenizer``, Unicode UAX #29 word boundaries (the
  ``regex`` module's ``(?w)`` mode), keeping only segments with letters, digits, ideographs,
  kana, South-East Asian scripts or emoji, as Lucene's grammar does.
* :func:`java_lower`: ``LowerCaseFilter`` (``Character.toLowerCase`` per code point: no
  final-sigma rule, ``İ`` becomes ``i``, letters newer than Java 17's Unicode stay as they are).

Both tokenizers cut tokens longer than 255 UTF-16 units the way Lucene does; the reference
tool's vectors in ``tests/vectors`` pin the details.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

MAX_TOKEN_LENGTH = 255  # StandardAnalyzer.DEFAULT_MAX_TOKEN_LENGTH and CharTokenizer.DEFAULT_MAX_WORD_LEN

# Java's Character.isWhitespace.
_JAVA_WHITESPACE_RUN = re.compile(
    "[\t\n\u000b\f\r\u001c-\u001f \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]+"
)
# Python's str.isspace() characters that Java does not count as whitespace.
_NOT_JAVA_WHITESPACE = re.compile("[\u0085\u00a0\u2007\u202f]")

_WORD_BOUNDARY = regex.compile(r"(?wV1)\b")
# What Lucene's StandardTokenizerImpl grammar turns into tokens; all other segments are skipped.
_TOKEN_CLASS = (
    r"\p{WB=ALetter}\p{WB=Hebrew_Letter}\p{WB=Numeric}\p{WB=Katakana}\p{Script=Han}"
    r"\p{Script=Hiragana}\p{LB=SA}\p{Extended_Pictographic}"
)
# Lucene keeps a flag (two or more regional indicators) but not a lone regional indicator.
_FLAG = regex.compile(r"\p{WB=Regional_Indicator}{2,}[\p{WB=Extend}\p{WB=Format}\p{WB=ZWJ}]*")
# Lucene keeps a run of South-East Asian letters (Thai, Lao, Khmer, Myanmar) as one token.
_SOUTH_EAST_ASIAN = regex.compile(r"[\p{LB=SA}\p{WB=Extend}\p{WB=Format}\p{WB=ZWJ}]+")
# Stand-ins for characters Lucene's older Unicode tables see differently: a control character
# breaks words on both sides and is never a token; a soft hyphen (Format) joins its neighbours.
_NOT_A_WORD_CHARACTER = "\x01"
_JOINING_CHARACTER = "\u00ad"


@dataclass(frozen=True, slots=True)
class _LuceneTables:
    """Where Lucene 8.7's Unicode data differs from the ``regex`` module's newer data."""

    drop: regex.Pattern[str]  # word characters today (or word breaks), not for Lucene
    join: regex.Pattern[str]  # word breaks today, joined inside a word by Lucene
    token: regex.Pattern[str]  # a segment holding one of these is a token
    token_start: regex.Pattern[str]  # a token starts with one of these


def _ranges_class(ranges: list[tuple[int, int]]) -> str:
    return "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in ranges)


def _any_of(ranges: list[tuple[int, int]]) -> regex.Pattern[str]:
    return regex.compile(f"[{_ranges_class(ranges)}]" if ranges else "(?!)")


@cache
def _tables() -> _LuceneTables:
    text = (Path(__file__).parent / "data" / "standard_tokenizer.txt").read_text(encoding="utf-8")
    found: dict[str, list[tuple[int, int]]] = {"drop": [], "keep": [], "break": [], "join": []}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, first, last = line.split()
            found[name].append((int(first, 16), int(last, 16)))
    keep = _ranges_class(found["keep"])
    return _LuceneTables(
        drop=_any_of(found["drop"] + found["break"]),
        join=_any_of(found["join"]),
        token=regex.compile(f"[{_TOKEN_CLASS}{keep}]"),
        token_start=regex.compile(f"[{_TOKEN_CLASS}{keep}\\p{{WB=ExtendNumLet}}]"),
    )


# Text whose standard tokens are simply its space-separated words.
# (a hyphen always breaks words and is never a token, so it counts as a space here).
_PLAIN_WORDS = re.compile(r"[0-9A-Za-z\u0400-\u0481\u048a-\u04ff .,-]*")
_DECIMAL = re.compile(r"[0-9]+(?:[.,][0-9]+)+")

# Java's Character.toLowerCase differs from Python's str.lower() only for these code points:
# İ lowers to a plain i, Σ has no final form, and these letters are newer than Java 17.
_JAVA_LOWER_OVERRIDES = {"\u0130": "i", "\u03a3": "\u03c3"} | {
    chr(c): chr(c)
    for first, last in (
        (0x2C2F, 0x2C2F),
        (0xA7C0, 0xA7C0),
        (0xA7D0, 0xA7D0),
        (0xA7D6, 0xA7D6),
        (0xA7D8, 0xA7D8),
        (0x10570, 0x1057A),
        (0x1057C, 0x1058A),
        (0x1058C, 0x10592),
        (0x10594, 0x10595),
    )
    for c in range(first, last + 1)
}
_NEEDS_JAVA_LOWER = re.compile("[" + "".join(_JAVA_LOWER_OVERRIDES) + "]")


def java_lower(text: str) -> str:
    """``Character.toLowerCase`` applied to every code point."""
    if text.isascii() or not _NEEDS_JAVA_LOWER.search(text):
        return text.lower()
    return "".join(_JAVA_LOWER_OVERRIDES.get(ch) or ch.lower() for ch in text)


def utf16_length(text: str) -> int:
    """Length in Java chars: code points above U+FFFF count twice."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _chunks(word: str, *, stop_after: int) -> list[str]:
    """Cut ``word`` so that each piece ends once it reaches ``stop_after`` UTF-16 units."""
    if len(word) <= MAX_TOKEN_LENGTH // 2 or utf16_length(word) <= MAX_TOKEN_LENGTH:
        return [word]
    pieces: list[str] = []
    start, units = 0, 0
    for i, ch in enumerate(word):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units >= stop_after:
            pieces.append(word[start : i + 1])
            start, units = i + 1, 0
    if start < len(word):
        pieces.append(word[start:])
    return pieces


def _head(word: str) -> str:
    """The longest prefix of ``word`` that fits in 255 UTF-16 units."""
    units = 0
    for i, ch in enumerate(word):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > MAX_TOKEN_LENGTH:
            return word[:i]
    return word


def whitespace_tokens(text: str) -> list[str]:
    """``WhitespaceTokenizer``: runs of non-whitespace, cut every 255 UTF-16 units."""
    if _NOT_JAVA_WHITESPACE.search(text):
        words = [w for w in _JAVA_WHITESPACE_RUN.split(text) if w]
    else:
        words = text.split()
    if len(text) <= MAX_TOKEN_LENGTH // 2 or all(len(w) <= MAX_TOKEN_LENGTH // 2 for w in words):
        return words
    return [piece for word in words for piece in _chunks(word, stop_after=MAX_TOKEN_LENGTH)]


def standard_tokens(text: str) -> list[str]:
    """``StandardTokenizer``: UAX #29 word segments that hold a letter, digit, ideograph or emoji.

    A segment longer than 255 UTF-16 units is cut there and the rest of the text is scanned
    afresh, as Lucene's scanner does when its buffer is full.
    """
    return _standard(text, text)


def standard_tokens_lowercased(text: str) -> list[str]:
    """:func:`standard_tokens` followed by :func:`java_lower` on each token, in one pass.

    Java's case mapping is one code point for one, so the lowercased text is cut at the
    places the original text's word breaks decide.
    """
    if len(text) <= MAX_TOKEN_LENGTH and _PLAIN_WORDS.fullmatch(text):
        # Basic Latin and Cyrillic lowercase alike in Java and Python.
        words = _plain_words(text.lower())
        if words is not None:
            return words
    return _standard(text, java_lower(text))


def _plain_words(text: str) -> list[str] | None:
    """Words of plain text, or ``None`` when a ``.``/``,`` needs the full word-break rules.

    Between digits, ``.`` and ``,`` join (``1,5``, ``1.2.3``); anywhere else they depend on
    the neighbours, so only whole decimal words stay on this path.
    """
    words = text.replace("-", " ").split()
    if "." in text or "," in text:
        for word in words:
            if ("." in word or "," in word) and not _DECIMAL.fullmatch(word):
                return None
    return words


def _standard(text: str, source: str) -> list[str]:
    """Tokens cut from ``source`` (``text`` or its 1:1 lowercase) where ``text`` breaks."""
    if len(text) <= MAX_TOKEN_LENGTH and _PLAIN_WORDS.fullmatch(text):
        words = _plain_words(source)
        if words is not None:
            return words
    tables = _tables()
    scan = tables.join.sub(_JOINING_CHARACTER, text) if tables.join.search(text) else text
    if tables.drop.search(scan):
        scan = tables.drop.sub(_NOT_A_WORD_CHARACTER, scan)
    return _scan(source, scan, tables)


def _scan(text: str, scan: str, tables: _LuceneTables) -> list[str]:
    """Tokens of ``text``, segmenting ``scan`` (the same text, Lucene-unknown letters masked)."""
    tokens: list[str] = []
    offset = 0
    south_east_asian_end = -1  # where the last South-East Asian token ended
    for segment in _WORD_BOUNDARY.split(scan):
        start = offset
        offset += len(segment)
        if not segment or not tables.token.search(segment):
            if segment and _FLAG.fullmatch(segment):
                tokens.append(text[start:offset])
            continue
        if not tables.token_start.match(segment):
            # A mark attached to a space or a symbol: Lucene skips that one character alone.
            tokens += _scan(text[start + 1 : offset], segment[1:], tables)
            continue
        original = text[start:offset]
        if _SOUTH_EAST_ASIAN.fullmatch(segment):
            if south_east_asian_end == start:
                tokens[-1] += original
            else:
                tokens.append(original)
            south_east_asian_end = offset
        elif len(segment) > MAX_TOKEN_LENGTH // 2 and utf16_length(segment) > MAX_TOKEN_LENGTH:
            head = _head(original)
            tokens.append(head)
            cut = start + len(head)
            return tokens + _scan(text[cut:], scan[cut:], tables)
        else:
            tokens.append(original)
    return tokens
