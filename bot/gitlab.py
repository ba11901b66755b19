"""The only module that talks to GitLab: a small port in synbot's words and its python-gitlab adapter.

Nothing python-gitlab returns leaves this module: every answer becomes a frozen model of
``bot/gitlab_port.py`` (re-exported here),
and every library or transport error becomes one of synbot's errors, once, at this boundary.
python-gitlab is synchronous (requests), so each call runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import difflib
import functools
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar
from urllib.parse import quote

import gitlab
import gitlab.exceptions
import requests

from bot import metrics
from bot.config import Settings
from bot.gitlab_port import (
    STATUS_NAME,
    SUMMARY_MARKER,
    THREAD_MARKER,
    BotThread,
    CommitStatus,
    DiffRefs,
    FileDiff,
    GitLabError,
    GitLabNotFound,
    GitLabPermissionError,
    GitLabPort,
    GitLabUnavailable,
    MergeRequestInfo,
    MergeRequestRef,
    MiningPort,
    Note,
    Position,
    PositionRejected,
    ProjectInfo,
    StatusState,
    TreeFile,
    User,
)

log = logging.getLogger(__name__)

__all__ = [
    "STATUS_NAME",
    "SUMMARY_MARKER",
    "THREAD_MARKER",
    "AsyncGitLab",
    "BotThread",
    "CommitStatus",
    "DiffRefs",
    "FileDiff",
    "GitLabError",
    "GitLabNotFound",
    "GitLabPermissionError",
    "GitLabPort",
    "GitLabUnavailable",
    "MergeRequestInfo",
    "MergeRequestRef",
    "MiningPort",
    "Note",
    "Position",
    "PositionRejected",
    "ProjectInfo",
    "StatusState",
    "SyncGitLab",
    "TreeFile",
    "User",
    "build_gitlab",
    "hunks_between",
]

P = ParamSpec("P")
T = TypeVar("T")


def _translated(operation: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Re-raise library and transport errors of ``operation`` as synbot errors (``raise ... from``)."""

    def decorate(function: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            try:
                return function(*args, **kwargs)
            except gitlab.exceptions.GitlabError as exc:
                raise _translate(operation, exc) from exc
            except requests.RequestException as exc:
                metrics.GITLAB_API_ERRORS.labels("unavailable").inc()
                raise GitLabUnavailable(f"{operation}: {type(exc).__name__}") from exc

        return wrapper

    return decorate


def _translate(operation: str, exc: gitlab.exceptions.GitlabError) -> GitLabError:
    code = exc.response_code or 0
    message = str(exc.error_message)
    if code in (401, 403):
        metrics.GITLAB_API_ERRORS.labels("other").inc()
        log.error(
            "GitLab refused %s (HTTP %s): the token needs scope `api` and role Developer on the project",
            operation,
            code,
        )
        return GitLabPermissionError(f"{operation}: HTTP {code}: token needs scope `api` and role Developer")
    if code == 400 and "line_code" in message:
        metrics.GITLAB_API_ERRORS.labels("position_rejected").inc()
        return PositionRejected(f"{operation}: {message}")
    if code == 404:
        metrics.GITLAB_API_ERRORS.labels("not_found").inc()
        return GitLabNotFound(f"{operation}: {message}")
    if code == 429 or code >= 500:
        metrics.GITLAB_API_ERRORS.labels("rate_limited" if code == 429 else "unavailable").inc()
        return GitLabUnavailable(f"{operation}: HTTP {code}")
    metrics.GITLAB_API_ERRORS.labels("conflict" if code == 409 else "other").inc()
    return GitLabError(f"{operation}: HTTP {code}: {message}")


def _position_payload(position: Position, refs: DiffRefs) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "position_type": "text",
        "base_sha": refs.base_sha,
        "start_sha": refs.start_sha,
        "head_sha": refs.head_sha,
        "old_path": position.old_path,
        "new_path": position.new_path,
    }
    if position.new_line is not None:
        payload["new_line"] = position.new_line
    if position.old_line is not None:
        payload["old_line"] = position.old_line
    return payload


