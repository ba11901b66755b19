"""Typos family: lines of typo files (``typo1, typo2 => correction``).

A typo rule rewrites the user's query, so a wrong one silently breaks a real search: the
"typo" may be another real word (``колея => корея``) or just another form of the correction
(``утюги => утюг``), the direction may be reversed, or the pair may be too far apart to be
a slip of the finger. Layout slips (``ghbdtn => привет``), transliterations
(``айфон => iphone``) and inserted or removed spaces are legitimate despite a large distance.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rapidfuzz.distance import DamerauLevenshtein

from synonyms.checks.context import Context, Peers
from synonyms.findings import Finding
from synonyms.index import Role
from synonyms.keyboard import is_layout_slip
from synonyms.parser import unescape
from synonyms.rules import Kind, Rule, Term
from synonyms.translit import is_transliteration

_CYRILLIC_WORD = re.compile(r"^[а-яё]+$")
_UNESCAPED_COMMA = re.compile(r"(?<!\\),")


def max_typo_distance(length: int) -> int:
    """Damerau–Levenshtein edits a typo of a ``length``-letter correction may have.

    1 up to 4 letters, 2 up to 8, 3 up to 12, 4 beyond: about one slip per four letters,
    which keeps real misspellings (``кросовки``) and rejects different words (``ботинки``).
    """
    return 1 if length <= 4 else 2 if length <= 8 else 3 if length <= 12 else 4


def check_rule(rule: Rule, kind: Kind, peers: Peers, ctx: Context) -> Iterator[Finding | None]:
    if kind is not Kind.TYPOS:
        return
    if not rule.is_mapping:
        yield ctx.on_rule("typo-not-one-way", rule, suggestion=_one_way(rule, ctx))
        return
    comma = _layout_comma(rule, ctx)
    if comma is not None:
        yield comma
        return
    for typo in rule.inputs:
        for correction in rule.outputs:
            yield from _pair(rule, typo, correction, ctx)
        yield _synonym_term(rule, typo, ctx)


def _one_way(rule: Rule, ctx: Context) -> str | None:
    """``typo => correction`` when exactly one of two words is known: then the direction is certain."""
    if len(rule.inputs) != 2:
        return None
    a, b = rule.inputs
    if not (_is_word(a.text) and _is_word(b.text)):
        return None
    known_a, known_b = ctx.morphology.is_known(a.text.lower()), ctx.morphology.is_known(b.text.lower())
    if known_a == known_b:
        return None
    typo, correction = (b, a) if known_a else (a, b)
    return f"{rule.raw[typo.start : typo.end]} => {rule.raw[correction.start : correction.end]}"


def _layout_comma(rule: Rule, ctx: Context) -> Finding | None:
    """``yjen,er => ноутбук``: the left side is a layout slip whose comma Solr splits on."""
    arrow = rule.raw.rfind("=>", 0, rule.outputs[0].start)
    left = rule.raw[:arrow]
    if len(rule.inputs) < 2 or not _UNESCAPED_COMMA.search(left):
        return None
    typed = unescape(left).strip()
    for correction in rule.outputs:
        if is_layout_slip(typed, correction.text):
            fixed = _UNESCAPED_COMMA.sub(r"\\,", left.strip())
            suggestion = f"{fixed} => {rule.raw[arrow + 2 :].strip()}"
            return ctx.on_rule(
                "layout-comma-unescaped", rule, suggestion=suggestion, typed=typed, correction=correction.text
            )
    return None


def _is_word(text: str) -> bool:
    return bool(_CYRILLIC_WORD.match(text.lower()))


def _pair(rule: Rule, typo: Term, correction: Term, ctx: Context) -> Iterator[Finding | None]:
    t, c = typo.text.lower(), correction.text.lower()
    if t == c or is_layout_slip(t, c) or is_transliteration(t, c) or t.replace(" ", "") == c.replace(" ", ""):
        return
    if _is_word(t) and _is_word(c):
        morph = ctx.morphology
        if morph.is_known(t):
            if morph.is_known(c):
                typo_lemmas = morph.lemmas(t)
                if typo_lemmas & morph.lemmas(c):
                    yield ctx.on_rule("typo-is-word-form", rule, typo=typo.text, correction=correction.text)
                else:
                    lemmas = ", ".join(sorted(typo_lemmas))
                    yield ctx.on_rule(
                        "typo-is-real-word", rule, typo=typo.text, correction=correction.text, lemmas=lemmas
                    )
            else:
                yield ctx.on_rule(
                    "typo-reversed",
                    rule,
                    suggestion=_swapped(rule),
                    typo=typo.text,
                    correction=correction.text,
                )
            return
    limit = max_typo_distance(len(c))
    if DamerauLevenshtein.distance(t, c, score_cutoff=limit) > limit:
        yield ctx.on_rule(
            "typo-too-far",
            rule,
            typo=typo.text,
            correction=correction.text,
            distance=DamerauLevenshtein.distance(t, c),
            length=len(c),
            limit=limit,
        )


def _swapped(rule: Rule) -> str | None:
    if len(rule.inputs) != 1 or len(rule.outputs) != 1:
        return None
    typo, correction = rule.inputs[0], rule.outputs[0]
    return f"{rule.raw[correction.start : correction.end]} => {rule.raw[typo.start : typo.end]}"


def _synonym_term(rule: Rule, typo: Term, ctx: Context) -> Finding | None:
    if not ctx.enabled("typo-is-synonym-term"):
        return None
    index = ctx.index
    for role in Role:
        for ref in index.refs_with_term(typo.analyzed, role):
            if ctx.kind(index.rule(ref).path) is Kind.SYNONYMS:
                return ctx.on_rule("typo-is-synonym-term", rule, typo=typo.text, where=ctx.where(ref))
    return None
