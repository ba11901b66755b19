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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.config import RepoConfig, RepoConfigError, parse_repo_config
from bot.gitlab_port import DiffRefs, GitLabPort
from bot.gitlab_port import FileDiff as GitLabDiff
from bot.pipeline import DictionaryFile, Snapshot
from synonyms.analysis import Analyzer
from synonyms.diff import parse_file_diff
from synonyms.rules import Kind

log = logging.getLogger(__name__)
CONFIG_PATH = ".synbot.yml"
FETCH_CONCURRENCY = 8  # file reads in flight per review


async def read_config(gitlab: GitLabPort, project_id: int, sha: str) -> tuple[RepoConfig, list[str]]:
    """``.synbot.yml`` at head; a broken file falls back to defaults and says so in the summary."""
    try:
        return parse_repo_config(await gitlab.file_at(project_id, CONFIG_PATH, sha)), []
    except RepoConfigError as exc:
        return RepoConfig(), [f"{exc} (defaults used)"]


@dataclass(frozen=True)
class Changes:
    """What a review read from GitLab, not parsed yet: parsing needs the analyzer, which may be a
    cluster that is first warmed with every term in here (see :func:`bot.pipeline.build_snapshot`).
    """

    diffs: Sequence[tuple[GitLabDiff, Kind]]  # the MR's changed dictionary files
    texts: Mapping[str, str | None]  # changed files at head (None: deleted)
    untouched: Sequence[DictionaryFile] = ()

    def snapshot(self, analyzer: Analyzer) -> Snapshot:
        """The hunks parsed into rule changes with ``analyzer`` (pure: no I/O here)."""
        diffs = [
            parse_file_diff(
                entry.diff,
                old_path=entry.old_path,
                new_path=entry.new_path,
                kind=kind,
                analyzer=analyzer,
                new_file=entry.new_file,
                deleted_file=entry.deleted_file,
            )
            for entry, kind in self.diffs
        ]
        return Snapshot(diffs=diffs, texts=self.texts, untouched=self.untouched)


async def read_diffs(
    gitlab: GitLabPort, project_id: int, mr_iid: int, *, refs: DiffRefs, config: RepoConfig
) -> list[tuple[GitLabDiff, Kind]]:
    """The MR's changed dictionary files, each with its kind."""
    diffs = []
    for entry in await gitlab.mr_diffs(project_id, mr_iid, refs):
        kind = config.kind_of(entry.new_path) or (None if entry.new_path else config.kind_of(entry.old_path))
        if kind is not None:
            diffs.append((entry, kind))
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


async def read_changes(
    gitlab: GitLabPort,
    project_id: int,
    mr_iid: int,
    *,
    refs: DiffRefs,
    config: RepoConfig,
    concurrency: int = FETCH_CONCURRENCY,
) -> Changes:
    """Changed dictionary files (hunks, text at head) and every other dictionary file at head."""
    diffs = await read_diffs(gitlab, project_id, mr_iid, refs=refs, config=config)
    changed = {_path(entry) for entry, _ in diffs}
    present = [entry.new_path for entry, _ in diffs if not entry.deleted_file]
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
    return Changes(
        diffs=diffs,
        texts={_path(e): None if e.deleted_file else texts.get(e.new_path) for e, _ in diffs},
        untouched=others,
    )


def _path(entry: GitLabDiff) -> str:
    """The path findings use (as :attr:`synonyms.diff.FileDiff.path`): the old one once deleted."""
    return entry.old_path if entry.deleted_file else entry.new_path
