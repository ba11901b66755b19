"""Prompt tokens per rule with the real prompts at batch sizes 1, 10 and 50 (goal: 50 <= 1/5 of 1).

Runs the engine against the loopback stand-in, which counts prompt tokens with synbot's
Cyrillic-calibrated estimate (the same one used for batch planning).
Usage: .venv/bin/python -m benchmarks.llm_tokens
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx

from bot.llm.cache import SQLiteVerdictCache
from bot.llm.engine import EngineConfig, LLMEngine
from bot.llm.labelers import RuleItem, SynonymLabeler, TypoLabeler
from bot.llm.providers.openai import OpenAIProvider
from bot.llm.resilience import CircuitBreaker, RateLimiter, ResilientClient, RetryPolicy
from tests.standins.llm_server import LLMStandIn

DATASET = Path(__file__).parents[1] / "datasets" / "rules_ru.jsonl"
RULES = 50


async def per_rule(stand_in: LLMStandIn, kind: str, batch: int) -> tuple[float, float, int]:
    rows = [json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines()]
    items = [RuleItem(rule=r["rule"]) for r in rows if r["kind"] == kind][:RULES]
    labeler = SynonymLabeler() if kind == "synonyms" else TypoLabeler()
    before = (stand_in.prompt_tokens, stand_in.completion_tokens, stand_in.calls)
    async with httpx.AsyncClient(timeout=30) as http:
        client = ResilientClient(
            OpenAIProvider(http, base_url=stand_in.openai_url),
            policy=RetryPolicy(),
            limiter=RateLimiter(0),
            breaker=CircuitBreaker(),
            max_concurrency=4,
        )
        engine = LLMEngine(
            client, SQLiteVerdictCache(":memory:"), EngineConfig(model="bench", batch_size=batch)
        )
        await engine.label(labeler, items)
        await engine.aclose()
    return (
        (stand_in.prompt_tokens - before[0]) / len(items),
        (stand_in.completion_tokens - before[1]) / len(items),
        stand_in.calls - before[2],
    )


def main() -> None:
    with LLMStandIn() as stand_in:
        for kind in ("synonyms", "typos"):
            figures = {b: asyncio.run(per_rule(stand_in, kind, b)) for b in (1, 10, 50)}
            base = figures[1][0]
            print(f"{kind}: {RULES} rules, prompt tokens per rule (completion per rule, calls)")
            for b, (prompt, completion, calls) in figures.items():
                ratio = prompt / base
                print(
                    f"  batch {b:>2}: {prompt:7.1f}  ({completion:5.1f}, {calls:>2} calls)  ratio {ratio:.3f}"
                )
            ratio = figures[50][0] / base
            print(f"  goal batch 50 <= 1/5 of batch 1: {'met' if ratio <= 0.2 else 'MISSED'} ({ratio:.3f})")


if __name__ == "__main__":
    main()
