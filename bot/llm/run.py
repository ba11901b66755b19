"""Synchronous entry for the command line: dictionaries in, an :class:`LLMReport` out.

Never raises for an LLM problem: a misconfigured or unreachable provider gives a report
with ``available=False``, so ``synbot check --llm`` prints the deterministic findings and
exits as it would without the LLM.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from bot.config import Settings
from bot.llm.errors import LLMError
from bot.llm.factory import LLMConfigError, build_engine
from bot.llm.prompts import PromptError
from bot.llm.validator import LLMReport, combine, validate_rules
from synonyms.analysis import Analyzer
from synonyms.checks import CheckOptions
from synonyms.findings import Finding
from synonyms.rules import Dictionary, Kind

log = logging.getLogger(__name__)


async def check_dictionaries_with_llm(
    dictionaries: Sequence[Dictionary],
    *,
    deterministic: Sequence[Finding],
    settings: Settings,
    analyzer: Analyzer,
    options: CheckOptions,
) -> LLMReport:
    """LLM findings for every rule of the dictionaries, one engine run per kind."""
    try:
        engine = build_engine(settings)
    except (LLMConfigError, PromptError, OSError) as exc:
        return LLMReport(available=False, status=f"unavailable: {exc}")
    if engine is None:
        return LLMReport.disabled()
    reports = []
    async with engine:
        for kind in Kind:
            rules = [r for d in dictionaries if d.kind is kind for r in d.rules]
            if not rules:
                continue
            try:
                reports.append(
                    await validate_rules(
                        rules,
                        kind=kind,
                        deterministic=deterministic,
                        engine=engine,
                        analyzer=analyzer,
                        options=options,
                    )
                )
            except LLMError as exc:  # defensive: the engine reports outages itself
                log.warning("LLM check of %s failed: %s", kind.value, exc)
                reports.append(LLMReport(available=False, status=f"unavailable: {exc}"))
    return combine(reports)


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
