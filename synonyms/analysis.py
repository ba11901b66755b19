"""Analyzers: what the analysis chain before a synonym filter makes of a term.

Lucene hands every rule term to the index's analyzer and refuses a term that analyzes to
nothing or to tokens with holes (a stop word at the start or in the middle). These analyzers
reproduce Lucene 8.7's ``WhitespaceAnalyzer``, ``KeywordAnalyzer``, ``StandardAnalyzer``
(with no stop words, as the reference tool builds it) and ``RussianAnalyzer``; the vectors
in ``tests/vectors`` hold the reference tool's output they are checked against.

Dictionaries repeat terms a lot, so every analyzer memoizes its results: keep one instance
(from :func:`get_analyzer`) for a whole run.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Protocol

import Stemmer

from synonyms.tokenizer import java_lower, standard_tokens, whitespace_tokens

ANALYZER_NAMES = ("whitespace", "keyword", "standard", "russian")
_CACHE_LIMIT = 500_000  # entries per analyzer before its memo starts afresh


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


class _Memoized:
    """Shared memo: subclasses implement ``_analyze``; repeated terms cost one dict lookup."""

    name = ""

    def __init__(self) -> None:
        self._memo: dict[str, Analysis] = {}

    def analyze(self, text: str) -> Analysis:
        found = self._memo.get(text)
        if found is None:
            if len(self._memo) >= _CACHE_LIMIT:
                self._memo.clear()
            found = self._memo[text] = self._analyze(text)
        return found

    def _analyze(self, text: str) -> Analysis:
        raise NotImplementedError


def _plain(texts: list[str]) -> Analysis:
    return Analysis(tuple(Token(t) for t in texts))


class WhitespaceAnalyzer(_Memoized):
    """Lucene's ``WhitespaceAnalyzer``: split on Java whitespace, no lowercasing."""

    name = "whitespace"

    def _analyze(self, text: str) -> Analysis:
        return _plain(whitespace_tokens(text))


class KeywordAnalyzer(_Memoized):
    """Lucene's ``KeywordAnalyzer``: the whole term is one token, even an empty one."""

    name = "keyword"

    def _analyze(self, text: str) -> Analysis:
        return Analysis((Token(text),))


class StandardAnalyzer(_Memoized):
    """Lucene's ``StandardAnalyzer`` without stop words: UAX #29 words, lowercased."""

    name = "standard"

    def _analyze(self, text: str) -> Analysis:
        return _plain([java_lower(t) for t in standard_tokens(text)])


@cache
def russian_stopwords() -> frozenset[str]:
    """Lucene's Russian stop words (the Snowball list shipped in ``synonyms/data``)."""
    text = resources.files("synonyms").joinpath("data", "russian_stop.txt").read_text(encoding="utf-8")
    return frozenset(parse_snowball_wordlist(text))


def parse_snowball_wordlist(text: str) -> list[str]:
    """Lucene's ``WordlistLoader.getSnowballWordSet``: ``|`` starts a comment, words split on spaces."""
    return [word for line in text.splitlines() for word in line.split("|", 1)[0].split()]


# Lucene 8.7's Snowball Russian stemmer predates Snowball 2.0, which folds ё into е before
# stemming; hiding ё from PyStemmer behind a private-use character keeps the old behaviour
# (ё is neither a vowel nor part of any ending there).
_YO_STAND_IN = "\ue000"


class RussianAnalyzer(_Memoized):
    """Lucene's ``RussianAnalyzer``: standard tokenizer, lowercase, stop words, Snowball stemmer.

    A stop word shifts the next token's position increment, as Lucene's ``StopFilter`` does,
    so the parser can refuse rules with a stop word at the start or in the middle.
    """

    name = "russian"

    def __init__(self) -> None:
        super().__init__()
        self._stopwords = russian_stopwords()
        self._stemmer = Stemmer.Stemmer("russian")

    def _stem(self, word: str) -> str:
        if "ё" in word:
            stem: str = self._stemmer.stemWord(word.replace("ё", _YO_STAND_IN))
            return stem.replace(_YO_STAND_IN, "ё")
        result: str = self._stemmer.stemWord(word)
        return result

    def _analyze(self, text: str) -> Analysis:
        tokens: list[Token] = []
        removed: list[str] = []
        skipped = 0
        for word in standard_tokens(text):
            lowered = java_lower(word)
            if lowered in self._stopwords:
                removed.append(lowered)
                skipped += 1
                continue
            tokens.append(Token(self._stem(lowered), 1 + skipped))
            skipped = 0
        return Analysis(tuple(tokens), tuple(removed))


_ANALYZERS: dict[str, type[_Memoized]] = {
    "whitespace": WhitespaceAnalyzer,
    "keyword": KeywordAnalyzer,
    "standard": StandardAnalyzer,
    "russian": RussianAnalyzer,
}


def get_analyzer(name: str) -> Analyzer:
    """A fresh analyzer by its Elasticsearch name; ``ValueError`` names the known ones."""
    try:
        return _ANALYZERS[name]()
    except KeyError:
        raise ValueError(f"unknown analyzer {name!r}; known: {', '.join(ANALYZER_NAMES)}") from None
