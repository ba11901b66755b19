"""What Elasticsearch will do with each rule: Lucene's own mapping lines, or a human account.

``synbot explain FILE --format lucene`` prints :func:`lucene_lines` (the reference tool's
format, so the two can be diffed); ``--format text`` prints :func:`explain_text`, built from
the plain data of :func:`explain_rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from synonyms.analysis import Analyzer
from synonyms.parser import mappings
from synonyms.rules import Dictionary, LineError, Mapping, Rule, Term

Language = Literal["ru", "en"]


def mapping_line(mapping: Mapping) -> str:
    """One mapping as the reference tool prints it (Lucene's word separator shown as a space)."""
    flag = "keepOrig" if mapping.keep_orig else "replace"
    return f"{mapping.input} => {mapping.output}\t{flag}".replace("\x00", " ")


def error_line(error: LineError) -> str:
    return f"ERROR line {error.line}: {error.reason}"


def lucene_lines(dictionary: Dictionary, *, expand: bool) -> list[str]:
    """Every mapping Lucene adds and every line it would refuse, in file order."""
    entries: list[tuple[int, list[str]]] = [
        (rule.line, [mapping_line(m) for m in mappings(rule, expand=expand)]) for rule in dictionary.rules
    ]
    entries += [(error.line, [error_line(error)]) for error in dictionary.errors]
    entries.sort(key=lambda entry: entry[0])
    return [line for _, lines in entries for line in lines]


class Effect(StrEnum):
    """What a line does at search time."""

    TWO_WAY = "two-way"  # equivalence list, expand: every term finds every other
    TO_FIRST = "to-first"  # equivalence list, expand=false: every term becomes the first
    ONE_WAY = "one-way"  # explicit mapping: inputs are replaced by the outputs
    NO_EFFECT = "no-effect"  # nothing distinct to map
    REJECTED = "rejected"  # Elasticsearch refuses the line


@dataclass(frozen=True, slots=True)
class TermChange:
    """A term the analyzer changed: what was written, what Lucene stores, what it dropped."""

    written: str
    analyzed: str
    removed_stopwords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleExplanation:
    """One line's effect as plain data; :func:`render_explanation` words it."""

    line: int
    raw: str
    effect: Effect
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    changes: tuple[TermChange, ...] = ()
    collapsed: tuple[str, ...] = ()  # analyzed forms written more than once on the line
    reason: str = ""
    mappings: tuple[Mapping, ...] = ()


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _changes(terms: tuple[Term, ...], analyzer: Analyzer) -> tuple[TermChange, ...]:
    changes: list[TermChange] = []
    for term in terms:
        removed = analyzer.analyze(term.text).removed_stopwords
        if term.analyzed != term.text or removed:
            changes.append(TermChange(term.text, term.analyzed, removed))
    return tuple(dict.fromkeys(changes))


def _explain_rule(rule: Rule, *, analyzer: Analyzer, expand: bool) -> RuleExplanation:
    inputs = [t.analyzed for t in rule.inputs]
    outputs = [t.analyzed for t in rule.outputs]
    written = inputs + outputs
    collapsed = tuple(sorted({a for a in written if written.count(a) > 1}))
    if rule.outputs:
        effect = Effect.ONE_WAY
    elif len(set(inputs)) < 2:
        effect = Effect.NO_EFFECT
    else:
        effect = Effect.TWO_WAY if expand else Effect.TO_FIRST
    return RuleExplanation(
        line=rule.line,
        raw=rule.raw,
        effect=effect,
        inputs=_unique(inputs),
        outputs=_unique(outputs),
        changes=_changes(rule.terms, analyzer),
        collapsed=collapsed,
        mappings=tuple(mappings(rule, expand=expand)),
    )


def explain_rules(dictionary: Dictionary, *, analyzer: Analyzer, expand: bool) -> list[RuleExplanation]:
    """Every rule and every refused line of the file, in file order.

    ``analyzer`` must be the one the dictionary was parsed with (it reports stop words).
    """
    explained = [_explain_rule(rule, analyzer=analyzer, expand=expand) for rule in dictionary.rules]
    explained += [
        RuleExplanation(line=e.line, raw=e.raw, effect=Effect.REJECTED, reason=e.reason)
        for e in dictionary.errors
    ]
    return sorted(explained, key=lambda item: item.line)


_TEXTS: dict[Language, dict[str, str]] = {
    "ru": {
        "line": "строка {line}",
        Effect.TWO_WAY: "двусторонние синонимы: {terms}",
        Effect.TO_FIRST: "замена на первый термин (expand: false): {inputs} → {first}",
        Effect.ONE_WAY: "односторонняя замена: {inputs} → {outputs}",
        Effect.NO_EFFECT: "ничего не делает: после анализа нет двух разных терминов ({terms})",
        Effect.REJECTED: "Elasticsearch отвергнет строку: {reason}",
        "change": "«{written}» после анализа: «{analyzed}»",
        "stopwords": "стоп-слова выброшены: {words}",
        "collapsed": "совпадают после анализа: {terms}",
        "expand_note": "оригинал сохраняется, синонимы добавляются",
        "replace_note": "исходный термин заменяется",
    },
    "en": {
        "line": "line {line}",
        Effect.TWO_WAY: "two-way: {terms}",
        Effect.TO_FIRST: "every term becomes the first (expand: false): {inputs} → {first}",
        Effect.ONE_WAY: "one-way: {inputs} → {outputs}",
        Effect.NO_EFFECT: "no effect: fewer than two distinct terms after analysis ({terms})",
        Effect.REJECTED: "Elasticsearch rejects this line: {reason}",
        "change": "«{written}» analyzes to «{analyzed}»",
        "stopwords": "stop words dropped: {words}",
        "collapsed": "same after analysis: {terms}",
        "expand_note": "the original is kept and the synonyms are added",
        "replace_note": "the original term is replaced",
    },
}


def render_explanation(item: RuleExplanation, *, language: Language = "ru") -> str:
    """One rule in words: a headline, then one indented line per detail."""
    texts = _TEXTS[language]
    headline = texts[item.effect].format(
        terms=" ↔ ".join(item.inputs),
        inputs=", ".join(item.inputs),
        outputs=", ".join(item.outputs),
        first=item.inputs[0] if item.inputs else "",
        reason=item.reason,
    )
    details: list[str] = []
    if item.effect is Effect.TWO_WAY:
        details.append(texts["expand_note"])
    elif item.effect in (Effect.ONE_WAY, Effect.TO_FIRST):
        details.append(texts["replace_note"])
    for change in item.changes:
        if change.written != change.analyzed:
            details.append(texts["change"].format(written=change.written, analyzed=change.analyzed))
        if change.removed_stopwords:
            details.append(texts["stopwords"].format(words=", ".join(change.removed_stopwords)))
    if item.collapsed and item.effect is not Effect.NO_EFFECT:
        details.append(texts["collapsed"].format(terms=", ".join(item.collapsed)))
    lines = [f"{texts['line'].format(line=item.line)}: {headline}"]
    lines += [f"  {detail}" for detail in details]
    return "\n".join(lines)


def explain_text(
    dictionary: Dictionary, *, analyzer: Analyzer, expand: bool, language: Language = "ru"
) -> str:
    """The whole file in words, one block per rule, in file order."""
    items = explain_rules(dictionary, analyzer=analyzer, expand=expand)
    return "\n".join(render_explanation(item, language=language) for item in items)
