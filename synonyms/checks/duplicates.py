"""Duplicates family: rules that repeat, overlap or chain across the whole dictionary.

Elasticsearch merges rules with the same input, never chains them (``a => b`` plus
``b => c`` does not take ``a`` to ``c``) and never makes groups transitive, so overlaps
are either dead weight or a sign that the author expected behaviour that will not happen.
Rules are compared only with rules of the same kind: typo files feed a different filter.
"""

from __future__ import annotations

from collections.abc import Iterator

from synonyms.checks.context import Context, Peers, without_term
from synonyms.findings import Finding
from synonyms.index import Role, rule_effect
from synonyms.rules import Kind, Rule


def check_rule(rule: Rule, kind: Kind, peers: Peers, ctx: Context) -> Iterator[Finding | None]:
    yield from _duplicate_terms(rule, ctx)
    duplicate = _duplicate(rule, kind, peers, ctx)
    if duplicate is not None:
        yield duplicate
        return
    if rule.is_mapping:
        yield from _chains_and_cycles(rule, kind, peers, ctx)
    else:
        if kind is Kind.SYNONYMS:
            yield _several_groups(rule, kind, peers, ctx)
        if not peers.whole_file:
            yield from _mapped_into(rule, kind, peers, ctx)


def _same_kind(ctx: Context, ref: int, kind: Kind) -> bool:
    return ctx.kind(ctx.index.rule(ref).path) is kind


def _duplicate_terms(rule: Rule, ctx: Context) -> Iterator[Finding | None]:
    for side_start, side in ((0, rule.inputs), (len(rule.inputs), rule.outputs)):
        if len({term.text for term in side}) == len(side):
            continue  # nearly every side: no repeat to look for
        seen: set[str] = set()
        for offset, term in enumerate(side):
            if term.text in seen:
                yield ctx.on_rule(
                    "duplicate-term", rule, suggestion=without_term(rule, side_start + offset), term=term.text
                )
            seen.add(term.text)


def _duplicate(rule: Rule, kind: Kind, peers: Peers, ctx: Context) -> Finding | None:
    """The same line, or the same effect after analysis, as an earlier (or any other) rule.

    Candidates share the effect's hash; only the one reported is compared in full, so a
    line repeated thousands of times costs one comparison per repeat, not one per pair.
    """
    index = ctx.index
    if peers.own is not None and not index.shares_effect_key(peers.own):
        return None  # most rules of a whole file: no other rule to compare with
    refs = index.effect_candidates(rule, ref=peers.own)
    if len(refs) == 1 and refs[0] == peers.own:
        return None
    line = rule.raw.strip()
    candidates = [ref for ref in peers.select(index, refs) if _same_kind(ctx, ref, kind)]
    candidates.sort(key=lambda r: index.rule(r).raw.strip() != line)  # exact repeats first
    effect = rule_effect(rule, expand=index.expand)
    for ref in candidates:
        other = index.rule(ref)
        if index.same_effect(ref, effect):
            code = "duplicate-line" if other.raw.strip() == line else "duplicate-rule"
            suggestion = "" if other.path == rule.path else None
            return ctx.on_rule(code, rule, suggestion=suggestion, where=ctx.where(ref))
    return None


def _several_groups(rule: Rule, kind: Kind, peers: Peers, ctx: Context) -> Finding | None:
    if not ctx.enabled("term-in-several-groups"):
        return None
    index = ctx.index
    if peers.own is not None and not index.shares_terms(peers.own):
        return None  # every term's only group is this one
    effect: tuple[object, ...] | None = None
    for term in rule.inputs:
        refs = index.refs_with_term(term.analyzed, Role.GROUP)
        if len(refs) == 1 and refs[0] == peers.own:
            continue
        for ref in peers.select(index, refs):
            if peers.own is not None:
                same = index.same_effect_as(ref, peers.own)
            else:
                effect = effect or rule_effect(rule, expand=index.expand)
                same = index.same_effect(ref, effect)
            if not same and _same_kind(ctx, ref, kind):
                return ctx.on_rule("term-in-several-groups", rule, term=term.text, where=ctx.where(ref))
    return None


def _chains_and_cycles(rule: Rule, kind: Kind, peers: Peers, ctx: Context) -> Iterator[Finding | None]:
    index = ctx.index
    inputs = {term.analyzed for term in rule.inputs}
    for term in rule.outputs:
        for ref in peers.select(index, index.refs_with_term(term.analyzed, Role.INPUT), earlier_only=False):
            other = index.rule(ref)
            if not _same_kind(ctx, ref, kind):
                continue
            back = next((o for o in other.outputs if o.analyzed in inputs), None)
            if back is None:
                yield ctx.on_rule("chained-mapping", rule, term=term.text, where=ctx.where(ref))
            elif not peers.whole_file or (peers.own is not None and ref < peers.own):
                yield ctx.on_rule(
                    "mapping-cycle", rule, term=back.text, other=term.text, where=ctx.where(ref)
                )
            break
        else:
            for ref in peers.select(
                index, index.refs_with_term(term.analyzed, Role.GROUP), earlier_only=False
            ):
                if _same_kind(ctx, ref, kind):
                    yield ctx.on_rule("chained-mapping", rule, term=term.text, where=ctx.where(ref))
                    break
    if not peers.whole_file:
        yield from _mapped_into(rule, kind, peers, ctx)


def _mapped_into(rule: Rule, kind: Kind, peers: Peers, ctx: Context) -> Iterator[Finding | None]:
    """A changed rule whose input is another rule's output: the chain seen from its second link."""
    index = ctx.index
    outputs = {t.analyzed for t in rule.outputs}
    for term in rule.inputs:
        for ref in peers.select(index, index.refs_with_term(term.analyzed, Role.OUTPUT), earlier_only=False):
            other = index.rule(ref)
            if not _same_kind(ctx, ref, kind):
                continue
            if any(i.analyzed in outputs for i in other.inputs):
                break  # a cycle, reported from the forward direction
            yield ctx.on_rule("chained-mapping", rule, term=term.text, where=ctx.where(ref))
            return
