"""1,000 uncached rules through the stand-in at 500 ms latency, concurrency 4 (goal <= 10 s);
the same 1,000 again (goal: 0 calls).

Usage: .venv/bin/python -m benchmarks.llm_throughput
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from pathlib import Path

import httpx

from bot.llm.cache import SQLiteVerdictCache
from bot.llm.engine import EngineConfig, LLMEngine
from bot.llm.labelers import RuleItem, SynonymLabeler
from bot.llm.providers.openai import OpenAIProvider
from bot.llm.resilience import CircuitBreaker, RateLimiter, ResilientClient, RetryPolicy
from tests.standins.llm_server import LLMStandIn

DATASET = Path(__file__).parents[1] / "datasets" / "rules_ru.jsonl"
RULES = 1000


def rules() -> list[RuleItem]:
    rows = [json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines()]
    base = [r["rule"] for r in rows if r["kind"] == "synonyms"]
    return [RuleItem(rule=f"{base[i % len(base)]}, вариант{i}") for i in range(RULES)]


async def run(stand_in: LLMStandIn, cache_dir: Path) -> None:
    items = rules()
    async with httpx.AsyncClient(timeout=30) as http:
        client = ResilientClient(
            OpenAIProvider(http, base_url=stand_in.openai_url),
            policy=RetryPolicy(),
            limiter=RateLimiter(600),
            breaker=CircuitBreaker(),
            max_concurrency=4,
        )
        cache = SQLiteVerdictCache(cache_dir / "llm-cache.sqlite3")
        engine = LLMEngine(client, cache, EngineConfig(model="bench", batch_size=50))
        for attempt in ("uncached", "again"):
            calls = stand_in.calls
            started = time.perf_counter()
            result = await engine.label(SynonymLabeler(), items)
            seconds = time.perf_counter() - started
            answered = sum(v is not None for v in result.verdicts)
            print(
                f"{attempt:>8}: {RULES} rules in {seconds:5.2f} s, {stand_in.calls - calls} calls, "
                f"{answered} answered, cache hits {result.stats.cache_hits}, "
                f"tokens in/out {result.stats.tokens_in}/{result.stats.tokens_out}"
            )
        await engine.aclose()


def main() -> None:
    with LLMStandIn(latency_s=0.5) as stand_in, tempfile.TemporaryDirectory() as tmp:
        print("stand-in latency 500 ms, concurrency 4, batch cap 50, 600 requests/min, SQLite cache")
        asyncio.run(run(stand_in, Path(tmp)))


if __name__ == "__main__":
    main()
