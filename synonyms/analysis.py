"""Analyzers: what the analysis chain before a synonym filter makes of a term.

Lucene hands every rule term to the index's analyzer and refuses a term that analyzes to
nothing or to tokens with holes (a stop word at the start or in the middle). These analyzers
reproduce Lucene's ``WhitespaceAnalyzer``, ``KeywordAnalyzer``, ``StandardAnalyzer`` (with
no stop words, as the reference tool builds it) and ``RussianAnalyzer``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

ANALYZER_NAMES = ("whitespace", "keyword", "standard", "russian")


@dataclass(frozen=True, slots=True)
class Token:
    """A token and its position increment (``> 1`` means a removed token before it)."""

    text: str
    position_increment: int = 1


@dataclass(frozen=True, slots=True)
class Analysis:
    """Tokens an analyzer produced, and the stop words it removed on the way."""

    tokens: tuple[Token, ...]
    removed_stopwords: tuple[str, ...] = ()

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.tokens)


class Analyzer(Protocol):
    """Anything that turns a term into tokens the way an Elasticsearch analyzer would."""

    @property
    def name(self) -> str: ...

    def analyze(self, text: str) -> Analysis: ...


# Java's Character.isWhitespace: Unicode space separators except the no-break ones, plus
# the ASCII controls Java lists.
_JAVA_WHITESPACE = frozenset(
    "\t\n\u000b\f\r\u001c\u001d\u001e\u001f \u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2008\u2009\u200a\u2028\u2029\u205f\u3000"
)
MAX_TOKEN_LENGTH = 255  # CharTokenizer.DEFAULT_MAX_WORD_LEN


class WhitespaceAnalyzer:
    """Lucene's ``WhitespaceAnalyzer``: split on Java whitespace, no lowercasing."""

    name = "whitespace"

    def analyze(self, text: str) -> Analysis:
        tokens: list[Token] = []
        for word in _split_java_whitespace(text):
            for i in range(0, len(word), MAX_TOKEN_LENGTH):
                tokens.append(Token(word[i : i + MAX_TOKEN_LENGTH]))
        return Analysis(tuple(tokens))


def _split_java_whitespace(text: str) -> list[str]:
    words: list[str] = []
    current: list[str] = []
    for ch in text:
        if ch in _JAVA_WHITESPACE:
            if current:
                words.append("".join(current))
                current = []
        else:
            current.append(ch)
    if current:
        words.append("".join(current))
    return words


class KeywordAnalyzer:
    """Lucene's ``KeywordAnalyzer``: the whole term is one token, even an empty one."""

    name = "keyword"

    def analyze(self, text: str) -> Analysis:
        return Analysis((Token(text),))
