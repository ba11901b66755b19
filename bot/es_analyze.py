"""An analyzer backed by a real Elasticsearch ``_analyze`` endpoint.

When ``.synbot.yml`` names a cluster, its own analysis chain decides what every rule term
becomes, so synbot's checks match the index exactly. ``_analyze`` takes one text per call;
every distinct term is asked once and remembered, so a dictionary costs one request per
distinct term, not per occurrence.
"""

from __future__ import annotations

import logging

import httpx
from pydantic import BaseModel, ValidationError

from synonyms.analysis import Analysis, Token

log = logging.getLogger(__name__)


class ElasticsearchAnalyzeError(RuntimeError):
    """The ``_analyze`` endpoint could not be reached or gave an unusable answer."""


class _AnalyzeToken(BaseModel):
    token: str
    position: int


class _AnalyzeResponse(BaseModel):
    tokens: list[_AnalyzeToken]


def to_analysis(response: _AnalyzeResponse) -> Analysis:
    """Positions (0-based, as ES reports them) become Lucene position increments."""
    tokens: list[Token] = []
    previous = -1
    for item in response.tokens:
        tokens.append(Token(item.token, item.position - previous))
        previous = item.position
    return Analysis(tuple(tokens))


class ElasticsearchAnalyzer:
    """:class:`synonyms.analysis.Analyzer` over ``POST {url}`` with ``{"analyzer", "text"}``.

    ``client`` is injected (its timeouts, auth and transport are the caller's); ``url`` is the
    full endpoint, e.g. ``http://es:9200/products/_analyze``.
    """

    def __init__(self, client: httpx.Client, *, url: str, analyzer: str) -> None:
        self._client = client
        self._url = url
        self._analyzer = analyzer
        self._memo: dict[str, Analysis] = {}

    @property
    def name(self) -> str:
        return f"elasticsearch:{self._analyzer}"

    def analyze(self, text: str) -> Analysis:
        found = self._memo.get(text)
        if found is None:
            found = self._memo[text] = to_analysis(self._request(text))
        return found

    def _request(self, text: str) -> _AnalyzeResponse:
        try:
            response = self._client.post(self._url, json={"analyzer": self._analyzer, "text": text})
        except httpx.HTTPError as exc:
            raise ElasticsearchAnalyzeError(f"Elasticsearch _analyze at {self._url} failed: {exc}") from exc
        if response.is_error:
            status = response.status_code
            raise ElasticsearchAnalyzeError(
                f"Elasticsearch _analyze at {self._url} answered {status}: {response.text[:300]}"
            )
        try:
            return _AnalyzeResponse.model_validate_json(response.content)
        except ValidationError as exc:
            raise ElasticsearchAnalyzeError(
                f"Elasticsearch _analyze at {self._url} gave an unexpected answer: {response.text[:300]}"
            ) from exc
