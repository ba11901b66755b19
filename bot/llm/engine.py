"""The engine: cache, token-budgeted batches, answers checked item by item, cascade.

For one labeler and a list of items it returns one verdict or ``None`` per item, never an
invented one. Unanswered items are asked again alone; a batch that fails twice is split
in halves; an item that fails alone twice stays unanswered. Low-confidence verdicts go to
the fallback model, or to a vote of several models, when configured.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from bot.llm import metrics
from bot.llm.answers import parse_batch_answer
from bot.llm.batching import halves, plan_batches
from bot.llm.cache import VerdictCache, cache_key
from bot.llm.errors import LLMUnavailable
from bot.llm.labelers.base import Labeler
from bot.llm.resilience import ResilientClient
from bot.llm.tokens import MESSAGE_OVERHEAD, estimate_messages, estimate_tokens

log = logging.getLogger(__name__)
In = TypeVar("In", bound=BaseModel)
Out = TypeVar("Out", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class EngineConfig:
    model: str
    batch_size: int = 50
    max_prompt_tokens: int = 6000
    attempts_before_split: int = 2
    fallback_model: str = ""
    vote_models: tuple[str, ...] = ()
    low_confidence: float = 0.6
    min_confidence: float = 0.5  # verdicts below it are not reported as findings
    prompt_versions: Mapping[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class RunStats:
    """What one run cost: chat calls, tokens, cache use, items left unanswered."""

    calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    unanswered: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: RunStats) -> None:
        self.calls += other.calls
        self.tokens_in += other.tokens_in
        self.tokens_out += other.tokens_out
        self.cache_hits += other.cache_hits
        self.cache_misses += other.cache_misses
        self.unanswered += other.unanswered
        self.errors.extend(other.errors)

    @property
    def available(self) -> bool:
        return not self.errors


@dataclass(slots=True)
class LabelRun(Generic[Out]):
    """One verdict (or ``None``) per input item, in input order, and the run's figures."""

    verdicts: list[Out | None]
    stats: RunStats


@dataclass(slots=True)
class _Job(Generic[In, Out]):
    labeler: Labeler[In, Out]
    model: str
    stats: RunStats
    results: dict[str, Out] = field(default_factory=dict)


