"""Providers against the loopback stand-in: OpenAI's structured output, GigaChat's OAuth and counts."""

from __future__ import annotations

import time

import httpx
import pytest

from bot.llm.engine import LabelRun, LLMEngine
from bot.llm.errors import LLMHTTPError
from bot.llm.labelers import RuleItem, SynonymLabeler, SynonymVerdict
from bot.llm.providers.gigachat import (
    GigaChatProvider,
    authorization_key,
    parse_token_answer,
    parse_token_counts,
)
from bot.llm.providers.openai import OpenAIProvider
from bot.llm.wire import ChatRequest, Message
from tests.bot.llm.conftest import SAMPLES, make_engine, run
from tests.standins.llm_server import LLMStandIn

KEY = authorization_key("secret-id", "secret")
REQUEST = ChatRequest(model="GigaChat", messages=(Message("user", '{"id": 1, "rule": "a, b"}'),))


def test_openai_falls_back_to_text_json_when_response_format_is_refused(llm: LLMStandIn) -> None:
    llm.accepts_response_format = False

    async def go() -> tuple[LabelRun[SynonymVerdict], bool]:
        async with httpx.AsyncClient() as http:
            provider = OpenAIProvider(http, base_url=llm.openai_url, structured=True)
            engine = make_engine(provider)
            result = await engine.label(SynonymLabeler(), [RuleItem(rule="a, b")])
            return result, provider.structured

    result, structured = run(go())
    assert result.verdicts[0] is not None
    assert not structured
    assert "response_format" in llm.requests[0] and "response_format" not in llm.requests[1]


def test_openai_sends_the_api_key_as_bearer() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"])
        return httpx.Response(200, content=(SAMPLES / "openai_chat_completion.json").read_bytes())

    async def go() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            await OpenAIProvider(http, base_url="http://vllm:8000/v1/", api_key="sk-1").chat(REQUEST)

    run(go())
    assert seen == ["Bearer sk-1"]


def test_gigachat_samples_parse() -> None:
    token = parse_token_answer((SAMPLES / "gigachat_oauth.json").read_bytes())
    assert token.expires_at_s == pytest.approx(1732541801.0)
    assert parse_token_counts((SAMPLES / "gigachat_tokens_count.json").read_bytes()) == [7, 12]


def test_authorization_key_is_base64_of_the_client_credentials() -> None:
    assert authorization_key("id", "secret") == "aWQ6c2VjcmV0"


def _gigachat(http: httpx.AsyncClient, llm: LLMStandIn, **kwargs: object) -> GigaChatProvider:
    return GigaChatProvider(
        http,
        credentials=KEY,
        scope="GIGACHAT_API_CORP",
        base_url=llm.url + "/api/v1",
        auth_url=llm.oauth_url,
        **kwargs,  # type: ignore[arg-type]
    )


def test_gigachat_gets_a_token_once_and_reuses_it(llm: LLMStandIn) -> None:
    llm.authorization_key = KEY

    async def go() -> None:
        async with httpx.AsyncClient() as http:
            provider = _gigachat(http, llm)
            await provider.chat(REQUEST)
            await provider.chat(REQUEST)

    run(go())
    assert llm.token_requests == 1 and llm.calls == 2
    oauth = llm.oauth_requests[0]
    assert oauth["authorization"] == f"Basic {KEY}" and oauth["scope"] == "GIGACHAT_API_CORP"
    assert len(oauth["rquid"]) == 36


def test_gigachat_refreshes_the_token_before_it_expires(llm: LLMStandIn) -> None:
    llm.authorization_key = KEY
    now = [time.time()]

    async def go() -> None:
        async with httpx.AsyncClient() as http:
            provider = _gigachat(http, llm, clock=lambda: now[0])
            await provider.chat(REQUEST)
            now[0] += 1800 - 30  # inside the refresh margin of the 30-minute token
            await provider.chat(REQUEST)

    run(go())
    assert llm.token_requests == 2


def test_gigachat_renews_the_token_once_on_401(llm: LLMStandIn) -> None:
    llm.authorization_key = KEY

    async def go() -> None:
        async with httpx.AsyncClient() as http:
            provider = _gigachat(http, llm)
            await provider.chat(REQUEST)
            llm.revoke_tokens()
            await provider.chat(REQUEST)

    run(go())
    assert llm.token_requests == 2 and llm.calls == 2


def test_gigachat_with_a_wrong_key_fails_with_401_and_no_secret_in_the_error(llm: LLMStandIn) -> None:
    llm.authorization_key = authorization_key("another-id", "another-secret")

    async def go() -> None:
        async with httpx.AsyncClient() as http:
            await _gigachat(http, llm).chat(REQUEST)

    with pytest.raises(LLMHTTPError) as info:
        run(go())
    assert info.value.status == 401 and KEY not in str(info.value)


def test_gigachat_engine_batches_with_the_providers_token_counts(llm: LLMStandIn) -> None:
    llm.authorization_key = KEY

    async def go() -> LabelRun[SynonymVerdict]:
        async with httpx.AsyncClient() as http:
            engine: LLMEngine = make_engine(_gigachat(http, llm), model="GigaChat-Max")
            return await engine.label(SynonymLabeler(), [RuleItem(rule=f"a{i}, b{i}") for i in range(5)])

    result = run(go())
    assert llm.count_requests == 2  # the items once, the fixed prompt parts once
    assert llm.calls == 1 and all(v is not None for v in result.verdicts)
    assert "response_format" not in llm.requests[0]
