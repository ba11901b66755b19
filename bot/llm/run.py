"""Running the LLM over rules grouped by kind, with an engine built from settings or given.

Never raises for an LLM problem: a misconfigured or unreachable provider gives a report
with ``available=False``, so ``synbot check --llm``, ``synbot review --llm`` and the review
service still report the deterministic findings and exit as they would without the LLM.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence

from bot.config import Settings
from bot.llm.engine import LLMEngine
from bot.llm.errors import LLMError
from bot.llm.factory import LLMConfigError, build_engine
from bot.llm.prompts import PromptError
from bot.llm.validator import LLMReport, combine, validate_rules
from synonyms.analysis import Analyzer
from synonyms.checks import CheckOptions
from synonyms.findings import Finding
from synonyms.rules import Dictionary, Kind, Rule

log = logging.getLogger(__name__)


async def validate_by_kind(
    rules: Mapping[Kind, Sequence[Rule]],
    *,
    deterministic: Sequence[Finding],
    engine: LLMEngine,
    analyzer: Analyzer,
    options: CheckOptions,
) -> LLMReport:
    """One engine run per kind; a failure of one kind is a notice in the combined report."""
    reports = []
    for kind, kind_rules in rules.items():
        if not kind_rules:
            continue
        try:
            reports.append(
                await validate_rules(
                    kind_rules,
                    kind=kind,
                    deterministic=deterministic,
                    engine=engine,
                    analyzer=analyzer,
                    options=options,
                )
            )
        except LLMError as exc:  # defensive: the engine reports outages itself
            log.warning("LLM check of %s failed: %s", kind.value, type(exc).__name__)
            reports.append(LLMReport(available=False, status=f"unavailable: {type(exc).__name__}"))
    return combine(reports)


async def with_engine_from(
    settings: Settings, work: Callable[[LLMEngine], Awaitable[LLMReport]]
) -> LLMReport:
    """``work(engine)`` with an engine built from ``settings`` for this run only.

    A misconfigured provider is reported like an outage; provider ``none`` is "disabled".
    """
    try:
        engine = build_engine(settings)
    except (LLMConfigError, PromptError, OSError) as exc:
        return LLMReport(available=False, status=f"unavailable: {type(exc).__name__}: {exc}")
    if engine is None:
        return LLMReport.disabled()
    async with engine:
        return await work(engine)


async def check_dictionaries_with_llm(
    dictionaries: Sequence[Dictionary],
    *,
    deterministic: Sequence[Finding],
    settings: Settings,
    analyzer: Analyzer,
    options: CheckOptions,
) -> LLMReport:
    """LLM findings for every rule of the dictionaries, one engine run per kind."""
    rules = {kind: [r for d in dictionaries if d.kind is kind for r in d.rules] for kind in Kind}
    return await with_engine_from(
        settings,
        lambda engine: validate_by_kind(
            rules, deterministic=deterministic, engine=engine, analyzer=analyzer, options=options
        ),
    )


def llm_report(
    dictionaries: Sequence[Dictionary],
    *,
    deterministic: Sequence[Finding],
    settings: Settings,
    analyzer: Analyzer,
    options: CheckOptions,
) -> LLMReport:
    """:func:`check_dictionaries_with_llm` for synchronous callers (the CLI)."""
    return asyncio.run(
        check_dictionaries_with_llm(
            dictionaries, deterministic=deterministic, settings=settings, analyzer=analyzer, options=options
        )
    )
