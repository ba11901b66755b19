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
from pathlib import Path
from typing import Protocol, runtime_checkable

import Stemmer

from synonyms.tokenizer import standard_tokens_lowercased, whitespace_tokens

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


@runtime_checkable
class TokenTexts(Protocol):
    """An analyzer that can skip building :class:`Token` objects (the parser's fast path).

    ``token_texts`` returns the token texts and the index of the first token whose position
    increment is not 1 together with that increment (``-1, 1`` when every increment is 1).
    """

    def token_texts(self, text: str) -> tuple[tuple[str, ...], int, int]: ...


class _Memoized:
    """Shared memo over ``token_texts``: repeated terms cost one dict lookup."""

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

    def token_texts(self, text: str) -> tuple[tuple[str, ...], int, int]:
        raise NotImplementedError

    def _analyze(self, text: str) -> Analysis:
        texts, _, _ = self.token_texts(text)
        return Analysis(tuple(_token(t) for t in texts))


_TOKENS: dict[str, Token] = {}


def _token(text: str) -> Token:
    """One shared ``Token(text, 1)`` per text: words repeat across terms far more than terms do."""
    found = _TOKENS.get(text)
    if found is None:
        if len(_TOKENS) >= _CACHE_LIMIT:
            _TOKENS.clear()
        found = _TOKENS[text] = Token(text)
    return found


class WhitespaceAnalyzer(_Memoized):
    """Lucene's ``WhitespaceAnalyzer``: split on Java whitespace, no lowercasing."""

    name = "whitespace"

    def token_texts(self, text: str) -> tuple[tuple[str, ...], int, int]:
        return tuple(whitespace_tokens(text)), -1, 1


class KeywordAnalyzer(_Memoized):
    """Lucene's ``KeywordAnalyzer``: the whole term is one token, even an empty one."""

    name = "keyword"

    def token_texts(self, text: str) -> tuple[tuple[str, ...], int, int]:
        return (text,), -1, 1


class StandardAnalyzer(_Memoized):
    """Lucene's ``StandardAnalyzer`` without stop words: UAX #29 words, lowercased."""

    name = "standard"

    def token_texts(self, text: str) -> tuple[tuple[str, ...], int, int]:
        return tuple(standard_tokens_lowercased(text)), -1, 1


@cache
def russian_stopwords() -> frozenset[str]:
    """Lucene's Russian stop words (the Snowball list shipped in ``synonyms/data``)."""
    # next to this file, not ``resources.files("synonyms")``: a dictionary repo's own ``synonyms/``
    # folder on sys.path turns that into a namespace package with several roots
    text = (Path(__file__).parent / "data" / "russian_stop.txt").read_text(encoding="utf-8")
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
        self._stemmer = Stemmer.Stemmer("russian", 0)  # no C-side cache: words are memoized here
        self._stems: dict[str, str] = {}

    def _stem(self, word: str) -> str:
        found = self._stems.get(word)
        if found is None:
            if len(self._stems) >= _CACHE_LIMIT:
                self._stems.clear()
            if "ё" in word:
                stem: str = self._stemmer.stemWord(word.replace("ё", _YO_STAND_IN))
                found = stem.replace(_YO_STAND_IN, "ё")
            else:
                found = self._stemmer.stemWord(word)
            self._stems[word] = found
        return found

    def token_texts(self, text: str) -> tuple[tuple[str, ...], int, int]:
        texts: list[str] = []
        skipped = 0
        bad, increment = -1, 1
        for word in standard_tokens_lowercased(text):
            if word in self._stopwords:
                skipped += 1
                continue
            if skipped and bad < 0:
                bad, increment = len(texts), 1 + skipped
            skipped = 0
            texts.append(self._stem(word))
        return tuple(texts), bad, increment

    def _analyze(self, text: str) -> Analysis:
        tokens: list[Token] = []
        removed: list[str] = []
        skipped = 0
        for word in standard_tokens_lowercased(text):
            if word in self._stopwords:
                removed.append(word)
                skipped += 1
                continue
            tokens.append(Token(self._stem(word), 1 + skipped) if skipped else _token(self._stem(word)))
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
