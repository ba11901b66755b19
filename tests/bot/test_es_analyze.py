"""The Elasticsearch-backed analyzer against a loopback stand-in that answers like ``_analyze``."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import pytest

from bot.es_analyze import ElasticsearchAnalyzeError, ElasticsearchAnalyzer
from synonyms.analysis import Token
from synonyms.parser import parse

STOPWORDS = {"и", "в", "для"}


class _AnalyzeStandIn(BaseHTTPRequestHandler):
    """``POST /idx/_analyze``: whitespace split, lowercase, stop words leave position gaps."""

    requests: ClassVar[list[dict[str, str]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        if self.path == "/broken/_analyze":
            self._answer(200, b"<html>proxy error</html>")
            return
        if body.get("analyzer") != "ru_index":
            error = {"error": {"type": "illegal_argument_exception", "reason": "failed to find analyzer"}}
            self._answer(400, json.dumps(error).encode())
            return
        tokens = [
            {"token": word.lower(), "start_offset": 0, "end_offset": 0, "type": "word", "position": position}
            for position, word in enumerate(body["text"].split())
            if word.lower() not in STOPWORDS
        ]
        self._answer(200, json.dumps({"tokens": tokens}).encode())

    def _answer(self, status: int, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def es_url() -> Iterator[str]:
    _AnalyzeStandIn.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AnalyzeStandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as c:
        yield c


def test_positions_become_position_increments(es_url: str, client: httpx.Client) -> None:
    analyzer = ElasticsearchAnalyzer(client, url=f"{es_url}/idx/_analyze", analyzer="ru_index")
    analysis = analyzer.analyze("и Стол для Кухни")
    assert analysis.tokens == (Token("стол", 2), Token("кухни", 2))
    assert analyzer.name == "elasticsearch:ru_index"


def test_each_distinct_term_is_asked_once(es_url: str, client: httpx.Client) -> None:
    analyzer = ElasticsearchAnalyzer(client, url=f"{es_url}/idx/_analyze", analyzer="ru_index")
    dictionary = parse("Стол, стол\nСтол => мебель\n", analyzer=analyzer)
    assert [t.tokens for r in dictionary.rules for t in r.terms] == [("стол",)] * 3 + [("мебель",)]
    assert sorted(r["text"] for r in _AnalyzeStandIn.requests) == ["Стол", "мебель", "стол"]


def test_parser_refuses_a_rule_whose_first_word_the_cluster_drops(es_url: str, client: httpx.Client) -> None:
    analyzer = ElasticsearchAnalyzer(client, url=f"{es_url}/idx/_analyze", analyzer="ru_index")
    (error,) = parse("и стол, мебель\n", analyzer=analyzer).errors
    assert "position increment != 1 (got: 2)" in error.reason


def test_error_answer_becomes_a_clear_exception(es_url: str, client: httpx.Client) -> None:
    analyzer = ElasticsearchAnalyzer(client, url=f"{es_url}/idx/_analyze", analyzer="missing")
    with pytest.raises(ElasticsearchAnalyzeError, match=r"answered 400: .*failed to find analyzer"):
        analyzer.analyze("стол")


def test_unexpected_answer_becomes_a_clear_exception(es_url: str, client: httpx.Client) -> None:
    analyzer = ElasticsearchAnalyzer(client, url=f"{es_url}/broken/_analyze", analyzer="ru_index")
    with pytest.raises(ElasticsearchAnalyzeError, match="unexpected answer"):
        analyzer.analyze("стол")


def test_unreachable_cluster_becomes_a_clear_exception(client: httpx.Client) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AnalyzeStandIn)
    port = server.server_address[1]
    server.server_close()
    analyzer = ElasticsearchAnalyzer(client, url=f"http://127.0.0.1:{port}/idx/_analyze", analyzer="ru_index")
    with pytest.raises(ElasticsearchAnalyzeError, match="failed"):
        analyzer.analyze("стол")
