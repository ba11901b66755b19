"""Runs the deterministic checks or a model over a labeled dataset (``synbot eval``)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from bot.eval import NO_ANSWER, EvalResult, LabeledRule, compute_metrics
from bot.llm.engine import LLMEngine
from bot.llm.labelers import RuleItem, SynonymLabeler, TypoLabeler
from synonyms.analysis import Analyzer
from synonyms.checks import CheckOptions, check_dictionaries
from synonyms.findings import Severity
from synonyms.parser import parse
from synonyms.rules import Kind

VALID = "valid"
PROBLEM = "problem"


def binary(label: str) -> str:
    """Deterministic checks only tell valid from not valid."""
    return VALID if label == VALID else PROBLEM


def deterministic_label(row: LabeledRule, *, analyzer: Analyzer, options: CheckOptions) -> str:
    """``problem`` when the checks flag the rule (error or warning), else ``valid``."""
    dictionary = parse(row.rule, analyzer=analyzer, path=f"{row.kind.value}/{row.id}.txt", kind=row.kind)
    if dictionary.errors:
        return PROBLEM
    findings = check_dictionaries([dictionary], analyzer=analyzer, options=options)
    return PROBLEM if any(f.severity in (Severity.ERROR, Severity.WARNING) for f in findings) else VALID


def evaluate_checks(
    rows: Sequence[LabeledRule], *, analyzer: Analyzer, options: CheckOptions
) -> list[EvalResult]:
    """Figures of the deterministic checks, valid vs problem, per kind."""
    results = []
    for kind in Kind:
        subset = [r for r in rows if r.kind is kind]
        if not subset:
            continue
        started = time.perf_counter()
        predicted = [deterministic_label(r, analyzer=analyzer, options=options) for r in subset]
        results.append(
            EvalResult(
                name="checks",
                kind=f"{kind.value} (valid/problem)",
                metrics=compute_metrics([binary(r.label) for r in subset], predicted),
                seconds=time.perf_counter() - started,
            )
        )
    return results


@dataclass(frozen=True, slots=True)
class ModelSetup:
    """One side of a comparison: a model and the prompt versions it runs with."""

    name: str
    model: str
    prompt_version: str | None = None


async def evaluate_model(
    rows: Sequence[LabeledRule], *, engine: LLMEngine, setup: ModelSetup
) -> list[EvalResult]:
    """Figures of one model on every kind in the dataset (no cascade: the model alone)."""
    results = []
    for kind in Kind:
        subset = [r for r in rows if r.kind is kind]
        if not subset:
            continue
        items = [RuleItem(rule=r.rule) for r in subset]
        started = time.perf_counter()
        if kind is Kind.SYNONYMS:
            synonyms = SynonymLabeler(version=setup.prompt_version)
            run_s = await engine.label_with(synonyms, items, model=setup.model)
            labels, stats, version = (
                [v.verdict if v else NO_ANSWER for v in run_s.verdicts],
                run_s.stats,
                synonyms.version,
            )
        else:
            typos = TypoLabeler(version=setup.prompt_version)
            run_t = await engine.label_with(typos, items, model=setup.model)
            labels, stats, version = (
                [v.verdict if v else NO_ANSWER for v in run_t.verdicts],
                run_t.stats,
                typos.version,
            )
        result = EvalResult(
            name=setup.name,
            kind=kind.value,
            metrics=compute_metrics([r.label for r in subset], labels),
            calls=stats.calls,
            tokens_in=stats.tokens_in,
            tokens_out=stats.tokens_out,
            seconds=time.perf_counter() - started,
            unanswered=stats.unanswered,
            notes=[f"{setup.name}: model {setup.model}, prompt {version}"],
        )
        if stats.errors:
            result.notes.append(f"LLM unavailable: {stats.errors[0]}")
        results.append(result)
    return results
