"""What a review reads from GitLab at the MR's head sha: ``.synbot.yml``, the changed dictionary
files (hunks and full text) and every other dictionary file of the repo.

The untouched files feed the dictionary-wide index only, so a new line that duplicates or
contradicts a rule in a file the MR does not touch is still found. Files are fetched
concurrently, at most ``concurrency`` requests at a time, so a repo with many dictionary
files neither takes one round trip per file in a row nor floods GitLab.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from bot.config import RepoConfig, RepoConfigError, parse_repo_config
from bot.gitlab_port import DiffRefs, GitLabPort
from bot.pipeline import DictionaryFile, Snapshot
from synonyms.analysis import Analyzer
from synonyms.diff import FileDiff, parse_file_diff

log = logging.getLogger(__name__)
CONFIG_PATH = ".synbot.yml"
FETCH_CONCURRENCY = 8  # file reads in flight per review


async def read_config(gitlab: GitLabPort, project_id: int, sha: str) -> tuple[RepoConfig, list[str]]:
    """``.synbot.yml`` at head; a broken file falls back to defaults and says so in the summary."""
    try:
        return parse_repo_config(await gitlab.file_at(project_id, CONFIG_PATH, sha)), []
    except RepoConfigError as exc:
        return RepoConfig(), [f"{exc} (defaults used)"]


async def read_diffs(
    gitlab: GitLabPort,
    project_id: int,
    mr_iid: int,
    *,
    refs: DiffRefs,
    config: RepoConfig,
    analyzer: Analyzer,
) -> list[FileDiff]:
    """The MR's changed dictionary files, hunks parsed into rule changes."""
    diffs = []
    for entry in await gitlab.mr_diffs(project_id, mr_iid, refs):
        kind = config.kind_of(entry.new_path) or (None if entry.new_path else config.kind_of(entry.old_path))
        if kind is None:
            continue
        diffs.append(
            parse_file_diff(
                entry.diff,
                old_path=entry.old_path,
                new_path=entry.new_path,
                kind=kind,
                analyzer=analyzer,
                new_file=entry.new_file,
                deleted_file=entry.deleted_file,
            )
        )
    return diffs


async def fetch_texts(
    gitlab: GitLabPort,
    project_id: int,
    paths: Iterable[str],
    sha: str,
    *,
    concurrency: int = FETCH_CONCURRENCY,
) -> dict[str, str | None]:
    """The files at ``sha``, read concurrently with at most ``concurrency`` requests in flight."""
    gate = asyncio.Semaphore(concurrency)

    async def one(path: str) -> str | None:
        async with gate:
            return await gitlab.file_at(project_id, path, sha)

    ordered = list(dict.fromkeys(paths))
    texts = await asyncio.gather(*(one(path) for path in ordered))
    return dict(zip(ordered, texts, strict=True))


async def read_snapshot(
    gitlab: GitLabPort,
    project_id: int,
    mr_iid: int,
    *,
    refs: DiffRefs,
    config: RepoConfig,
    analyzer: Analyzer,
    concurrency: int = FETCH_CONCURRENCY,
) -> Snapshot:
    """Changed dictionary files (hunks, text at head) and every other dictionary file at head."""
    diffs = await read_diffs(gitlab, project_id, mr_iid, refs=refs, config=config, analyzer=analyzer)
    changed = {d.path for d in diffs}
    present = [d.path for d in diffs if d.new_path]
    tree = await gitlab.list_files(project_id, refs.head_sha)
    untouched = [f.path for f in tree if f.path not in changed and config.kind_of(f.path) is not None]
    texts = await fetch_texts(
        gitlab, project_id, [*present, *untouched], refs.head_sha, concurrency=concurrency
    )
    others = []
    for path in untouched:
        text, kind = texts.get(path), config.kind_of(path)
        if text is not None and kind is not None:
            others.append(DictionaryFile(path, kind, text))
    log.info("read %d changed and %d untouched dictionary files", len(diffs), len(others))
    return Snapshot(
        diffs=diffs,
        texts={d.path: texts.get(d.path) if d.new_path else None for d in diffs},
        untouched=others,
    )
