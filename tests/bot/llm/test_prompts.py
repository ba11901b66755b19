from __future__ import annotations

import pytest
import regex

from bot.llm.cache import cache_key
from bot.llm.labelers import EsciLabeler, PairItem, RuleItem, SynonymLabeler, TypoLabeler
from bot.llm.prompts import PromptError, available_versions, load_prompt, parse_template


@pytest.mark.parametrize("scenario", ["synonym_validation", "typo_validation", "esci_relevance"])
def test_every_shipped_prompt_is_russian_with_few_shot_examples(scenario: str) -> None:
    prompt = load_prompt(scenario)
    assert prompt.version in available_versions(scenario)
    assert len(regex.findall(r"\p{Cyrillic}", prompt.system)) > 200
    assert len(prompt.examples) >= 2
    assert [m.role for m in prompt.examples[:2]] == ["user", "assistant"]


def test_a_template_without_the_items_placeholder_is_refused() -> None:
    with pytest.raises(PromptError):
        parse_template("=== system\nx\n=== user\nнет места", scenario="s", version="v1")


def test_an_unknown_prompt_version_is_refused() -> None:
    with pytest.raises(PromptError):
        load_prompt("synonym_validation", "v999")


def test_items_are_numbered_json_lines_in_the_last_user_message() -> None:
    request = TypoLabeler().build_request(
        [(1, RuleItem(rule="кросы=>кроссовки")), (2, RuleItem(rule="кот => кит"))], model="m"
    )
    last = request.messages[-1]
    assert last.role == "user"
    assert '{"id": 1, "rule": "кросы => кроссовки"}' in last.content
    assert '{"id": 2, "rule": "кот => кит"}' in last.content


def test_esci_items_carry_query_and_title() -> None:
    request = EsciLabeler().build_request([(1, PairItem(query="iphone  15", title="Чехол"))], model="m")
    assert '{"id": 1, "query": "iphone 15", "title": "Чехол"}' in request.messages[-1].content


def test_the_prompt_version_and_the_model_are_part_of_the_cache_key() -> None:
    labeler = SynonymLabeler()
    item = labeler.cache_text(RuleItem(rule="телефон ,  смартфон"))
    assert item == labeler.cache_text(RuleItem(rule="телефон, смартфон"))
    base = cache_key(scenario=labeler.scenario, version="v1", model="a", item=item)
    assert base != cache_key(scenario=labeler.scenario, version="v2", model="a", item=item)
    assert base != cache_key(scenario=labeler.scenario, version="v1", model="b", item=item)
