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
_TOKEN_SEGMENT = regex.compile(
    r"[\p{WB=ALetter}\p{WB=Hebrew_Letter}\p{WB=Numeric}\p{WB=Katakana}\p{Script=Han}"
    r"\p{Script=Hiragana}\p{LB=SA}\p{Extended_Pictographic}\p{WB=Regional_Indicator}]"
)
# Lucene keeps a run of South-East Asian letters (Thai, Lao, Khmer, Myanmar) as one token.
_SOUTH_EAST_ASIAN = regex.compile(r"[\p{LB=SA}\p{WB=Extend}\p{WB=Format}\p{WB=ZWJ}]+")
# Text whose standard tokens are simply its space-separated words.
_PLAIN_WORDS = re.compile(r"[0-9A-Za-z\u0400-\u0481\u048a-\u04ff ]*")

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
    if all(len(w) <= MAX_TOKEN_LENGTH // 2 for w in words):
        return words
    return [piece for word in words for piece in _chunks(word, stop_after=MAX_TOKEN_LENGTH)]


def standard_tokens(text: str) -> list[str]:
    """``StandardTokenizer``: UAX #29 word segments that hold a letter, digit, ideograph or emoji.

    A segment longer than 255 UTF-16 units is cut there and the rest of the text is scanned
    afresh, as Lucene's scanner does when its buffer is full.
    """
    if _PLAIN_WORDS.fullmatch(text):
        words = text.split()
        if all(len(w) <= MAX_TOKEN_LENGTH for w in words):
            return words
    tokens: list[str] = []
    offset = 0
    south_east_asian_end = -1  # where the last South-East Asian token ended
    for segment in _WORD_BOUNDARY.split(text):
        if segment and _TOKEN_SEGMENT.search(segment):
            if _SOUTH_EAST_ASIAN.fullmatch(segment):
                if south_east_asian_end == offset:
                    tokens[-1] += segment
                else:
                    tokens.append(segment)
                offset += len(segment)
                south_east_asian_end = offset
                continue
            if len(segment) > MAX_TOKEN_LENGTH // 2 and utf16_length(segment) > MAX_TOKEN_LENGTH:
                head = _head(segment)
                tokens.append(head)
                return tokens + standard_tokens(text[offset + len(head) :])
            tokens.append(segment)
        offset += len(segment)
    return tokens
