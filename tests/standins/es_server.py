"""A loopback stand-in for Elasticsearch's ``POST /{index}/_analyze``, batches included.

The analyzer splits on whitespace, lowercases and drops the stop words in :data:`STOPWORDS`,
leaving position gaps as Lucene's ``StopFilter`` does. ``text`` may be a string or an array, and
an array is answered the way Elasticsearch's ``TransportAnalyzeAction`` answers it: one token
stream per value, positions carried on from the previous value's last position plus its final
position increment (trailing stop words) plus the analyzer's ``position_increment_gap``, and
offsets carried on from the previous value's end offset plus the offset gap (1), counted in
UTF-16 code units as Java counts them.

Usage in a test module::

    pytest_plugins = ("tests.standins.es_server",)

    def test_something(es_standin: ElasticsearchStandIn) -> None:
        url = es_standin.url  # http://127.0.0.1:PORT/products/_analyze, es_standin.analyzer "ru_index"
        ...
        assert len(es_standin.requests) == 1
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

STOPWORDS = frozenset({"и", "в", "для"})
ANALYZER = "ru_index"
OFFSET_GAP = 1  # Lucene's Analyzer.getOffsetGap default


def _units(text: str) -> int:
    """Java string length: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def analyze_values(values: list[str], *, position_gap: int) -> list[dict[str, Any]]:
    """What Elasticsearch answers for ``"text": values`` with this analyzer."""
    tokens: list[dict[str, Any]] = []
    last_position, last_offset = -1, 0
    for value in values:
        skipped = 0
        for match in re.finditer(r"\S+", value):
            word = match.group().lower()
            if word in STOPWORDS:
                skipped += 1
                continue
            last_position += 1 + skipped
            skipped = 0
            start = last_offset + _units(value[: match.start()])
            end = last_offset + _units(value[: match.end()])
            tokens.append(
                {
                    "token": word,
                    "start_offset": start,
                    "end_offset": end,
                    "type": "word",
                    "position": last_position,
                }
            )
        last_offset += _units(value) + OFFSET_GAP
        last_position += skipped + position_gap  # final increment of the stream, then the gap
    return tokens


@dataclass
class ElasticsearchStandIn:
    base: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    position_gap: int = 100  # a custom analyzer's default position_increment_gap
    down: bool = False  # answer 503 to everything
    offsets: bool = True  # False: tokens without offsets (as some proxies and old stand-ins answer)
    delay_s: float = 0.0  # a slow cluster: each answer waits this long

    analyzer: str = ANALYZER  # the only analyzer this cluster has

    @property
    def url(self) -> str:
        return f"{self.base}/products/_analyze"

    @property
    def texts_asked(self) -> int:
        return sum(len(r["text"]) if isinstance(r["text"], list) else 1 for r in self.requests)


def _handler(standin: ElasticsearchStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            standin.requests.append(body)
            time.sleep(standin.delay_s)
            if standin.down:
                self._answer(503, {"error": "cluster unavailable"})
            elif self.path == "/broken/_analyze":
                self._send(200, b"<html>proxy error</html>")
            elif body.get("analyzer") != standin.analyzer:
                reason = f"failed to find analyzer [{body.get('analyzer')}]"
                self._answer(400, {"error": {"type": "illegal_argument_exception", "reason": reason}})
            else:
                text = body["text"]
                values = text if isinstance(text, list) else [text]
                tokens = analyze_values(values, position_gap=standin.position_gap)
                if not standin.offsets:
                    tokens = [{"token": t["token"], "position": t["position"]} for t in tokens]
                self._answer(200, {"tokens": tokens})

        def _answer(self, status: int, payload: object) -> None:
            self._send(status, json.dumps(payload, ensure_ascii=False).encode())

        def _send(self, status: int, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            return

    return Handler


@pytest.fixture
def es_standin() -> Iterator[ElasticsearchStandIn]:
    """A fresh stand-in on a free loopback port, for one test."""
    standin = ElasticsearchStandIn(base="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(standin))
    standin.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield standin
    server.shutdown()
    server.server_close()
