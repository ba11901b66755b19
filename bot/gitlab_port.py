"""The GitLab port: what a review needs from GitLab, in synbot's words, as frozen models.

``bot/gitlab.py`` implements it over python-gitlab; tests of pure planning use a small fake.
Nothing here imports python-gitlab, so models and errors can be used anywhere in ``bot``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

THREAD_MARKER = "<!-- synbot:fp="
SUMMARY_MARKER = "<!-- synbot:summary"
STATUS_NAME = "synbot"
StatusState = Literal["pending", "running", "success", "failed", "canceled"]


class GitLabError(Exception):
    """Any GitLab failure synbot cannot turn into a finding."""


class GitLabUnavailable(GitLabError):
    """GitLab did not answer usefully (network, 5xx or 429 after retries): retry the job later."""


class GitLabPermissionError(GitLabError):
    """The token was refused (401) or lacks a scope or role (403)."""


class GitLabNotFound(GitLabError):
    """The project, MR, note or commit does not exist (or the token cannot see it)."""


class PositionRejected(GitLabError):
    """GitLab refused a line position (400 with ``line_code`` errors): the line is not in the diff."""


@dataclass(frozen=True, slots=True)
class DiffRefs:
    """The three SHAs of an MR version; a line position must name exactly these."""

    base_sha: str
    start_sha: str
    head_sha: str


@dataclass(frozen=True, slots=True)
class FileDiff:
    """One file of an MR diff; ``diff`` holds unified hunks (computed by synbot when GitLab left them out)."""

    old_path: str
    new_path: str
    diff: str
    new_file: bool = False
    renamed_file: bool = False
    deleted_file: bool = False


@dataclass(frozen=True, slots=True)
class Position:
    """A diff line: added lines have ``new_line`` only, removed ones ``old_line`` only, context both."""

    old_path: str
    new_path: str
    new_line: int | None = None
    old_line: int | None = None


@dataclass(frozen=True, slots=True)
class TreeFile:
    """A file of the repository tree at a sha; ``blob_id`` changes exactly when the content does."""

    path: str
    blob_id: str


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str


@dataclass(frozen=True, slots=True)
class MergeRequestRef:
    iid: int
    head_sha: str
    source_branch: str
    target_branch: str


@dataclass(frozen=True, slots=True)
class BotThread:
    """A discussion whose first note synbot wrote (its body carries a fingerprint marker)."""

    discussion_id: str
    note_id: int
    body: str
    resolved: bool
    resolved_by_id: int | None = None
    path: str | None = None
    new_line: int | None = None


@dataclass(frozen=True, slots=True)
class Note:
    note_id: int
    body: str


@dataclass(frozen=True, slots=True)
class CommitStatus:
    name: str
    state: str
    description: str


class GitLabPort(Protocol):
    """What a review needs from GitLab, in synbot's words."""

    async def current_user(self) -> User: ...
    async def mr_versions(self, project_id: int, mr_iid: int) -> DiffRefs: ...
    async def mr_diffs(self, project_id: int, mr_iid: int, refs: DiffRefs) -> list[FileDiff]: ...
    async def file_at(self, project_id: int, path: str, sha: str) -> str | None: ...
    async def list_files(self, project_id: int, sha: str) -> list[TreeFile]: ...
    async def list_open_mrs(self, project_id: int) -> list[MergeRequestRef]: ...
    async def bot_threads(self, project_id: int, mr_iid: int) -> list[BotThread]: ...
    async def discard_drafts(self, project_id: int, mr_iid: int) -> int: ...
    async def create_draft_note(
        self, project_id: int, mr_iid: int, *, body: str, position: Position, refs: DiffRefs
    ) -> int: ...
    async def bulk_publish_drafts(self, project_id: int, mr_iid: int) -> None: ...
    async def create_thread(
        self, project_id: int, mr_iid: int, *, body: str, position: Position, refs: DiffRefs
    ) -> str: ...
    async def edit_note(
        self, project_id: int, mr_iid: int, *, discussion_id: str, note_id: int, body: str
    ) -> None: ...
    async def resolve_thread(
        self, project_id: int, mr_iid: int, *, discussion_id: str, resolved: bool = True
    ) -> None: ...
    async def find_summary(self, project_id: int, mr_iid: int) -> Note | None: ...
    async def create_summary(self, project_id: int, mr_iid: int, body: str) -> Note: ...
    async def edit_summary(self, project_id: int, mr_iid: int, *, note_id: int, body: str) -> None: ...
    async def get_status(self, project_id: int, sha: str, name: str = STATUS_NAME) -> CommitStatus | None: ...
    async def set_status(
        self, project_id: int, sha: str, *, state: StatusState, description: str, name: str = STATUS_NAME
    ) -> None: ...


# --- mining (synbot propose): a branch, one commit, one MR -------------------------------------


@dataclass(frozen=True, slots=True)
class ProjectInfo:
    id: int
    path: str
    default_branch: str


@dataclass(frozen=True, slots=True)
class MergeRequestInfo:
    """An MR as ``synbot propose`` sees it: where it lives and what it says."""

    iid: int
    web_url: str
    source_branch: str
    target_branch: str
    title: str
    description: str
    labels: tuple[str, ...]


class MiningPort(Protocol):
    """What ``synbot propose`` needs: read the dictionary, write one branch, one commit, one MR."""

    async def project(self, project: int | str) -> ProjectInfo: ...
    async def branch_head(self, project_id: int, branch: str) -> str | None: ...
    async def commit_parents(self, project_id: int, sha: str) -> tuple[str, ...]: ...
    async def file_at(self, project_id: int, path: str, sha: str) -> str | None: ...
    async def list_files(self, project_id: int, sha: str) -> list[TreeFile]: ...
    async def find_open_mr(self, project_id: int, *, source_branch: str) -> MergeRequestInfo | None: ...
    async def commit_file(
        self,
        project_id: int,
        *,
        branch: str,
        start_sha: str,
        path: str,
        content: str,
        create: bool,
        message: str,
    ) -> str: ...
    async def create_mr(
        self,
        project_id: int,
        *,
        source_branch: str,
        target_branch: str,
        title: str,
        description: str,
        labels: tuple[str, ...],
    ) -> MergeRequestInfo: ...
    async def update_mr(
        self, project_id: int, mr_iid: int, *, title: str, description: str, labels: tuple[str, ...]
    ) -> MergeRequestInfo: ...