def hunks_between(old: str | None, new: str | None) -> str:
    """Unified hunks as GitLab writes them (no ``---``/``+++`` lines), for diffs GitLab left out."""
    lines = list(difflib.unified_diff((old or "").splitlines(), (new or "").splitlines(), n=3, lineterm=""))
    return "".join(line + "\n" for line in lines[2:])


class SyncGitLab:
    """The blocking python-gitlab calls, one small method per operation."""

    VERSION_ATTEMPTS = 5

    def __init__(self, client: gitlab.Gitlab, *, max_retries: int = 10, version_wait_s: float = 0.5) -> None:
        self._gl = client
        self._me: User | None = None
        self._kw: dict[str, Any] = {"max_retries": max_retries}  # per request: 429 and 5xx retries
        self._version_wait_s = version_wait_s

    def _list(self, path: str, **query: Any) -> Iterator[dict[str, Any]]:
        items = self._gl.http_list(path, iterator=True, per_page=100, **query, **self._kw)
        return iter(items)

    def _mr(self, project_id: int, mr_iid: int) -> str:
        return f"/projects/{project_id}/merge_requests/{mr_iid}"

    @_translated("read current user")
    def current_user(self) -> User:
        if self._me is None:
            data = self._gl.http_get("/user", **self._kw)
            assert isinstance(data, dict)
            self._me = User(id=int(data["id"]), username=str(data["username"]))
        return self._me

    @_translated("read MR versions")
    def mr_versions(self, project_id: int, mr_iid: int) -> DiffRefs:
        for attempt in range(self.VERSION_ATTEMPTS):
            versions = list(self._list(f"{self._mr(project_id, mr_iid)}/versions"))
            if versions and versions[0].get("head_commit_sha"):
                latest = max(versions, key=lambda v: int(v["id"]))
                return DiffRefs(
                    latest["base_commit_sha"], latest["start_commit_sha"], latest["head_commit_sha"]
                )
            time.sleep(self._version_wait_s * (attempt + 1))
        raise GitLabUnavailable(f"MR !{mr_iid}: diff not computed yet (no versions)")

    @_translated("read MR diffs")
    def mr_diffs(self, project_id: int, mr_iid: int, refs: DiffRefs) -> list[FileDiff]:
        files = []
        for entry in self._list(f"{self._mr(project_id, mr_iid)}/diffs"):
            diff = str(entry.get("diff") or "")
            if entry.get("too_large") or entry.get("collapsed"):
                old = (
                    None
                    if entry.get("new_file")
                    else self.file_at(project_id, entry["old_path"], refs.start_sha)
                )
                new = (
                    None
                    if entry.get("deleted_file")
                    else self.file_at(project_id, entry["new_path"], refs.head_sha)
                )
                diff = hunks_between(old, new)
            files.append(
                FileDiff(
                    old_path=entry["old_path"],
                    new_path=entry["new_path"],
                    diff=diff,
                    new_file=bool(entry.get("new_file")),
                    renamed_file=bool(entry.get("renamed_file")),
                    deleted_file=bool(entry.get("deleted_file")),
                )
            )
        return files

    @_translated("read file")
    def file_at(self, project_id: int, path: str, sha: str) -> str | None:
        try:
            raw = self._gl.projects.get(project_id, lazy=True).files.raw(file_path=path, ref=sha, **self._kw)
        except gitlab.exceptions.GitlabGetError as exc:
            if exc.response_code == 404:
                return None
            raise
        assert isinstance(raw, bytes)
        return raw.decode("utf-8")

    @_translated("list repository tree")
    def list_files(self, project_id: int, sha: str) -> list[TreeFile]:
        """Every file (blob) of the tree at ``sha``, all pages of ``repository/tree?recursive=true``."""
        entries = self._list(f"/projects/{project_id}/repository/tree", ref=sha, recursive=True)
        return [TreeFile(str(e["path"]), str(e["id"])) for e in entries if e.get("type") == "blob"]

    @_translated("list open MRs")
    def list_open_mrs(self, project_id: int) -> list[MergeRequestRef]:
        return [
            MergeRequestRef(
                iid=int(mr["iid"]),
                head_sha=str(mr.get("sha") or ""),
                source_branch=str(mr["source_branch"]),
                target_branch=str(mr["target_branch"]),
            )
            for mr in self._list(f"/projects/{project_id}/merge_requests", state="opened")
        ]

    @_translated("read discussions")
    def bot_threads(self, project_id: int, mr_iid: int) -> list[BotThread]:
        me = self.current_user()
        threads = []
        for discussion in self._list(f"{self._mr(project_id, mr_iid)}/discussions"):
            notes = discussion.get("notes") or []
            if not notes:
                continue
            first = notes[0]
            if first["author"]["id"] != me.id or THREAD_MARKER not in str(first.get("body", "")):
                continue
            position = first.get("position") or {}
            resolved_by = first.get("resolved_by") or {}
            threads.append(
                BotThread(
                    discussion_id=str(discussion["id"]),
                    note_id=int(first["id"]),
                    body=str(first["body"]),
                    resolved=bool(first.get("resolved")),
                    resolved_by_id=int(resolved_by["id"]) if resolved_by.get("id") is not None else None,
                    path=position.get("new_path"),
                    new_line=position.get("new_line"),
                )
            )
        return threads

    @_translated("discard draft notes")
    def discard_drafts(self, project_id: int, mr_iid: int) -> int:
        path = f"{self._mr(project_id, mr_iid)}/draft_notes"
        drafts = list(self._list(path))
        for draft in drafts:
            self._gl.http_delete(f"{path}/{draft['id']}", **self._kw)
        return len(drafts)

    @_translated("create draft note")
    def create_draft_note(
        self, project_id: int, mr_iid: int, *, body: str, position: Position, refs: DiffRefs
    ) -> int:
        mr = self._gl.projects.get(project_id, lazy=True).mergerequests.get(mr_iid, lazy=True)
        draft = mr.draft_notes.create(
            {"note": body, "position": _position_payload(position, refs)}, **self._kw
        )
        return int(draft.id)

    @_translated("publish draft notes")
    def bulk_publish_drafts(self, project_id: int, mr_iid: int) -> None:
        self._gl.projects.get(project_id, lazy=True).mergerequests.get(
            mr_iid, lazy=True
        ).draft_notes.bulk_publish(**self._kw)

    @_translated("create thread")
    def create_thread(
        self, project_id: int, mr_iid: int, *, body: str, position: Position, refs: DiffRefs
    ) -> str:
        data = self._gl.http_post(
            f"{self._mr(project_id, mr_iid)}/discussions",
            post_data={"body": body, "position": _position_payload(position, refs)},
            **self._kw,
        )
        assert isinstance(data, dict)
        return str(data["id"])

    @_translated("edit note")
    def edit_note(self, project_id: int, mr_iid: int, *, discussion_id: str, note_id: int, body: str) -> None:
        path = f"{self._mr(project_id, mr_iid)}/discussions/{discussion_id}/notes/{note_id}"
        self._gl.http_put(path, post_data={"body": body}, **self._kw)

    @_translated("resolve thread")
    def resolve_thread(
        self, project_id: int, mr_iid: int, *, discussion_id: str, resolved: bool = True
    ) -> None:
        path = f"{self._mr(project_id, mr_iid)}/discussions/{discussion_id}"
        self._gl.http_put(path, query_data={"resolved": "true" if resolved else "false"}, **self._kw)

    @_translated("read notes")
    def find_summary(self, project_id: int, mr_iid: int) -> Note | None:
        me = self.current_user()
        for note in self._list(f"{self._mr(project_id, mr_iid)}/notes", sort="asc", order_by="created_at"):
            body = str(note.get("body", ""))
            if note["author"]["id"] == me.id and SUMMARY_MARKER in body:
                return Note(note_id=int(note["id"]), body=body)
        return None

    @_translated("create summary note")
    def create_summary(self, project_id: int, mr_iid: int, body: str) -> Note:
        data = self._gl.http_post(
            f"{self._mr(project_id, mr_iid)}/notes", post_data={"body": body}, **self._kw
        )
        assert isinstance(data, dict)
        return Note(note_id=int(data["id"]), body=str(data["body"]))

    @_translated("edit summary note")
    def edit_summary(self, project_id: int, mr_iid: int, *, note_id: int, body: str) -> None:
        self._gl.http_put(
            f"{self._mr(project_id, mr_iid)}/notes/{note_id}", post_data={"body": body}, **self._kw
        )

    @_translated("read commit status")
    def get_status(self, project_id: int, sha: str, name: str = STATUS_NAME) -> CommitStatus | None:
        path = f"/projects/{project_id}/repository/commits/{sha}/statuses"
        for status in self._list(path, name=name):
            if status.get("name") == name:
                return CommitStatus(
                    name=name, state=str(status["status"]), description=str(status.get("description") or "")
                )
        return None

    @_translated("set commit status")
    def set_status(
        self, project_id: int, sha: str, *, state: StatusState, description: str, name: str = STATUS_NAME
    ) -> None:
        data = {"state": state, "name": name, "description": description[:255]}
        for attempt in range(3):
            try:
                self._gl.http_post(
                    f"/projects/{project_id}/statuses/{quote(sha)}", post_data=data, **self._kw
                )
                return
            except gitlab.exceptions.GitlabHttpError as exc:
                if exc.response_code != 409 or attempt == 2:  # two quick updates of one status may answer 409
                    raise
                time.sleep(0.2 * (attempt + 1))

    # --- mining (synbot propose) -----------------------------------------------------------------
    @_translated("read project")
    def project(self, project: int | str) -> ProjectInfo:
        data = self._gl.http_get(f"/projects/{quote(str(project), safe='')}", **self._kw)
        assert isinstance(data, dict)
        return ProjectInfo(
            id=int(data["id"]),
            path=str(data.get("path_with_namespace") or project),
            default_branch=str(data.get("default_branch") or "main"),
        )

    @_translated("read branch")
    def branch_head(self, project_id: int, branch: str) -> str | None:
        try:
            data = self._gl.http_get(
                f"/projects/{project_id}/repository/branches/{quote(branch, safe='')}", **self._kw
            )
        except gitlab.exceptions.GitlabHttpError as exc:
            if exc.response_code == 404:
                return None
            raise
        assert isinstance(data, dict)
        return str(data["commit"]["id"])

    @_translated("read commit")
    def commit_parents(self, project_id: int, sha: str) -> tuple[str, ...]:
        data = self._gl.http_get(
            f"/projects/{project_id}/repository/commits/{quote(sha, safe='')}", **self._kw
        )
        assert isinstance(data, dict)
        return tuple(str(parent) for parent in data.get("parent_ids") or ())

    @_translated("find open MR")
    def find_open_mr(self, project_id: int, *, source_branch: str) -> MergeRequestInfo | None:
        path = f"/projects/{project_id}/merge_requests"
        for mr in self._list(path, state="opened", source_branch=source_branch):
            if mr.get("source_branch") == source_branch:
                return _mr_info(mr)
        return None

    @_translated("commit file")
    def commit_file(
        self,
        project_id: int,
        *,
        branch: str,
        start_sha: str,
        path: str,
        content: str,
        create: bool,
        message: str,
    ) -> str:
        """One commit on ``branch`` whose parent is ``start_sha`` (``force``: the branch is reset to it)."""
        action = {"action": "create" if create else "update", "file_path": path, "content": content}
        data = self._gl.http_post(
            f"/projects/{project_id}/repository/commits",
            post_data={
                "branch": branch,
                "start_sha": start_sha,
                "force": True,
                "commit_message": message,
                "actions": [action],
            },
            **self._kw,
        )
        assert isinstance(data, dict)
        return str(data["id"])

    @_translated("create MR")
    def create_mr(
        self,
        project_id: int,
        *,
        source_branch: str,
        target_branch: str,
        title: str,
        description: str,
        labels: tuple[str, ...],
    ) -> MergeRequestInfo:
        data = self._gl.http_post(
            f"/projects/{project_id}/merge_requests",
            post_data={
                "source_branch": source_branch,
                "target_branch": target_branch,
                "title": title,
                "description": description,
                "labels": ",".join(labels),
                "remove_source_branch": True,
            },
            **self._kw,
        )
        assert isinstance(data, dict)
        return _mr_info(data)

    @_translated("update MR")
    def update_mr(
        self, project_id: int, mr_iid: int, *, title: str, description: str, labels: tuple[str, ...]
    ) -> MergeRequestInfo:
        data = self._gl.http_put(
            self._mr(project_id, mr_iid),
            post_data={"title": title, "description": description, "labels": ",".join(labels)},
            **self._kw,
        )
        assert isinstance(data, dict)
        return _mr_info(data)


