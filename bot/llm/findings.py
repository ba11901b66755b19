"""Verdict -> Finding: stable codes, bilingual messages, suggestions only when they check out."""

from __future__ import annotations

from dataclasses import dataclass

from bot.llm.labelers.models import SynonymVerdict, TypoVerdict
from synonyms.analysis import Analyzer
from synonyms.checks import CheckOptions, check_dictionaries
from synonyms.findings import Finding, Severity, Source
from synonyms.parser import parse
from synonyms.rules import Kind, Rule


@dataclass(frozen=True, slots=True)
class VerdictCode:
    code: str
    severity: Severity
    ru: str
    en: str


SYNONYM_CODES: dict[str, VerdictCode] = {
    "too_broad": VerdictCode(
        "llm-too-broad", Severity.WARNING, "правило слишком широкое", "the rule is too broad"
    ),
    "too_narrow": VerdictCode(
        "llm-too-narrow",
        Severity.INFO,
        "в правиле не хватает частого варианта",
        "the rule misses a common variant",
    ),
    "wrong_meaning": VerdictCode(
        "llm-wrong-meaning", Severity.WARNING, "термины различаются по смыслу", "the terms differ in meaning"
    ),
    "one_way": VerdictCode(
        "llm-should-be-one-way",
        Severity.WARNING,
        "связь «частное → общее» лучше записать в одну сторону (=>)",
        "a hyponym → hypernym relation should be a one-way rule (=>)",
    ),
    "translit": VerdictCode(
        "llm-needs-translit",
        Severity.INFO,
        "это транслитерация или перевод: их лучше решать правилом транслита",
        "this is transliteration or translation: better handled by a translit rule",
    ),
}
TYPO_CODES: dict[str, VerdictCode] = {
    "slang": VerdictCode(
        "llm-slang-not-typo",
        Severity.WARNING,
        "это разговорное слово, а не опечатка: ему место в синонимах",
        "this is slang, not a typo: it belongs in the synonyms",
    ),
    "not_a_typo": VerdictCode(
        "llm-not-a-typo",
        Severity.WARNING,
        "слева самостоятельное слово, а не опечатка",
        "the left side is a word of its own, not a typo",
    ),
    "wrong_correction": VerdictCode(
        "llm-wrong-correction", Severity.WARNING, "исправление неверное", "the correction is wrong"
    ),
}
ALL_CODES: dict[str, VerdictCode] = {c.code: c for c in (*SYNONYM_CODES.values(), *TYPO_CODES.values())}


def accept_fix(text: str, *, rule: Rule, kind: Kind, analyzer: Analyzer, options: CheckOptions) -> bool:
    """An LLM-proposed line is kept only if it parses and the deterministic checks pass it."""
    if "\n" in text or "\r" in text or not text.strip():
        return False
    dictionary = parse(text, analyzer=analyzer, path=rule.path, kind=kind)
    if dictionary.errors or len(dictionary.rules) != 1:
        return False
    findings = check_dictionaries([dictionary], analyzer=analyzer, options=options)
    return not any(f.severity in (Severity.ERROR, Severity.WARNING) for f in findings)


def _candidate(rule: Rule, verdict: SynonymVerdict | TypoVerdict) -> str | None:
    if verdict.fixed_rule:
        return verdict.fixed_rule
    if isinstance(verdict, SynonymVerdict) and verdict.added_term and not rule.is_mapping:
        return f"{rule.raw.rstrip()}, {verdict.added_term}"
    return None


def verdict_finding(
    rule: Rule,
    verdict: SynonymVerdict | TypoVerdict,
    *,
    kind: Kind,
    analyzer: Analyzer,
    options: CheckOptions,
    min_confidence: float,
) -> Finding | None:
    """The finding a verdict calls for, or ``None`` (valid, unsure, or a disabled code)."""
    table = SYNONYM_CODES if kind is Kind.SYNONYMS else TYPO_CODES
    entry = table.get(verdict.verdict)
    if entry is None or verdict.confidence < min_confidence or entry.code in options.disabled:
        return None
    candidate = _candidate(rule, verdict)
    suggestion = (
        candidate
        if candidate is not None
        and accept_fix(candidate, rule=rule, kind=kind, analyzer=analyzer, options=options)
        else None
    )
    head = entry.ru if options.language == "ru" else entry.en
    label = "уверенность" if options.language == "ru" else "confidence"
    reason = f": {verdict.reason}" if verdict.reason else ""
    return Finding(
        path=rule.path,
        line=rule.line,
        severity=options.severities.get(entry.code, entry.severity),
        code=entry.code,
        # no "LLM:" prefix: notes tag the source (`· LLM`) and the code says `llm-…` everywhere else
        message=f"{head}{reason} ({label} {verdict.confidence:.0%})",
        suggestion=suggestion,
        source=Source.LLM,
        rule=rule.raw,
    )
