"""Russian morphology behind a small seam: is a word known, and what are its lemmas.

pymorphy3's ``MorphAnalyzer`` loads its dictionaries on construction, so the default
instance is created lazily, once, on first use; tests and callers may inject their own.
Answers are memoized per word because dictionaries repeat the same words many times.
"""

from __future__ import annotations

import functools
from typing import Any, Protocol


class Morphology(Protocol):
    """What the typo checks ask about a single lowercase Russian word."""

    def is_known(self, word: str) -> bool: ...

    def lemmas(self, word: str) -> frozenset[str]: ...


class PymorphyMorphology:
    """pymorphy3 with per-word memoization; the analyzer is built on first use unless given."""

    def __init__(self, analyzer: Any | None = None) -> None:
        self._analyzer = analyzer
        self._known: dict[str, bool] = {}
        self._lemmas: dict[str, frozenset[str]] = {}

    def _morph(self) -> Any:
        if self._analyzer is None:
            import pymorphy3  # deferred: loading the dictionaries is the slow part

            self._analyzer = pymorphy3.MorphAnalyzer()
        return self._analyzer

    def is_known(self, word: str) -> bool:
        known = self._known.get(word)
        if known is None:
            known = bool(self._morph().word_is_known(word.lower()))
            self._known[word] = known
        return known

    def lemmas(self, word: str) -> frozenset[str]:
        lemmas = self._lemmas.get(word)
        if lemmas is None:
            lemmas = frozenset(str(p.normal_form) for p in self._morph().parse(word.lower()))
            self._lemmas[word] = lemmas
        return lemmas


@functools.cache
def default_morphology() -> PymorphyMorphology:
    """The process-wide instance; its pymorphy3 analyzer still loads only when first asked."""
    return PymorphyMorphology()
