"""The analyzer of one review: the cluster ``.synbot.yml`` names, or its built-in analyzer.

A cluster's analyzer makes blocking HTTP calls, so parsing and checking run off the event loop,
after one batched warm-up with every term of the files (:func:`bot.pipeline.build_snapshot`).
A cluster that cannot be used is named in the summary and the built-in analyzer takes over:
the review still comes, less exact, instead of failing the job.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from bot.config import RepoConfig
from bot.es_analyze import TIMEOUT_S, ElasticsearchAnalyzeError, ElasticsearchAnalyzer
from bot.mr_files import Changes
from bot.pipeline import (
    Checked,
    Snapshot,
    build_snapshot,
    check_options,
    check_snapshot,
    elasticsearch_unavailable,
)
from synonyms.analysis import Analyzer, get_analyzer

log = logging.getLogger(__name__)


async def check_changes(
    changes: Changes, *, analyzer: Analyzer, config: RepoConfig, notices: list[str]
) -> tuple[Snapshot, Checked, Analyzer]:
    """Parse and check off the event loop (a cluster's analyzer makes blocking calls).

    A cluster that fails is named in ``notices`` and the built-in analyzer of ``.synbot.yml``
    does the work instead; returns the analyzer that was used.
    """
    options = check_options(config)

    def run(chosen: Analyzer) -> tuple[Snapshot, Checked]:
        snapshot = build_snapshot(changes.snapshot, chosen)
        return snapshot, check_snapshot(snapshot, analyzer=chosen, options=options)

    try:
        snapshot, checked = await asyncio.to_thread(run, analyzer)
    except ElasticsearchAnalyzeError as exc:
        log.warning("Elasticsearch analyzer failed, built-in %s used: %s", config.analyzer, exc)
        notices.append(elasticsearch_unavailable(config, exc))
        analyzer = get_analyzer(config.analyzer)
        snapshot, checked = await asyncio.to_thread(run, analyzer)
    return snapshot, checked, analyzer


@contextmanager
def repo_analyzer(config: RepoConfig) -> Iterator[Analyzer]:
    """``.synbot.yml``'s cluster (over a client that lives as long as the review), else its built-in."""
    es = config.elasticsearch
    if es is None:
        yield get_analyzer(config.analyzer)
        return
    with httpx.Client(timeout=TIMEOUT_S) as client:
        yield ElasticsearchAnalyzer(client, url=es.url, analyzer=es.analyzer)
