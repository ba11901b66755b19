"""In-memory GitLab: repositories, merge requests, discussions, drafts, suggestions, statuses.

The HTTP layer (``gitlab_server.py``) only translates requests into calls on :class:`GitLabState`;
the rules GitLab enforces (positions on diff lines only, suggestions refused on changed lines,
drafts visible to their author only) live here so tests can also call them directly.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

POSITION_ERROR = '400 Bad request - Note {:line_code=>["can\'t be blank", "must be a valid line code"]}'
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_SUGGESTION = re.compile(r"^```suggestion:-(\d+)\+(\d+)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


class ApiError(Exception):
    """An error GitLab answers with a status code and a JSON message."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


@dataclass
class User:
    id: int
    username: str
    token: str
    bot: bool = False
    scopes: tuple[str, ...] = ("api",)

    def json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "name": self.username,
            "bot": self.bot,
            "state": "active",
        }


@dataclass
class Commit:
    sha: str
    files: dict[str, str]
    parent: str | None
    message: str


@dataclass
class Project:
    id: int
    commits: dict[str, Commit] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    default_branch: str = "main"


@dataclass
class Version:
    id: int
    base_sha: str
    start_sha: str
    head_sha: str

    def json(self, mr: MergeRequest) -> dict[str, Any]:
        return {
            "id": self.id,
            "head_commit_sha": self.head_sha,
            "base_commit_sha": self.base_sha,
            "start_commit_sha": self.start_sha,
            "created_at": "2024-05-01T10:00:00.000Z",
            "merge_request_id": mr.id,
            "state": "collected",
            "real_size": "1",
        }


@dataclass
class Suggestion:
    id: int
    project_id: int
    mr_iid: int
    path: str
    from_line: int
    to_line: int
    from_content: str
    to_content: str
    applied: bool = False

    def json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "from_line": self.from_line,
            "to_line": self.to_line,
            "appliable": not self.applied,
            "applied": self.applied,
            "from_content": self.from_content,
            "to_content": self.to_content,
        }


@dataclass
class Note:
    id: int
    body: str
    author: User
    position: dict[str, Any] | None
    resolvable: bool
    resolved: bool = False
    resolved_by: User | None = None
    suggestions: list[Suggestion] = field(default_factory=list)

    def json(self, mr: MergeRequest) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "type": "DiffNote" if self.position else ("DiscussionNote" if self.resolvable else None),
            "body": self.body,
            "author": self.author.json(),
            "created_at": "2024-05-01T10:00:00.000Z",
            "updated_at": "2024-05-01T10:00:00.000Z",
            "system": False,
            "noteable_id": mr.id,
            "noteable_type": "MergeRequest",
            "noteable_iid": mr.iid,
            "resolvable": self.resolvable,
            "resolved": self.resolved if self.resolvable else False,
            "resolved_by": self.resolved_by.json() if self.resolved_by else None,
            "suggestions": [s.json() for s in self.suggestions],
        }
        if self.position:
            data["position"] = self.position
        return data


@dataclass
class Discussion:
    id: str
    notes: list[Note]
    individual_note: bool

    def json(self, mr: MergeRequest) -> dict[str, Any]:
        return {
            "id": self.id,
            "individual_note": self.individual_note,
            "notes": [n.json(mr) for n in self.notes],
        }


@dataclass
class DraftNote:
    id: int
    author: User
    note: str
    position: dict[str, Any] | None

    def json(self, mr: MergeRequest) -> dict[str, Any]:
        return {
            "id": self.id,
            "author_id": self.author.id,
            "merge_request_id": mr.id,
            "resolve_discussion": False,
            "discussion_id": None,
            "note": self.note,
            "commit_id": None,
            "line_code": None,
            "position": self.position,
        }


@dataclass
class MergeRequest:
    id: int
    iid: int
    project_id: int
    source_branch: str
    target_branch: str
    author: User
    versions: list[Version] = field(default_factory=list)
    discussions: list[Discussion] = field(default_factory=list)
    drafts: list[DraftNote] = field(default_factory=list)
    state: str = "opened"
    hide_versions: int = 0  # answer [] to this many versions reads (diff still being computed)
    title: str = ""  # set by POST/PUT merge_requests (synbot propose)
    description: str = ""
    labels: list[str] = field(default_factory=list)

    def json(self) -> dict[str, Any]:
        latest = self.versions[-1]
        return {
            "id": self.id,
            "iid": self.iid,
            "project_id": self.project_id,
            "title": self.title or f"MR {self.iid}",
            "description": self.description,
            "labels": list(self.labels),
            "state": self.state,
            "draft": False,
            "source_branch": self.source_branch,
            "target_branch": self.target_branch,
            "sha": latest.head_sha,
            "author": self.author.json(),
            "diff_refs": {
                "base_sha": latest.base_sha,
                "start_sha": latest.start_sha,
                "head_sha": latest.head_sha,
            },
            "web_url": f"http://gitlab.test/p/{self.project_id}/-/merge_requests/{self.iid}",
        }


