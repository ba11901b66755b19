"""Synonyms family: what a rule says, judged from its terms alone.

Decimal commas that Solr splits on, stop words a query analyzer may drop, words mixing
Cyrillic and Latin lookalikes (``пылесоc``), terms that name different numbers or sizes
(``iphone 15, iphone 14``) and groups too large to be true synonyms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from synonyms.analysis import russian_stopwords
from synonyms.checks.context import Context, Peers
from synonyms.findings import Finding
from synonyms.rules import Kind, Rule, Term

_DECIMAL_COMMA = re.compile(r"(?<![\\\d])(\d+),(\d+)")
_WORD = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
# Any word mixing the scripts has a Latin letter next to a Cyrillic one somewhere. Written to
# start with the Latin letter, so the regex engine skips to Latin letters in C: twice as fast
# as the plain alternation on Cyrillic lines.
_SCRIPT_SEAM = re.compile(r"[a-zA-Z](?:(?<=[а-яёА-ЯЁ][a-zA-Z])|(?=[а-яёА-ЯЁ]))")
_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)\s*([^\W\d_]+)?")
# Latin letters that look like Cyrillic ones, and back.
_TO_CYRILLIC = str.maketrans("aceopxykmtbhACEOPXYKMTBH", "асеорхукмтвнАСЕОРХУКМТВН")
_TO_LATIN = str.maketrans("асеорхукАСЕОРХУКМТВН", "aceopxykACEOPXYKMTBH")
_LOOKALIKE_LATIN = frozenset("aceopxykmtbhACEOPXYKMTBH")
_LOOKALIKE_CYRILLIC = frozenset("асеорхукАСЕОРХУКМТВН")
# unit -> (dimension, factor to the base unit)
_UNITS = {
    "мл": ("volume", 1.0), "л": ("volume", 1000.0), "ml": ("volume", 1.0), "l": ("volume", 1000.0),
    "г": ("mass", 1.0), "гр": ("mass", 1.0), "кг": ("mass", 1000.0),
    "g": ("mass", 1.0), "kg": ("mass", 1000.0),
    "мм": ("length", 1.0), "см": ("length", 10.0), "м": ("length", 1000.0), "mm": ("length", 1.0),
    "cm": ("length", 10.0), "m": ("length", 1000.0),
    "гб": ("data", 1.0), "тб": ("data", 1024.0), "gb": ("data", 1.0), "tb": ("data", 1024.0),
}  # fmt: skip


def check_rule(rule: Rule, kind: Kind, peers: Peers, ctx: Context) -> Iterator[Finding | None]:
    digits = _DIGIT.search(rule.raw) is not None  # most lines have none: both number checks skip them
    decimal = _DECIMAL_COMMA.search(rule.raw) if digits else None
    if decimal is not None:
        escaped = _DECIMAL_COMMA.sub(r"\1\\,\2", rule.raw)
        yield ctx.on_rule(
            "unescaped-decimal-comma",
            rule,
            suggestion=escaped,
            number=decimal[0],
            escaped=f"{decimal[1]}\\,{decimal[2]}",
        )
    elif digits:
        yield _number_mismatch(rule, ctx)
    if _SCRIPT_SEAM.search(rule.raw):
        for term in rule.terms:
            yield from _mixed_script(rule, term, ctx)
    if kind is Kind.SYNONYMS:
        yield from _stop_words(rule, ctx)
        size = len(rule.terms)
        if size > ctx.options.max_group_size:
            yield ctx.on_rule("group-too-large", rule, size=size, limit=ctx.options.max_group_size)


def _stop_words(rule: Rule, ctx: Context) -> Iterator[Finding | None]:
    stop_words = russian_stopwords()
    for term in rule.terms:
        tokens = term.tokens
        if len(tokens) > 1 and not stop_words.isdisjoint(tokens):
            stop = next(t for t in tokens if t in stop_words)
            yield ctx.on_rule("stopword-in-term", rule, term=term.text, stopword=stop)


def _mixed_script(rule: Rule, term: Term, ctx: Context) -> Iterator[Finding | None]:
    if term.text.isascii():
        return
    raw_term = rule.raw[term.start : term.end]
    for word in _WORD.findall(term.text):
        cyrillic = sum(1 for ch in word if "а" <= ch.lower() <= "я" or ch in "ёЁ")
        latin = sum(1 for ch in word if ch.isascii())
        if not cyrillic or not latin:
            continue
        fixed = _one_script(word, cyrillic=cyrillic, latin=latin)
        suggestion = None
        if fixed is not None and word in raw_term:
            new_term = raw_term.replace(word, fixed)
            suggestion = rule.raw[: term.start] + new_term + rule.raw[term.end :]
        yield ctx.on_rule("mixed-script", rule, suggestion=suggestion, word=word)


def _one_script(word: str, *, cyrillic: int, latin: int) -> str | None:
    """The word in its majority script when every minority letter has a lookalike there."""
    if cyrillic > latin:
        strays = [ch for ch in word if ch.isascii()]
        return word.translate(_TO_CYRILLIC) if all(ch in _LOOKALIKE_LATIN for ch in strays) else None
    if latin > cyrillic:
        strays = [ch for ch in word if not ch.isascii()]
        return word.translate(_TO_LATIN) if all(ch in _LOOKALIKE_CYRILLIC for ch in strays) else None
    return None


def _numbers(term: Term) -> tuple[tuple[str, float], ...] | None:
    if not _DIGIT.search(term.text):
        return None
    found: list[tuple[str, float]] = []
    for value, unit in _NUMBER.findall(term.text.lower()):
        dimension, factor = _UNITS.get(unit, ("", 1.0))
        found.append((dimension, float(value.replace(",", ".")) * factor))
    return tuple(sorted(found))


def _number_mismatch(rule: Rule, ctx: Context) -> Finding | None:
    if not ctx.enabled("number-mismatch"):
        return None
    first: tuple[Term, tuple[tuple[str, float], ...]] | None = None
    for term in rule.terms:
        numbers = _numbers(term)
        if numbers is None:
            continue
        if first is None:
            first = (term, numbers)
        elif numbers != first[1]:
            return ctx.on_rule("number-mismatch", rule, term=first[0].text, other=term.text)
    return None
