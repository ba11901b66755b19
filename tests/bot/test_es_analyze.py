"""The Elasticsearch-backed analyzer against a loopback stand-in that answers like ``_analyze``."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest

from bot.es_analyze import BATCH_TEXTS, ElasticsearchAnalyzeError, ElasticsearchAnalyzer
from synonyms.analysis import Analysis, Token
from synonyms.parser import parse

if TYPE_CHECKING:
    from tests.standins.es_server import ElasticsearchStandIn

pytest_plugins = ("tests.standins.es_server",)

# a stop word at the start, in the middle, at the end, alone; spaces around; a character outside
# the BMP (two UTF-16 units, as Elasticsearch counts offsets); a repeated term
TERMS = [
    "Стол",
    "и стол",
    "чай и кофе",
    "кофе и",
    "и",
    " кеды ",
    "😀 чехол для телефона",
    "Wi-Fi роутер",
    "стол",
    "стол",
    "ноутбук, лэптоп",
]


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as c:
        yield c


def es(client: httpx.Client, standin: ElasticsearchStandIn, **kw: str) -> ElasticsearchAnalyzer:
    return ElasticsearchAnalyzer(
        client, url=kw.get("url", standin.url), analyzer=kw.get("analyzer", standin.analyzer)
    )


def one_by_one(client: httpx.Client, standin: ElasticsearchStandIn, texts: list[str]) -> list[Analysis]:
    analyzer = es(client, standin)
    return [analyzer.analyze(t) for t in texts]


def test_positions_become_position_increments(es_standin: ElasticsearchStandIn, client: httpx.Client) -> None:
    analyzer = es(client, es_standin)
    analysis = analyzer.analyze("и Стол для Кухни")
    assert analysis.tokens == (Token("стол", 2), Token("кухни", 2))
    assert analyzer.name == "elasticsearch:ru_index"


def test_each_distinct_term_is_asked_once(es_standin: ElasticsearchStandIn, client: httpx.Client) -> None:
    dictionary = parse("Стол, стол\nСтол => мебель\n", analyzer=es(client, es_standin))
    assert [t.tokens for r in dictionary.rules for t in r.terms] == [("стол",)] * 3 + [("мебель",)]
    assert sorted(r["text"] for r in es_standin.requests) == ["Стол", "мебель", "стол"]


def test_parser_refuses_a_rule_whose_first_word_the_cluster_drops(
    es_standin: ElasticsearchStandIn, client: httpx.Client
) -> None:
    (error,) = parse("и стол, мебель\n", analyzer=es(client, es_standin)).errors
    assert "position increment != 1 (got: 2)" in error.reason


@pytest.mark.parametrize("position_gap", [100, 0, 7])
def test_a_warmed_analyzer_knows_what_one_request_per_term_would_say(
    es_standin: ElasticsearchStandIn, client: httpx.Client, position_gap: int
) -> None:
    es_standin.position_gap = position_gap
    expected = one_by_one(client, es_standin, TERMS)
    es_standin.requests.clear()
    warmed = es(client, es_standin)
    warmed.warm(TERMS)
    asked = len(es_standin.requests)
    assert [warmed.analyze(t) for t in TERMS] == expected
    assert len(es_standin.requests) == asked  # nothing left to ask after the warm-up
    # one batch, plus one request for each term whose first word may have been dropped
    assert [r["text"] for r in es_standin.requests[1:]] == ["и стол", " кеды "]


def test_warm_up_asks_in_batches_and_only_for_unknown_terms(
    es_standin: ElasticsearchStandIn, client: httpx.Client
) -> None:
    analyzer = es(client, es_standin)
    analyzer.analyze("товар0")
    terms = [f"товар{i}" for i in range(2 * BATCH_TEXTS + 10)]
    analyzer.warm([*terms, *terms])
    sizes = [len(r["text"]) for r in es_standin.requests if isinstance(r["text"], list)]
    assert sizes == [BATCH_TEXTS, BATCH_TEXTS, 9]
    assert analyzer.analyze(terms[-1]).tokens == (Token(terms[-1]),)
    assert es_standin.texts_asked == len(terms)


def test_answers_without_offsets_fall_back_to_one_term_a_request(
    es_standin: ElasticsearchStandIn, client: httpx.Client
) -> None:
    es_standin.offsets = False
    expected = one_by_one(client, es_standin, TERMS)
    es_standin.requests.clear()
    analyzer = es(client, es_standin)
    analyzer.warm(TERMS[:5])
    analyzer.warm(TERMS[5:])
    assert [analyzer.analyze(t) for t in TERMS] == expected
    batches = [r for r in es_standin.requests if isinstance(r["text"], list)]
    assert len(batches) == 1  # the second warm-up does not try a batch again


def test_error_answer_becomes_a_clear_exception(
    es_standin: ElasticsearchStandIn, client: httpx.Client
) -> None:
    analyzer = es(client, es_standin, analyzer="missing")
    with pytest.raises(ElasticsearchAnalyzeError, match=r"answered 400: .*failed to find analyzer"):
        analyzer.analyze("стол")
    with pytest.raises(ElasticsearchAnalyzeError, match=r"answered 400"):
        analyzer.warm(["стол", "кеды"])


def test_unexpected_answer_becomes_a_clear_exception(
    es_standin: ElasticsearchStandIn, client: httpx.Client
) -> None:
    analyzer = es(client, es_standin, url=f"{es_standin.base}/broken/_analyze")
    with pytest.raises(ElasticsearchAnalyzeError, match="unexpected answer"):
        analyzer.analyze("стол")


def test_unreachable_cluster_becomes_a_clear_exception(client: httpx.Client) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]  # nobody listens there once the socket is closed
    analyzer = ElasticsearchAnalyzer(client, url=f"http://127.0.0.1:{port}/idx/_analyze", analyzer="ru_index")
    with pytest.raises(ElasticsearchAnalyzeError, match="failed"):
        analyzer.analyze("стол")
    with pytest.raises(ElasticsearchAnalyzeError, match="failed"):
        analyzer.warm(["стол"])
