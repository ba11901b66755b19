"""An analyzer backed by a real Elasticsearch ``_analyze`` endpoint.

When ``.synbot.yml`` names a cluster, its own analysis chain decides what every rule term
becomes, so synbot's checks match the index exactly. Every distinct term is asked once and
remembered. :meth:`ElasticsearchAnalyzer.warm` asks for many terms in one request: ``_analyze``
takes ``"text": [...]`` and analyzes each value as its own token stream, continuing the
offsets across values (each value starts at the previous ones' total length plus one offset
gap per value, in UTF-16 units) and the positions (plus the final increment of the previous
value and the analyzer's ``position_increment_gap``). So the tokens are split back per value
by offsets, which do not depend on index settings; positions are used only within a value.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise

import httpx
from pydantic import BaseModel, ValidationError

from synonyms.analysis import Analysis, Token

log = logging.getLogger(__name__)

TIMEOUT_S = 10.0  # one _analyze request to the cluster named in .synbot.yml
BATCH_TEXTS = 500  # values per batched request
BATCH_UNITS = 20_000  # UTF-16 units per batched request (a cluster allows 10 000 tokens by default)
OFFSET_GAP = 1  # Lucene's Analyzer.getOffsetGap: offsets of the next value start one unit later


class ElasticsearchAnalyzeError(RuntimeError):
    """The ``_analyze`` endpoint could not be reached or gave an unusable answer."""


class _AnalyzeToken(BaseModel):
    token: str
    position: int
    start_offset: int | None = None
    end_offset: int | None = None


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


def _units(text: str) -> int:
    """Length as Java (and so Elasticsearch's offsets) counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def split_batch(texts: Sequence[str], tokens: Sequence[_AnalyzeToken]) -> list[Analysis | None] | None:
    """The analyses of a batched answer, one per text, told apart by offsets.

    A text whose first token does not start at the text's first character gets ``None``: a
    word before it may have been removed (a stop word), which only the position increment of
    a single-text request tells. ``None`` for the whole answer when the offsets do not fit
    the texts (an offset gap other than 1, a proxy that drops offsets): ask one by one.
    """
    lengths = [_units(t) for t in texts]
    starts = []
    base = 0
    for length in lengths:
        starts.append(base)
        base += length + OFFSET_GAP
    groups: list[list[_AnalyzeToken]] = [[] for _ in texts]
    i = 0
    for token in tokens:
        start, end = token.start_offset, token.end_offset
        if start is None or end is None:
            return None
        while i < len(texts) and start > starts[i] + lengths[i]:
            i += 1
        if i == len(texts) or start < starts[i] or end > starts[i] + lengths[i]:
            return None
        groups[i].append(token)
    return [_analysis_of(group, start) for group, start in zip(groups, starts, strict=True)]


def _analysis_of(group: Sequence[_AnalyzeToken], start: int) -> Analysis | None:
    if not group:
        return Analysis(())
    if group[0].start_offset != start:
        return None
    tokens = [Token(group[0].token, 1)]
    tokens += [Token(cur.token, cur.position - prev.position) for prev, cur in pairwise(group)]
    return Analysis(tuple(tokens))


def _batches(texts: Sequence[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    units = 0
    for text in texts:
        size = _units(text)
        if batch and (len(batch) == BATCH_TEXTS or units + size > BATCH_UNITS):
            yield batch
            batch, units = [], 0
        batch.append(text)
        units += size
    if batch:
        yield batch


class ElasticsearchAnalyzer:
    """:class:`synonyms.analysis.Analyzer` over ``POST {url}`` with ``{"analyzer", "text"}``.

    ``client`` is injected (its timeouts, auth and transport are the caller's); ``url`` is the
    full endpoint, e.g. ``http://es:9200/products/_analyze``.
    """

    def __init__(self, client: httpx.Client, *, url: str, analyzer: str) -> None:
        self._client = client
        self._url = url
        self._shown = str(httpx.URL(url).copy_with(userinfo=b""))  # messages never carry a password
        self._analyzer = analyzer
        self._memo: dict[str, Analysis] = {}
        self._batching = True

    @property
    def name(self) -> str:
        return f"elasticsearch:{self._analyzer}"

    def analyze(self, text: str) -> Analysis:
        found = self._memo.get(text)
        if found is None:
            found = self._memo[text] = to_analysis(self._request(text))
        return found

    def warm(self, texts: Iterable[str]) -> None:
        """Analyze every text not known yet, :data:`BATCH_TEXTS` to a request.

        Texts a batch cannot settle (see :func:`split_batch`) are asked one by one; a cluster
        whose batched answers cannot be split at all is asked one text at a time from then on.
        """
        todo = [t for t in dict.fromkeys(texts) if t and t not in self._memo]
        for batch in _batches(todo):
            split = self._split(batch) if self._batching else None
            for text, analysis in zip(batch, split or [None] * len(batch), strict=True):
                self._memo[text] = analysis or to_analysis(self._request(text))
        log.debug("%d terms analyzed by %s", len(todo), self._shown)

    def _split(self, batch: list[str]) -> list[Analysis | None] | None:
        split = split_batch(batch, self._request(batch).tokens)
        if split is None:
            log.warning("%s: batched _analyze offsets do not fit the texts; one text a request", self._shown)
            self._batching = False
        return split

    def _request(self, text: str | list[str]) -> _AnalyzeResponse:
        try:
            response = self._client.post(self._url, json={"analyzer": self._analyzer, "text": text})
        except httpx.HTTPError as exc:
            raise ElasticsearchAnalyzeError(f"Elasticsearch _analyze at {self._shown} failed: {exc}") from exc
        if response.is_error:
            status = response.status_code
            raise ElasticsearchAnalyzeError(
                f"Elasticsearch _analyze at {self._shown} answered {status}: {response.text[:300]}"
            )
        try:
            return _AnalyzeResponse.model_validate_json(response.content)
        except ValidationError as exc:
            raise ElasticsearchAnalyzeError(
                f"Elasticsearch _analyze at {self._shown} gave an unexpected answer: {response.text[:300]}"
            ) from exc