def _mr_info(data: dict[str, Any]) -> MergeRequestInfo:
    labels = data.get("labels") or []
    return MergeRequestInfo(
        iid=int(data["iid"]),
        web_url=str(data.get("web_url") or ""),
        source_branch=str(data["source_branch"]),
        target_branch=str(data["target_branch"]),
        title=str(data.get("title") or ""),
        description=str(data.get("description") or ""),
        labels=tuple(str(label) for label in labels),
    )


class AsyncGitLab:
    """:class:`GitLabPort` over :class:`SyncGitLab`: every call runs in a worker thread."""

    def __init__(self, sync: SyncGitLab) -> None:
        self._sync = sync

    async def current_user(self) -> User:
        return await asyncio.to_thread(self._sync.current_user)

    async def mr_versions(self, project_id: int, mr_iid: int) -> DiffRefs:
        return await asyncio.to_thread(self._sync.mr_versions, project_id, mr_iid)

    async def mr_diffs(self, project_id: int, mr_iid: int, refs: DiffRefs) -> list[FileDiff]:
        return await asyncio.to_thread(self._sync.mr_diffs, project_id, mr_iid, refs)

    async def file_at(self, project_id: int, path: str, sha: str) -> str | None:
        return await asyncio.to_thread(self._sync.file_at, project_id, path, sha)

    async def list_files(self, project_id: int, sha: str) -> list[TreeFile]:
        return await asyncio.to_thread(self._sync.list_files, project_id, sha)

    async def list_open_mrs(self, project_id: int) -> list[MergeRequestRef]:
        return await asyncio.to_thread(self._sync.list_open_mrs, project_id)

    async def bot_threads(self, project_id: int, mr_iid: int) -> list[BotThread]:
        return await asyncio.to_thread(self._sync.bot_threads, project_id, mr_iid)

    async def discard_drafts(self, project_id: int, mr_iid: int) -> int:
        return await asyncio.to_thread(self._sync.discard_drafts, project_id, mr_iid)

    async def create_draft_note(
        self, project_id: int, mr_iid: int, *, body: str, position: Position, refs: DiffRefs
    ) -> int:
        return await asyncio.to_thread(
            self._sync.create_draft_note, project_id, mr_iid, body=body, position=position, refs=refs
        )

    async def bulk_publish_drafts(self, project_id: int, mr_iid: int) -> None:
        await asyncio.to_thread(self._sync.bulk_publish_drafts, project_id, mr_iid)

    async def create_thread(
        self, project_id: int, mr_iid: int, *, body: str, position: Position, refs: DiffRefs
    ) -> str:
        return await asyncio.to_thread(
            self._sync.create_thread, project_id, mr_iid, body=body, position=position, refs=refs
        )

    async def edit_note(
        self, project_id: int, mr_iid: int, *, discussion_id: str, note_id: int, body: str
    ) -> None:
        await asyncio.to_thread(
            self._sync.edit_note, project_id, mr_iid, discussion_id=discussion_id, note_id=note_id, body=body
        )

    async def resolve_thread(
        self, project_id: int, mr_iid: int, *, discussion_id: str, resolved: bool = True
    ) -> None:
        await asyncio.to_thread(
            self._sync.resolve_thread, project_id, mr_iid, discussion_id=discussion_id, resolved=resolved
        )

    async def find_summary(self, project_id: int, mr_iid: int) -> Note | None:
        return await asyncio.to_thread(self._sync.find_summary, project_id, mr_iid)

    async def create_summary(self, project_id: int, mr_iid: int, body: str) -> Note:
        return await asyncio.to_thread(self._sync.create_summary, project_id, mr_iid, body)

    async def edit_summary(self, project_id: int, mr_iid: int, *, note_id: int, body: str) -> None:
        await asyncio.to_thread(self._sync.edit_summary, project_id, mr_iid, note_id=note_id, body=body)

    async def get_status(self, project_id: int, sha: str, name: str = STATUS_NAME) -> CommitStatus | None:
        return await asyncio.to_thread(self._sync.get_status, project_id, sha, name)

    async def set_status(
        self, project_id: int, sha: str, *, state: StatusState, description: str, name: str = STATUS_NAME
    ) -> None:
        await asyncio.to_thread(
            self._sync.set_status, project_id, sha, state=state, description=description, name=name
        )

    # --- mining (synbot propose) -----------------------------------------------------------------
    async def project(self, project: int | str) -> ProjectInfo:
        return await asyncio.to_thread(self._sync.project, project)

    async def branch_head(self, project_id: int, branch: str) -> str | None:
        return await asyncio.to_thread(self._sync.branch_head, project_id, branch)

    async def commit_parents(self, project_id: int, sha: str) -> tuple[str, ...]:
        return await asyncio.to_thread(self._sync.commit_parents, project_id, sha)

    async def find_open_mr(self, project_id: int, *, source_branch: str) -> MergeRequestInfo | None:
        return await asyncio.to_thread(self._sync.find_open_mr, project_id, source_branch=source_branch)

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
    ) -> str:
        return await asyncio.to_thread(
            self._sync.commit_file,
            project_id,
            branch=branch,
            start_sha=start_sha,
            path=path,
            content=content,
            create=create,
            message=message,
        )

    async def create_mr(
        self,
        project_id: int,
        *,
        source_branch: str,
        target_branch: str,
        title: str,
        description: str,
        labels: tuple[str, ...],
    ) -> MergeRequestInfo:
        return await asyncio.to_thread(
            self._sync.create_mr,
            project_id,
            source_branch=source_branch,
            target_branch=target_branch,
            title=title,
            description=description,
            labels=labels,
        )

    async def update_mr(
        self, project_id: int, mr_iid: int, *, title: str, description: str, labels: tuple[str, ...]
    ) -> MergeRequestInfo:
        return await asyncio.to_thread(
            self._sync.update_mr, project_id, mr_iid, title=title, description=description, labels=labels
        )


def build_gitlab(
    settings: Settings, *, timeout_s: float = 30.0, max_retries: int = 10, version_wait_s: float = 0.5
) -> AsyncGitLab:
    """The adapter for the configured instance: retries 429 (Retry-After) and 5xx, TLS per settings."""
    client = gitlab.Gitlab(
        settings.gitlab_url,
        private_token=settings.gitlab_token.get_secret_value(),
        ssl_verify=settings.ssl_verify,
        timeout=timeout_s,
        retry_transient_errors=True,
        per_page=100,
    )
    return AsyncGitLab(SyncGitLab(client, max_retries=max_retries, version_wait_s=version_wait_s))