class LLMEngine:
    """Runs labelers against one provider; owns the cache and the resilient client."""

    def __init__(
        self,
        client: ResilientClient,
        cache: VerdictCache,
        config: EngineConfig,
        *,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.client = client
        self.cache = cache
        self.config = config
        self._http = http  # closed with the engine when the engine built it
        self._overhead: dict[tuple[str, str, str], int] = {}

    @property
    def provider_name(self) -> str:
        return self.client.provider.name

    async def aclose(self) -> None:
        await self.cache.aclose()
        if self._http is not None:
            await self._http.aclose()

    async def __aenter__(self) -> LLMEngine:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def label(self, labeler: Labeler[In, Out], items: Sequence[In]) -> LabelRun[Out]:
        """Verdicts for ``items`` with the configured model and cascade."""
        run = await self.label_with(labeler, items, model=self.config.model)
        await self._cascade(labeler, items, run)
        return run

    async def label_with(
        self, labeler: Labeler[In, Out], items: Sequence[In], *, model: str
    ) -> LabelRun[Out]:
        """Verdicts from one model, no cascade."""
        job: _Job[In, Out] = _Job(labeler=labeler, model=model, stats=RunStats())
        keys = [
            cache_key(
                scenario=labeler.scenario, version=labeler.version, model=model, item=labeler.cache_text(i)
            )
            for i in items
        ]
        unique = dict(zip(keys, items, strict=True))
        await self._from_cache(job, unique)
        misses = [(k, item) for k, item in unique.items() if k not in job.results]
        if misses:
            await self._ask(job, misses)
        return LabelRun(verdicts=[job.results.get(k) for k in keys], stats=job.stats)

    async def _from_cache(self, job: _Job[In, Out], unique: dict[str, In]) -> None:
        cached = await self.cache.get_many(list(unique))
        for key, value in cached.items():
            try:
                job.results[key] = job.labeler.output_model.model_validate_json(value)
            except ValidationError:
                log.info("dropping a cached verdict that no longer validates")
        job.stats.cache_hits = len(job.results)
        job.stats.cache_misses = len(unique) - len(job.results)
        metrics.cache(hits=job.stats.cache_hits, misses=job.stats.cache_misses)

    async def _ask(self, job: _Job[In, Out], misses: list[tuple[str, In]]) -> None:
        lines = [
            job.labeler.render_item(i + 1, job.labeler.normalize(item)) for i, (_, item) in enumerate(misses)
        ]
        costs = await self._line_costs(job, lines)
        budget = self.config.max_prompt_tokens - await self._prompt_overhead(job)
        batches = plan_batches(costs, budget=max(budget, 1), cap=self.config.batch_size)
        outcomes = await asyncio.gather(
            *(self._batch(job, [misses[i] for i in batch]) for batch in batches), return_exceptions=True
        )
        for outcome in outcomes:
            if isinstance(outcome, LLMUnavailable):
                job.stats.errors.append(str(outcome))
            elif isinstance(outcome, BaseException):
                raise outcome
        job.stats.unanswered = sum(1 for k, _ in misses if k not in job.results)
        metrics.UNANSWERED.inc(job.stats.unanswered)

    async def _line_costs(self, job: _Job[In, Out], lines: list[str]) -> list[int]:
        counted = await self.client.count_tokens(lines, model=job.model) if lines else None
        base = counted if counted is not None else [estimate_tokens(line) for line in lines]
        return [tokens + 1 + job.labeler.output_tokens_per_item for tokens in base]

    async def _prompt_overhead(self, job: _Job[In, Out]) -> int:
        key = (job.labeler.scenario, job.labeler.version, job.model)
        if key not in self._overhead:
            parts = job.labeler.prompt.fixed_parts()
            counted = await self.client.count_tokens(parts, model=job.model)
            self._overhead[key] = (
                sum(counted) + MESSAGE_OVERHEAD * len(parts)
                if counted is not None
                else estimate_messages(parts)
            )
        return self._overhead[key]

    async def _batch(self, job: _Job[In, Out], entries: list[tuple[str, In]]) -> None:
        """Ask for ``entries``; re-ask the unanswered, split after repeated failure."""
        pending = entries
        for _ in range(max(1, self.config.attempts_before_split)):
            numbered = list(enumerate(pending, start=1))
            request = job.labeler.build_request([(i, item) for i, (_, item) in numbered], model=job.model)
            result = await self.client.chat(request)
            tokens_in = result.tokens_in or estimate_messages([m.content for m in request.messages])
            tokens_out = result.tokens_out or estimate_tokens(result.content)
            job.stats.calls += 1
            job.stats.tokens_in += tokens_in
            job.stats.tokens_out += tokens_out
            metrics.tokens(self.provider_name, prompt=tokens_in, completion=tokens_out)
            answer = parse_batch_answer(
                result.content, ids=[i for i, _ in numbered], model=job.labeler.output_model
            )
            fresh: dict[str, str] = {}
            for i, (key, item) in numbered:
                if i in answer.verdicts:
                    verdict = job.labeler.postprocess(item, answer.verdicts[i])
                    job.results[key] = verdict
                    fresh[key] = verdict.model_dump_json()
            await self.cache.put_many(fresh)
            if not answer.missing:
                return
            log.warning(
                "LLM answer left %d of %d items unanswered: %s",
                len(answer.missing),
                len(numbered),
                "; ".join(answer.problems[:3]),
            )
            pending = [pending[i - 1] for i in answer.missing]
        if len(pending) > 1:
            first, second = halves(range(len(pending)))
            await asyncio.gather(
                self._batch(job, [pending[i] for i in first]), self._batch(job, [pending[i] for i in second])
            )

    async def _cascade(self, labeler: Labeler[In, Out], items: Sequence[In], run: LabelRun[Out]) -> None:
        threshold = self.config.low_confidence
        doubtful = [
            i for i, v in enumerate(run.verdicts) if v is not None and labeler.confidence_of(v) < threshold
        ]
        if not doubtful:
            return
        subset = [items[i] for i in doubtful]
        if self.config.fallback_model:
            second = await self.label_with(labeler, subset, model=self.config.fallback_model)
            run.stats.add(second.stats)
            for i, verdict in zip(doubtful, second.verdicts, strict=True):
                if verdict is not None:
                    run.verdicts[i] = verdict
        elif self.config.vote_models:
            ballots: list[list[Out | None]] = []
            for model in self.config.vote_models:
                vote = await self.label_with(labeler, subset, model=model)
                run.stats.add(vote.stats)
                ballots.append(vote.verdicts)
            for n, i in enumerate(doubtful):
                run.verdicts[i] = majority(labeler, [run.verdicts[i], *(b[n] for b in ballots)])


def majority(labeler: Labeler[In, Out], verdicts: Sequence[Out | None]) -> Out | None:
    """The most common label wins (the first verdict on a tie); its most confident verdict is kept."""
    given = [v for v in verdicts if v is not None]
    if not given:
        return None
    counts = Counter(labeler.label_of(v) for v in given)
    top = max(counts.values())
    winner = next(labeler.label_of(v) for v in given if counts[labeler.label_of(v)] == top)
    return max((v for v in given if labeler.label_of(v) == winner), key=labeler.confidence_of)
