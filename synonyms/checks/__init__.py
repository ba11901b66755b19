"""Deterministic checks: one module per family, one registry of stable codes.

Entry points:

* :func:`check_dictionaries` checks whole files (``synbot check``);
* :func:`check_changed` checks only the given rules against an already built
  :class:`~synonyms.index.DictionaryIndex` (the review of an MR diff), so a 100-line diff
  against a huge dictionary stays fast;
* :func:`check_removed` reports removed rules that other rules still rely on.

Build the index from the files at head (the changed rules included): a rule with the same
path and line as an indexed one is taken to be that rule, not a duplicate of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from synonyms.analysis import Analyzer
from synonyms.checks import analysis, duplicates, synonyms, syntax, typos
from synonyms.checks.context import Context, Peers
from synonyms.checks.options import CheckOptions
from synonyms.checks.registry import REGISTRY
from synonyms.findings import Finding
from synonyms.index import DictionaryIndex, Role
from synonyms.morphology import Morphology, default_morphology
from synonyms.parser import collector_paused
from synonyms.rules import Dictionary, Kind, LineError, Rule

__all__ = [
    "REGISTRY",
    "CheckOptions",
    "DictionaryIndex",
    "check_changed",
    "check_dictionaries",
    "check_removed",
]

_RuleCheck = Callable[[Rule, Kind, Peers, Context], Iterator[Finding | None]]
_FAMILIES: tuple[_RuleCheck, ...] = (
    analysis.check_rule,
    duplicates.check_rule,
    typos.check_rule,
    synonyms.check_rule,
)
# The typos family only judges typo files: synonym rules skip it without a call.
_FAMILIES_OF: dict[Kind, tuple[_RuleCheck, ...]] = {
    Kind.TYPOS: _FAMILIES,
    Kind.SYNONYMS: tuple(family for family in _FAMILIES if family is not typos.check_rule),
}


def check_dictionaries(
    dictionaries: Sequence[Dictionary],
    *,
    analyzer: Analyzer,
    options: CheckOptions,
    morphology: Morphology | None = None,
) -> list[Finding]:
    """Every finding for whole files, in (path, line) order."""
    with collector_paused():  # the index and the checks' memos are millions of acyclic objects
        index = DictionaryIndex.build(dictionaries, expand=options.expand)
        ctx = Context(index, analyzer, options, morphology or default_morphology())
        findings = [f for d in dictionaries for e in d.errors for f in syntax.check_error(e, ctx)]
        for ref, rule in enumerate(index):
            findings.extend(_check_rule(rule, Peers(ref, rule.path, rule.line), ctx))
        return _sorted(findings)


def check_changed(
    rules: Sequence[Rule | LineError],
    *,
    index: DictionaryIndex,
    analyzer: Analyzer,
    options: CheckOptions,
    morphology: Morphology | None = None,
) -> list[Finding]:
    """Findings for the given (added or changed) rules only, compared with the whole index."""
    ctx = Context(index, analyzer, options, morphology or default_morphology())
    findings: list[Finding] = []
    for rule in rules:
        if isinstance(rule, LineError):
            findings.extend(syntax.check_error(rule, ctx))
        else:
            findings.extend(_check_rule(rule, Peers(None, rule.path, rule.line), ctx))
    return _sorted(findings)


def check_removed(
    removed_rules: Sequence[Rule], *, index: DictionaryIndex, options: CheckOptions
) -> list[Finding]:
    """Removed rules that remaining rules still lead to: their targets lose their expansion.

    ``index`` holds the dictionary after the removal; findings point at the removed lines.
    """
    findings: list[Finding] = []
    for rule in removed_rules:
        finding = _still_referenced(rule, index, options)
        if finding is not None:
            findings.append(finding)
    return _sorted(findings)


def _still_referenced(rule: Rule, index: DictionaryIndex, options: CheckOptions) -> Finding | None:
    code = "removed-rule-referenced"
    if code in options.disabled:
        return None
    kind = index.kind_of(rule.path) or Kind.SYNONYMS
    for term in rule.inputs:
        key = term.analyzed
        if index.refs_with_term(key, Role.INPUT) or index.refs_with_term(key, Role.GROUP):
            continue  # another rule still expands the term
        for ref in index.refs_with_term(key, Role.OUTPUT):
            other = index.rule(ref)
            other_kind = index.kind_of(other.path) or Kind.SYNONYMS
            if other_kind is kind or other_kind is Kind.TYPOS:
                entry = REGISTRY[code]
                return Finding(
                    path=rule.path,
                    line=rule.line,
                    severity=options.severities.get(code, entry.severity),
                    code=code,
                    message=entry.message(
                        options.language, term=term.text, where=f"{other.path}:{other.line}"
                    ),
                    rule=rule.raw,
                )
    return None


def _check_rule(rule: Rule, peers: Peers, ctx: Context) -> Iterable[Finding]:
    kind = ctx.kind(rule.path)
    for family in _FAMILIES_OF[kind]:
        for finding in family(rule, kind, peers, ctx):
            if finding is not None:
                yield finding


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.path, f.line, f.code))
