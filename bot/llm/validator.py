"""Rules in, LLM findings out: the entry point the CLI and the review service call.

Deterministic verdicts come first: a rule the checks already flag (error or warning) is
settled and costs no LLM call. When the provider is down the report says so and carries
whatever verdicts arrived; the caller still posts the deterministic findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.llm.engine import LLMEngine, RunStats
from bot.llm.findings import verdict_finding
from bot.llm.labelers import RuleItem, SynonymLabeler, TypoLabeler
from bot.llm.labelers.models import SynonymVerdict, TypoVerdict
from synonyms.analysis import Analyzer, WhitespaceAnalyzer
from synonyms.checks import CheckOptions
from synonyms.findings import Finding, Severity, Source
from synonyms.rules import Kind, Rule


@dataclass(frozen=True, slots=True)
class LLMReport:
    """LLM findings of one run and what they cost, for the summary note and metrics."""

    findings: list[Finding] = field(default_factory=list)
    calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    unanswered: int = 0
    settled: int = 0  # rules the deterministic checks already decided
    available: bool = True
    status: str = "ok"  # ok | disabled | unavailable: <reason> | partial: <n> unanswered

    @property
    def hit_rate(self) -> float:
        lookups = self.cache_hits + self.cache_misses
        return self.cache_hits / lookups if lookups else 0.0

    def summary(self, language: str = "ru") -> str:
        """One line for the summary note and the CLI."""
        if self.status == "disabled":
            return "LLM: выключена" if language == "ru" else "LLM: disabled"
        if not self.available:
            head = (
                "LLM недоступна, показаны только детерминированные проверки"
                if language == "ru"
                else ("LLM unavailable, deterministic findings only")
            )
            return f"{head} ({self.status.removeprefix('unavailable: ')})"
        if language == "ru":
            text = (
                f"LLM: {self.calls} вызовов, токенов {self.tokens_in} на входе / "
                f"{self.tokens_out} на выходе, "
                f"кэш {self.hit_rate:.0%} ({self.cache_hits} из {self.cache_hits + self.cache_misses})"
            )
        else:
            text = (
                f"LLM: {self.calls} calls, {self.tokens_in} tokens in / {self.tokens_out} out, "
                f"cache {self.hit_rate:.0%} ({self.cache_hits} of {self.cache_hits + self.cache_misses})"
            )
        if self.unanswered:
            text += (
                f"; без ответа: {self.unanswered}" if language == "ru" else f"; unanswered: {self.unanswered}"
            )
        return text

    @classmethod
    def disabled(cls) -> LLMReport:
        return cls(status="disabled")


def combine(reports: Sequence[LLMReport]) -> LLMReport:
    """Several runs (e.g. synonyms and typos) as one report."""
    if not reports:
        return LLMReport()
    down = [r for r in reports if not r.available]
    partial = [r for r in reports if r.status.startswith("partial")]
    return LLMReport(
        findings=[f for r in reports for f in r.findings],
        calls=sum(r.calls for r in reports),
        tokens_in=sum(r.tokens_in for r in reports),
        tokens_out=sum(r.tokens_out for r in reports),
        cache_hits=sum(r.cache_hits for r in reports),
        cache_misses=sum(r.cache_misses for r in reports),
        unanswered=sum(r.unanswered for r in reports),
        settled=sum(r.settled for r in reports),
        available=not down,
        status=down[0].status if down else partial[0].status if partial else "ok",
    )


def settled_by_checks(deterministic: Sequence[Finding]) -> set[tuple[str, int]]:
    """Places the deterministic checks already decided (errors and warnings)."""
    return {
        (f.path, line)
        for f in deterministic
        if f.source is Source.CHECK and f.severity in (Severity.ERROR, Severity.WARNING)
        for line in range(f.line, f.last_line + 1)
    }


async def validate_rules(
    rules: Sequence[Rule],
    *,
    kind: Kind,
    deterministic: Sequence[Finding],
    engine: LLMEngine,
    analyzer: Analyzer | None = None,
    options: CheckOptions | None = None,
    min_confidence: float | None = None,
) -> LLMReport:
    """LLM findings (``source=llm``) for the rules the deterministic checks left open."""
    analyzer = analyzer or WhitespaceAnalyzer()
    threshold = engine.config.min_confidence if min_confidence is None else min_confidence
    options = options or CheckOptions()
    settled = settled_by_checks(deterministic)
    todo = [r for r in rules if (r.path, r.line) not in settled]
    items = [RuleItem(rule=r.raw) for r in todo]
    verdicts: list[SynonymVerdict | TypoVerdict | None] = []
    stats = RunStats()
    versions = engine.config.prompt_versions
    if items and kind is Kind.SYNONYMS:
        synonyms = await engine.label(SynonymLabeler(version=versions.get(SynonymLabeler.scenario)), items)
        verdicts, stats = list(synonyms.verdicts), synonyms.stats
    elif items:
        typos = await engine.label(TypoLabeler(version=versions.get(TypoLabeler.scenario)), items)
        verdicts, stats = list(typos.verdicts), typos.stats
    findings = [
        finding
        for rule, verdict in zip(todo, verdicts, strict=True)
        if verdict is not None
        and (
            finding := verdict_finding(
                rule, verdict, kind=kind, analyzer=analyzer, options=options, min_confidence=threshold
            )
        )
        is not None
    ]
    return LLMReport(
        findings=findings,
        calls=stats.calls,
        tokens_in=stats.tokens_in,
        tokens_out=stats.tokens_out,
        cache_hits=stats.cache_hits,
        cache_misses=stats.cache_misses,
        unanswered=stats.unanswered,
        settled=len(rules) - len(todo),
        available=stats.available,
        status=_status(stats),
    )


def _status(stats: RunStats) -> str:
    if stats.errors:
        return f"unavailable: {stats.errors[0]}"
    if stats.unanswered:
        return f"partial: {stats.unanswered} unanswered"
    return "ok"
