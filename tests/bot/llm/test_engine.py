"""The engine against the loopback stand-in: batching, cache, every failure path, cascade."""

from __future__ import annotations

import time

import httpx

from bot.llm.cache import SQLiteVerdictCache
from bot.llm.engine import LabelRun, LLMEngine
from bot.llm.labelers import RuleItem, SynonymLabeler, SynonymVerdict
from bot.llm.providers.openai import OpenAIProvider
from tests.bot.llm.conftest import SleepRecorder, make_engine, run, with_openai
from tests.standins.llm_server import Fault, LLMStandIn

RULES = [f"товар{i}, изделие{i}" for i in range(10)]


def _items(rules: list[str] = RULES) -> list[RuleItem]:
    return [RuleItem(rule=r) for r in rules]


async def _label(engine: LLMEngine, rules: list[str] = RULES) -> LabelRun[SynonymVerdict]:
    return await engine.label(SynonymLabeler(), _items(rules))


def test_items_are_batched_by_the_cap_and_answered_in_order(llm: LLMStandIn) -> None:
    llm.script["товар3, изделие3"] = {"verdict": "too_broad", "confidence": 0.9, "reason": "шире"}
    result = run(with_openai(llm, _label, batch_size=4))
    assert llm.calls == 3
    assert [v.verdict if v else None for v in result.verdicts][2:5] == ["valid", "too_broad", "valid"]
    assert result.stats.calls == 3
    assert result.stats.tokens_in == llm.prompt_tokens
    assert result.stats.tokens_out == llm.completion_tokens


def test_a_small_token_budget_makes_smaller_batches(llm: LLMStandIn) -> None:
    run(with_openai(llm, _label, batch_size=50, max_prompt_tokens=1500))
    assert llm.calls > 1


def test_unchanged_rules_make_no_second_call(llm: LLMStandIn) -> None:
    async def twice(engine: LLMEngine) -> tuple[LabelRun[SynonymVerdict], LabelRun[SynonymVerdict]]:
        return await _label(engine), await _label(engine)

    first, second = run(with_openai(llm, twice))
    assert llm.calls == 1
    assert (second.stats.calls, second.stats.cache_hits, second.stats.cache_misses) == (0, 10, 0)
    assert first.verdicts == second.verdicts


def test_a_new_model_or_prompt_version_asks_again(llm: LLMStandIn) -> None:
    cache = SQLiteVerdictCache(":memory:")

    async def go(engine: LLMEngine) -> None:
        await _label(engine)
        await engine.label_with(SynonymLabeler(), _items(), model="m2")

    run(with_openai(llm, go, cache=cache))
    assert llm.calls == 2


def test_missing_items_are_asked_again_alone(llm: LLMStandIn) -> None:
    llm.fail(Fault("missing", count=3))
    result = run(with_openai(llm, _label))
    assert llm.calls == 2
    assert len(llm.requests[1]["messages"][-1]["content"].splitlines()) == 1 + 3
    assert all(v is not None for v in result.verdicts)


def test_repeated_failure_splits_the_batch_and_never_invents_a_verdict(llm: LLMStandIn) -> None:
    ok = {"verdict": "valid", "confidence": 0.9}
    llm.default = lambda item: None if item["rule"] == "товар7, изделие7" else ok
    result = run(with_openai(llm, _label))
    assert result.verdicts[7] is None
    assert all(v is not None for i, v in enumerate(result.verdicts) if i != 7)
    assert result.stats.unanswered == 1
    # the full batch, then one re-ask of the missing item alone; a single item is not split further
    assert llm.calls == 2


def test_a_batch_that_keeps_failing_is_halved(llm: LLMStandIn) -> None:
    llm.fail(Fault("malformed"), Fault("malformed"))
    result = run(with_openai(llm, _label))
    sizes = [len(r["messages"][-1]["content"].splitlines()) - 1 for r in llm.requests]
    assert sizes == [10, 10, 5, 5]
    assert all(v is not None for v in result.verdicts)


def test_an_extra_unknown_id_is_ignored(llm: LLMStandIn) -> None:
    llm.fail(Fault("extra"))
    result = run(with_openai(llm, _label))
    assert llm.calls == 1
    assert len(result.verdicts) == 10 and all(v is not None for v in result.verdicts)