@dataclass(frozen=True)
class DiffLines:
    """Which lines of one file's diff can carry a comment."""

    added: frozenset[int]
    removed: frozenset[int]
    context: frozenset[tuple[int, int]]


def unified_hunks(old: str | None, new: str | None) -> str:
    """GitLab's per-file ``diff``: unified hunks with 3 context lines, no ``---``/``+++`` header."""
    old_lines = (old or "").splitlines()
    new_lines = (new or "").splitlines()
    lines = list(difflib.unified_diff(old_lines, new_lines, n=3, lineterm=""))[2:]
    return "".join(line + "\n" for line in lines)


def diff_lines(hunks: str) -> DiffLines:
    added: set[int] = set()
    removed: set[int] = set()
    context: set[tuple[int, int]] = set()
    old_no = new_no = 0
    for line in hunks.splitlines():
        match = _HUNK.match(line)
        if match:
            old_no, new_no = int(match.group(1)), int(match.group(3))
            if match.group(2) == "0":
                old_no += 1
            if match.group(4) == "0":
                new_no += 1
            continue
        if line.startswith("+"):
            added.add(new_no)
            new_no += 1
        elif line.startswith("-"):
            removed.add(old_no)
            old_no += 1
        elif line.startswith(" "):
            context.add((old_no, new_no))
            old_no += 1
            new_no += 1
    return DiffLines(frozenset(added), frozenset(removed), frozenset(context))


