"""Analysis family: what the index's analyzer silently does to valid rules.

Lucene accepts these rules, but they do less than they say: a trailing stop word vanishes,
two spellings collapse into one term, or every term ends up the same and the rule is a no-op.
"""

from __future__ import annotations

from collections.abc import Iterator

from synonyms.checks.context import Context, Peers, without_term
from synonyms.findings import Finding
from synonyms.rules import Kind, Rule


def check_rule(rule: Rule, kind: Kind, peers: Peers, ctx: Context) -> Iterator[Finding | None]:
    if " " in rule.raw:
        yield from _dropped_stopwords(rule, ctx)
    distinct = {term.analyzed for term in rule.terms}
    if len(distinct) == 1:
        yield ctx.on_rule("rule-does-nothing", rule, suggestion="", analyzed=next(iter(distinct)))
        return
    if len(distinct) < len(rule.terms):
        yield from _equal_terms(rule, ctx)
    if "ё" in rule.raw or "Ё" in rule.raw:
        yield from _yo_only(rule, ctx)


def _dropped_stopwords(rule: Rule, ctx: Context) -> Iterator[Finding | None]:
    if not ctx.enabled("stopword-dropped"):
        return
    for term in rule.terms:
        if " " not in term.text:
            continue
        words = term.text.rsplit(None, 1)  # only the last word matters
        if len(words) > 1 and not ctx.analysis(words[-1]).tokens:
            yield ctx.on_rule(
                "stopword-dropped",
                rule,
                stopword=words[-1],
                term=term.text,
                analyzed=term.analyzed,
                analyzer=ctx.analyzer.name,
            )


def _equal_terms(rule: Rule, ctx: Context) -> Iterator[Finding | None]:
    """Terms of one side that differ as written but are the same after analysis."""
    terms = rule.terms
    for side_start, side in ((0, rule.inputs), (len(rule.inputs), rule.outputs)):
        seen: dict[str, int] = {}
        for offset, term in enumerate(side):
            first = seen.setdefault(term.analyzed, side_start + offset)
            if first == side_start + offset or terms[first].text == term.text:
                continue  # exact repeats are the duplicates family's duplicate-term
            yield ctx.on_rule(
                "terms-equal-after-analysis",
                rule,
                suggestion=without_term(rule, side_start + offset),
                term=terms[first].text,
                other=term.text,
                analyzed=term.analyzed,
            )


def _yo_only(rule: Rule, ctx: Context) -> Iterator[Finding | None]:
    seen: dict[str, str] = {}
    for term in rule.terms:
        folded = term.text.lower().replace("ё", "е")
        other = seen.setdefault(folded, term.text)
        if other.lower() != term.text.lower():
            yield ctx.on_rule("yo-e-only-difference", rule, term=other, other=term.text)
