from __future__ import annotations

import json

import pytest

from bot.llm.errors import LLMAnswerInvalid
from bot.llm.labelers import RuleItem, SynonymLabeler
from bot.llm.wire import ChatRequest, Message, chat_body, extract_json, parse_chat_response, parse_retry_after
from tests.bot.llm.conftest import SAMPLES


def test_structured_request_carries_the_answer_schema_in_response_format() -> None:
    request = SynonymLabeler().build_request([(1, RuleItem(rule="телефон, смартфон"))], model="qwen")
    body = chat_body(request, structured=True)
    assert body["model"] == "qwen"
    assert body["response_format"]["type"] == "json_schema"
    schema = body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["items"]["items"]["required"][0] == "id"
    assert "too_broad" in json.dumps(schema)


def test_unstructured_request_has_no_response_format() -> None:
    request = ChatRequest(model="m", messages=(Message("user", "привет"),), schema={"type": "object"})
    assert "response_format" not in chat_body(request, structured=False)


def test_captured_openai_completion_gives_content_and_usage() -> None:
    result = parse_chat_response((SAMPLES / "openai_chat_completion.json").read_bytes())
    assert (result.tokens_in, result.tokens_out) == (1032, 89)
    assert extract_json(result.content)["items"][0]["verdict"] == "too_broad"


def test_captured_gigachat_completion_with_a_json_fence_is_read() -> None:
    result = parse_chat_response((SAMPLES / "gigachat_chat_completion.json").read_bytes())
    assert extract_json(result.content)["items"][0]["verdict"] == "slang"


def test_a_body_that_is_not_a_completion_is_an_invalid_answer() -> None:
    with pytest.raises(LLMAnswerInvalid):
        parse_chat_response(b"<html>502 Bad Gateway</html>")
    with pytest.raises(LLMAnswerInvalid):
        parse_chat_response(b'{"choices": []}')


@pytest.mark.parametrize(
    "text",
    [
        '{"items": [{"id": 1}]}',
        'Ответ:\n```json\n{"items": [{"id": 1}]}\n```',
        'Конечно! {"items": [{"id": 1}]} Надеюсь, помог.',
        'см. {пример} и [1] — {"items": [{"id": 1}]}',
    ],
)
def test_json_is_extracted_from_prose_and_fences(text: str) -> None:
    assert extract_json(text) == {"items": [{"id": 1}]}


def test_text_without_json_is_an_invalid_answer() -> None:
    with pytest.raises(LLMAnswerInvalid):
        extract_json("Извините, я не могу помочь.")


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert parse_retry_after("2", now=0) == 2.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == pytest.approx(10.0)
    assert parse_retry_after(None, now=0) is None
    assert parse_retry_after("soon", now=0) is None
