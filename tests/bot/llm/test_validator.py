"""Rules -> LLM findings, through the stand-in: codes, suggestions, settled rules, outages."""

from __future__ import annotations

from bot.llm.engine import LLMEngine
from bot.llm.validator import LLMReport, combine, validate_rules
from synonyms.analysis import WhitespaceAnalyzer
from synonyms.checks import CheckOptions
from synonyms.findings import Finding, Severity, Source
from synonyms.parser import parse
from synonyms.rules import Kind, Rule
from tests.bot.llm.conftest import run, with_openai
from tests.standins.llm_server import LLMStandIn

SYNONYMS = """телефон, смартфон, гаджет
помидор, овощ
ноутбук, лэптоп
кофта, куртка
"""


def _rules(text: str, path: str = "synonyms/electronics.txt") -> list[Rule]:
    return list(parse(text, analyzer=WhitespaceAnalyzer(), path=path).rules)


def _validate(
    llm: LLMStandIn,
    rules: list[Rule],
    *,
    kind: Kind = Kind.SYNONYMS,
    deterministic: list[Finding] | None = None,
    options: CheckOptions | None = None,
) -> LLMReport:
    async def go(engine: LLMEngine) -> LLMReport:
        return await validate_rules(
            rules, kind=kind, deterministic=deterministic or [], engine=engine, options=options
        )

    return run(with_openai(llm, go))


def test_verdicts_become_llm_findings_with_stable_codes(llm: LLMStandIn) -> None:
    llm.script.update(
        {
            "телефон, смартфон, гаджет": {
                "verdict": "too_broad",
                "confidence": 0.9,
                "reason": "гаджет шире",
                "fixed_rule": "телефон, смартфон",
            },
            "помидор, овощ": {
                "verdict": "one_way",
                "confidence": 0.85,
                "fixed_rule": "помидор => помидор, овощ",
            },
            "кофта, куртка": {"verdict": "wrong_meaning", "confidence": 0.95, "reason": "разные вещи"},
        }
    )
    report = _validate(llm, _rules(SYNONYMS))
    by_line = {f.line: f for f in report.findings}
    assert sorted(by_line) == [1, 2, 4]
    assert by_line[1].code == "llm-too-broad" and by_line[1].suggestion == "телефон, смартфон"
    assert by_line[1].source is Source.LLM and by_line[1].rule == "телефон, смартфон, гаджет"
    assert "гаджет шире" in by_line[1].message and "90%" in by_line[1].message
    assert by_line[2].code == "llm-should-be-one-way" and by_line[2].suggestion == "помидор => помидор, овощ"
    assert by_line[4].code == "llm-wrong-meaning" and by_line[4].suggestion is None
    assert (report.calls, report.cache_misses, report.available, report.status) == (1, 4, True, "ok")


def test_a_proposed_rule_that_does_not_parse_is_dropped(llm: LLMStandIn) -> None:
    llm.script["кофта, куртка"] = {
        "verdict": "wrong_meaning",
        "confidence": 0.9,
        "fixed_rule": "кофта => a => b",
    }
    report = _validate(llm, _rules("кофта, куртка\n"))
    assert report.findings[0].suggestion is None


def test_an_added_term_becomes_a_checked_suggestion(llm: LLMStandIn) -> None:
    llm.script["ноутбук, лэптоп"] = {"verdict": "too_narrow", "confidence": 0.7, "added_term": "ноут"}
    report = _validate(llm, _rules("ноутбук, лэптоп\n"))
    assert report.findings[0].code == "llm-too-narrow"
    assert report.findings[0].severity is Severity.INFO
    assert report.findings[0].suggestion == "ноутбук, лэптоп, ноут"


def test_rules_the_checks_already_flag_cost_no_llm_call(llm: LLMStandIn) -> None:
    rules = _rules(SYNONYMS)
    flagged = [
        Finding(path=r.path, line=r.line, severity=Severity.ERROR, code="duplicate-rule", message="x")
        for r in rules
    ]
    report = _validate(llm, rules, deterministic=flagged)
    assert llm.calls == 0 and report.settled == 4 and report.findings == []


def test_typo_verdicts_use_typo_codes_and_the_english_message(llm: LLMStandIn) -> None:
    llm.script.update(
        {
            "кросы => кроссовки": {"verdict": "slang", "confidence": 0.8, "reason": "разговорное"},
            "кот => кит": {"verdict": "not_a_typo", "confidence": 0.95},
            "холодилник => холодильнег": {
                "verdict": "wrong_correction",
                "confidence": 0.9,
                "fixed_rule": "холодилник => холодильник",
            },
        }
    )
    rules = _rules("кросы => кроссовки\nкот => кит\nхолодилник => холодильнег\n", path="typos/all.txt")
    report = _validate(llm, rules, kind=Kind.TYPOS, options=CheckOptions(language="en"))
    codes = [(f.code, f.suggestion) for f in report.findings]
    assert codes == [
        ("llm-slang-not-typo", None),
        ("llm-not-a-typo", None),
        ("llm-wrong-correction", "холодилник => холодильник"),
    ]
    assert report.findings[1].message.startswith("the left side is a word of its own")


def test_unsure_verdicts_and_disabled_codes_are_not_reported(llm: LLMStandIn) -> None:
    llm.script["кофта, куртка"] = {"verdict": "wrong_meaning", "confidence": 0.3}
    llm.script["помидор, овощ"] = {"verdict": "one_way", "confidence": 0.9}
    options = CheckOptions(disabled=frozenset({"llm-should-be-one-way"}))
    report = _validate(llm, _rules(SYNONYMS), options=options)
    assert report.findings == []


def test_a_provider_that_is_down_gives_an_unavailable_report_not_an_exception(llm: LLMStandIn) -> None:
    llm.down = True
    report = _validate(llm, _rules(SYNONYMS))
    assert not report.available and report.findings == []
    assert report.status.startswith("unavailable")
    assert "недоступна" in report.summary("ru") and "unavailable" in report.summary("en")


def test_summary_shows_calls_tokens_and_cache_hit_rate() -> None:
    report = combine(
        [
            LLMReport(calls=2, tokens_in=1000, tokens_out=200, cache_hits=3, cache_misses=1),
            LLMReport(calls=0, cache_hits=4, cache_misses=0),
        ]
    )
    assert report.summary("en") == "LLM: 2 calls, 1000 tokens in / 200 out, cache 88% (7 of 8)"
    assert LLMReport.disabled().summary("ru") == "LLM: выключена"