class GitLabState:
    """Everything the stand-in knows; every public method is thread-safe."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.users: dict[int, User] = {}
        self.projects: dict[int, Project] = {}
        self.mrs: dict[tuple[int, int], MergeRequest] = {}
        self.statuses: dict[tuple[int, str], list[dict[str, Any]]] = {}
        self.suggestions: dict[int, Suggestion] = {}
        self.too_large_paths: set[str] = set()
        self.calls: Counter[str] = Counter()  # "METHOD /route" -> calls
        self.errors: Counter[str] = (
            Counter()
        )  # "METHOD /route STATUS" -> answers >= 400 (injected ones excluded)
        self.failures: list[tuple[int, int, dict[str, str]]] = []  # (status, remaining, headers)
        self._ids = itertools.count(1)

    # --- set-up helpers used by tests -------------------------------------------------------------
    def add_user(
        self, username: str, token: str, *, bot: bool = False, scopes: tuple[str, ...] = ("api",)
    ) -> User:
        with self.lock:
            user = User(next(self._ids), username, token, bot, scopes)
            self.users[user.id] = user
            return user

    def user_by_token(self, token: str | None) -> User | None:
        return next((u for u in self.users.values() if token and u.token == token), None)

    def create_project(self, files: dict[str, str], *, default_branch: str = "main") -> Project:
        with self.lock:
            project = Project(next(self._ids), default_branch=default_branch)
            self.projects[project.id] = project
            sha = self._new_commit(project, dict(files), None, "initial")
            project.branches[default_branch] = sha
            return project

    def commit(
        self, project_id: int, branch: str, files: dict[str, str | None], message: str = "edit"
    ) -> str:
        """Push one commit to ``branch`` (created from the default branch if new); ``None`` deletes a file."""
        with self.lock:
            project = self.projects[project_id]
            parent = project.branches.get(branch, project.branches[project.default_branch])
            content = dict(project.commits[parent].files)
            for path, text in files.items():
                if text is None:
                    content.pop(path, None)
                else:
                    content[path] = text
            sha = self._new_commit(project, content, parent, message)
            project.branches[branch] = sha
            self._refresh_versions(project_id, branch)
            return sha

    def create_mr(
        self, project_id: int, *, source_branch: str, author: User, target_branch: str = "main"
    ) -> int:
        with self.lock:
            iid = 1 + sum(1 for pid, _ in self.mrs if pid == project_id)
            mr = MergeRequest(next(self._ids), iid, project_id, source_branch, target_branch, author)
            self.mrs[(project_id, iid)] = mr
            self._add_version(mr)
            return iid

    def fail_next(self, status: int, times: int = 1, *, retry_after: int | None = None) -> None:
        """Answer the next ``times`` API calls with ``status`` (429 carries ``Retry-After``)."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        with self.lock:
            self.failures.append((status, times, headers))

    def take_failure(self) -> tuple[int, dict[str, str]] | None:
        with self.lock:
            if not self.failures:
                return None
            status, remaining, headers = self.failures[0]
            if remaining <= 1:
                self.failures.pop(0)
            else:
                self.failures[0] = (status, remaining - 1, headers)
            return status, headers

    def file(self, project_id: int, ref: str, path: str) -> str | None:
        with self.lock:
            project = self.projects[project_id]
            sha = project.branches.get(ref, ref)
            commit = project.commits.get(sha)
            return None if commit is None else commit.files.get(path)

    def tree(
        self, project_id: int, ref: str, *, path: str = "", recursive: bool = False
    ) -> list[dict[str, Any]]:
        """``GET repository/tree`` entries (directories and files) under ``path`` at ``ref``."""
        with self.lock:
            project = self.projects[project_id]
            commit = project.commits.get(project.branches.get(ref, ref))
            if commit is None:
                raise ApiError(404, "404 Tree Not Found")
            prefix = path.strip("/") + "/" if path.strip("/") else ""
            entries: dict[str, dict[str, Any]] = {}
            for file_path, text in commit.files.items():
                if not file_path.startswith(prefix):
                    continue
                parts = file_path[len(prefix) :].split("/")
                depth = len(parts) if recursive else 1
                for i in range(min(depth, len(parts) - 1)):
                    directory = prefix + "/".join(parts[: i + 1])
                    entries[directory] = _tree_entry(directory, "tree", directory)
                if recursive or len(parts) == 1:
                    blob = hashlib.sha1(f"blob {len(text.encode())}\0{text}".encode()).hexdigest()
                    entries[file_path] = _tree_entry(file_path, "blob", blob)
            return [entries[key] for key in sorted(entries)]

    def head(self, project_id: int, branch: str) -> str:
        return self.projects[project_id].branches[branch]

    def mr(self, project_id: int, iid: int) -> MergeRequest:
        try:
            return self.mrs[(project_id, iid)]
        except KeyError:
            raise ApiError(404, "404 Not found") from None

    def resolve_as(
        self, user: User, project_id: int, iid: int, discussion_id: str, resolved: bool = True
    ) -> None:
        with self.lock:
            discussion = self._discussion(self.mr(project_id, iid), discussion_id)
            for note in discussion.notes:
                if note.resolvable:
                    note.resolved = resolved
                    note.resolved_by = user if resolved else None

    def apply_suggestion(self, suggestion_id: int, user: User | None = None) -> str:
        """Apply like ``PUT /suggestions/:id/apply``; returns the new head sha of the source branch."""
        with self.lock:
            suggestion = self.suggestions.get(suggestion_id)
            if suggestion is None:
                raise ApiError(404, "404 Suggestion Not Found")
            mr = self.mr(suggestion.project_id, suggestion.mr_iid)
            if suggestion.applied:
                raise ApiError(400, "A suggestion is not applicable.")
            text = self.file(mr.project_id, mr.source_branch, suggestion.path) or ""
            lines = text.splitlines(keepends=True)
            current = "".join(lines[suggestion.from_line - 1 : suggestion.to_line])
            if current != suggestion.from_content:
                raise ApiError(400, "A suggestion is not applicable.")
            replaced = [
                *lines[: suggestion.from_line - 1],
                suggestion.to_content,
                *lines[suggestion.to_line :],
            ]
            suggestion.applied = True
            return self.commit(
                mr.project_id, mr.source_branch, {suggestion.path: "".join(replaced)}, "Apply suggestion"
            )

    # --- API operations -----------------------------------------------------------------------------
    def diffs(self, mr: MergeRequest) -> list[dict[str, Any]]:
        project = self.projects[mr.project_id]
        version = mr.versions[-1]
        old = project.commits[version.start_sha].files
        new = project.commits[version.head_sha].files
        entries = []
        for path in sorted(set(old) | set(new)):
            if old.get(path) == new.get(path):
                continue
            too_large = path in self.too_large_paths
            entries.append(
                {
                    "old_path": path,
                    "new_path": path,
                    "a_mode": "100644",
                    "b_mode": "100644",
                    "new_file": path not in old,
                    "renamed_file": False,
                    "deleted_file": path not in new,
                    "generated_file": False,
                    "too_large": too_large,
                    "collapsed": False,
                    "diff": "" if too_large else unified_hunks(old.get(path), new.get(path)),
                }
            )
        return entries

    def check_position(self, project_id: int, position: dict[str, Any] | None) -> None:
        """Refuse, as GitLab does, a position whose line is not in the diff between its SHAs."""
        if position is None:
            return
        project = self.projects[project_id]
        start, head = (
            project.commits.get(position.get("start_sha") or ""),
            project.commits.get(position.get("head_sha") or ""),
        )
        if start is None or head is None or position.get("position_type") != "text":
            raise ApiError(400, POSITION_ERROR)
        path = position.get("new_path") or position.get("old_path") or ""
        lines = diff_lines(unified_hunks(start.files.get(path), head.files.get(path)))
        old_line, new_line = _int(position.get("old_line")), _int(position.get("new_line"))
        ok = (
            (new_line is not None and old_line is None and new_line in lines.added)
            or (old_line is not None and new_line is None and old_line in lines.removed)
            or (old_line is not None and new_line is not None and (old_line, new_line) in lines.context)
        )
        if not ok:
            raise ApiError(400, POSITION_ERROR)

    def add_note(
        self, mr: MergeRequest, author: User, body: str, position: dict[str, Any] | None
    ) -> Discussion:
        self.check_position(mr.project_id, position)
        position = _normalized(position)
        note = Note(next(self._ids), body, author, position, resolvable=True)
        note.suggestions = self.suggestions_of(mr, position, body)
        discussion = Discussion(
            hashlib.sha1(str(note.id).encode()).hexdigest(), [note], individual_note=False
        )
        mr.discussions.append(discussion)
        return discussion

    def add_individual_note(self, mr: MergeRequest, author: User, body: str) -> Note:
        note = Note(next(self._ids), body, author, None, resolvable=False)
        mr.discussions.append(Discussion(hashlib.sha1(str(note.id).encode()).hexdigest(), [note], True))
        return note

    def add_draft(
        self, mr: MergeRequest, author: User, body: str, position: dict[str, Any] | None
    ) -> DraftNote:
        self.check_position(mr.project_id, position)
        draft = DraftNote(next(self._ids), author, body, _normalized(position))
        mr.drafts.append(draft)
        return draft

    def publish_drafts(self, mr: MergeRequest, author: User, draft_id: int | None = None) -> None:
        mine = [d for d in mr.drafts if d.author.id == author.id and (draft_id is None or d.id == draft_id)]
        for draft in mine:
            self.add_note(mr, author, draft.note, draft.position)
            mr.drafts.remove(draft)

    def find_note(self, mr: MergeRequest, note_id: int) -> Note:
        for discussion in mr.discussions:
            for note in discussion.notes:
                if note.id == note_id:
                    return note
        raise ApiError(404, "404 Note Not Found")

    def _discussion(self, mr: MergeRequest, discussion_id: str) -> Discussion:
        for discussion in mr.discussions:
            if discussion.id == discussion_id:
                return discussion
        raise ApiError(404, "404 Discussion Not Found")

    def discussion(self, mr: MergeRequest, discussion_id: str) -> Discussion:
        return self._discussion(mr, discussion_id)

    def suggestions_of(
        self, mr: MergeRequest, position: dict[str, Any] | None, body: str
    ) -> list[Suggestion]:
        new_line = _int((position or {}).get("new_line"))
        if position is None or new_line is None:
            return []
        project = self.projects[mr.project_id]
        path = position["new_path"]
        lines = project.commits[position["head_sha"]].files.get(path, "").splitlines(keepends=True)
        found = []
        for match in _SUGGESTION.finditer(body):
            above, below, content = int(match.group(1)), int(match.group(2)), match.group(3)
            first, last = new_line - above, new_line + below
            suggestion = Suggestion(
                next(self._ids),
                mr.project_id,
                mr.iid,
                path,
                first,
                last,
                "".join(lines[first - 1 : last]),
                content,
            )
            self.suggestions[suggestion.id] = suggestion
            found.append(suggestion)
        return found

    def _new_commit(self, project: Project, files: dict[str, str], parent: str | None, message: str) -> str:
        sha = hashlib.sha1(f"{next(self._ids)}:{parent}:{message}".encode()).hexdigest()
        project.commits[sha] = Commit(sha, files, parent, message)
        return sha

    def _refresh_versions(self, project_id: int, branch: str) -> None:
        for mr in self.mrs.values():
            if mr.project_id == project_id and mr.source_branch == branch and mr.state == "opened":
                self._add_version(mr)

    def _add_version(self, mr: MergeRequest) -> None:
        project = self.projects[mr.project_id]
        target = project.branches[mr.target_branch]
        mr.versions.append(Version(next(self._ids), target, target, project.branches[mr.source_branch]))


_POSITION_KEYS = (
    "base_sha",
    "start_sha",
    "head_sha",
    "old_path",
    "new_path",
    "position_type",
    "old_line",
    "new_line",
)


def _normalized(position: dict[str, Any] | None) -> dict[str, Any] | None:
    """A position as GitLab stores it: every key present, lines as integers or null."""
    if position is None:
        return None
    data = {key: position.get(key) for key in _POSITION_KEYS}
    data["old_line"], data["new_line"] = _int(data["old_line"]), _int(data["new_line"])
    data["line_range"] = position.get("line_range")
    return data


def _tree_entry(path: str, kind: str, object_id: str) -> dict[str, Any]:
    mode = "040000" if kind == "tree" else "100644"
    return {"id": object_id, "name": path.rsplit("/", 1)[-1], "type": kind, "path": path, "mode": mode}


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(value)