def test_a_duplicated_id_is_asked_again_alone(llm: LLMStandIn) -> None:
    llm.fail(Fault("duplicate"))
    result = run(with_openai(llm, _label))
    assert llm.calls == 2
    assert '"rule": "товар0, изделие0"' in llm.requests[1]["messages"][-1]["content"]
    assert result.verdicts[0] is not None and result.verdicts[0].verdict == "valid"


def test_invalid_entry_is_asked_again(llm: LLMStandIn) -> None:
    llm.fail(Fault("invalid"))
    result = run(with_openai(llm, _label))
    assert llm.calls == 2
    assert all(v is not None for v in result.verdicts)


def test_json_wrapped_in_prose_is_read(llm: LLMStandIn) -> None:
    llm.fail(Fault("prose"))
    result = run(with_openai(llm, _label))
    assert llm.calls == 1 and all(v is not None for v in result.verdicts)


def test_429_is_retried_after_the_servers_retry_after(llm: LLMStandIn) -> None:
    llm.fail(Fault("429", retry_after="2"))
    sleep = SleepRecorder()
    result = run(with_openai(llm, _label, sleep=sleep))
    assert sleep.waits and sleep.waits[0] >= 2.0
    assert llm.calls == 2 and all(v is not None for v in result.verdicts)


def test_500_is_retried_with_backoff(llm: LLMStandIn) -> None:
    llm.fail(Fault("500"), Fault("500"))
    sleep = SleepRecorder()
    result = run(with_openai(llm, _label, sleep=sleep))
    assert len(sleep.waits) == 2 and sleep.waits[1] >= sleep.waits[0] / 2
    assert all(v is not None for v in result.verdicts)


def test_a_slow_answer_times_out_and_is_retried(llm: LLMStandIn) -> None:
    llm.fail(Fault("slow", delay_s=1.0))
    started = time.monotonic()
    result = run(with_openai(llm, _label, timeout=0.3))
    assert time.monotonic() - started < 1.5
    assert llm.calls == 2 and all(v is not None for v in result.verdicts)


def test_a_provider_that_stays_down_opens_the_breaker_and_reports_unavailable(llm: LLMStandIn) -> None:
    llm.down = True

    async def go(engine: LLMEngine) -> tuple[LabelRun[SynonymVerdict], int]:
        first = await _label(engine, RULES[:3])
        calls = llm.calls
        await _label(engine, RULES[3:6])  # breaker open: fails fast, no request
        return first, llm.calls - calls

    first, later_calls = run(with_openai(llm, go, batch_size=1, attempts=2))
    assert not first.stats.available
    assert first.verdicts == [None, None, None]
    assert later_calls == 0


def test_connection_refused_is_unavailable_not_a_crash() -> None:
    async def go() -> LabelRun[SynonymVerdict]:
        async with httpx.AsyncClient(timeout=1) as http:
            engine = make_engine(OpenAIProvider(http, base_url="http://127.0.0.1:9/v1"), attempts=2)
            return await _label(engine, RULES[:2])

    result = run(go())
    assert not result.stats.available and result.verdicts == [None, None]


def test_low_confidence_goes_to_the_fallback_model(llm: LLMStandIn) -> None:
    def by_model(item: dict[str, object]) -> dict[str, object]:
        model = llm.requests[-1]["model"]
        first = model == "m1"
        return {"verdict": "valid" if first else "too_broad", "confidence": 0.3 if first else 0.9}

    llm.default = by_model
    result = run(with_openai(llm, _label, fallback_model="big", low_confidence=0.6, concurrency=1))
    assert [r["model"] for r in llm.requests] == ["m1", "big"]
    assert all(v is not None and v.verdict == "too_broad" for v in result.verdicts)
    assert result.stats.calls == 2


def test_low_confidence_goes_to_a_vote_when_configured(llm: LLMStandIn) -> None:
    votes = {"m1": ("valid", 0.4), "v1": ("wrong_meaning", 0.8), "v2": ("wrong_meaning", 0.7)}

    def by_model(item: dict[str, object]) -> dict[str, object]:
        verdict, confidence = votes[llm.requests[-1]["model"]]
        return {"verdict": verdict, "confidence": confidence}

    llm.default = by_model
    result = run(with_openai(llm, _label, vote_models=("v1", "v2"), concurrency=1))
    assert all(v is not None and (v.verdict, v.confidence) == ("wrong_meaning", 0.8) for v in result.verdicts)
