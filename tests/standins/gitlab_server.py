"""A loopback GitLab stand-in: the REST endpoints synbot uses, served by uvicorn on 127.0.0.1.

Usage in a test module::

    from tests.standins.gitlab_server import gitlab_standin  # noqa: F401  (pytest fixture)

    def test_something(gitlab_standin: StandIn) -> None:
        state = gitlab_standin.state
        project = state.create_project({"synonyms/food.txt": "a, b\\n"})
        state.commit(project.id, "feature", {"synonyms/food.txt": "a, b\\nc, d\\n"})
        iid = state.create_mr(project.id, source_branch="feature", author=gitlab_standin.author)
        # talk to gitlab_standin.url with gitlab_standin.bot.token (python-gitlab or httpx)

``state.apply_suggestion(id)`` (or ``PUT /api/v4/suggestions/:id/apply``) applies a suggestion as a
new commit on the source branch; ``state.fail_next(429, retry_after=1)`` injects failures;
``state.calls`` counts API calls per ``METHOD /route``.
"""

from __future__ import annotations

import asyncio
import base64
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.routing import Match

from tests.standins.gitlab_state import ApiError, GitLabState, User

API = "/api/v4"
WRITE_METHODS = {"POST", "PUT", "DELETE"}


def _paginate(request: Request, items: list[Any]) -> JSONResponse:
    page = int(request.query_params.get("page", "1"))
    per_page = min(int(request.query_params.get("per_page", "20")), 100)
    total_pages = max(1, -(-len(items) // per_page))
    chunk = items[(page - 1) * per_page : page * per_page]
    headers = {
        "X-Page": str(page),
        "X-Per-Page": str(per_page),
        "X-Total": str(len(items)),
        "X-Total-Pages": str(total_pages),
        "X-Prev-Page": str(page - 1) if page > 1 else "",
        "X-Next-Page": str(page + 1) if page < total_pages else "",
    }
    if page < total_pages:
        next_url = request.url.include_query_params(page=page + 1, per_page=per_page)
        headers["Link"] = f'<{next_url}>; rel="next"'
    return JSONResponse(chunk, headers=headers)


async def _params(request: Request) -> dict[str, Any]:
    """Query parameters merged with a JSON or form body, as GitLab's Grape does."""
    data: dict[str, Any] = dict(request.query_params)
    body = await request.body()
    if body:
        if request.headers.get("content-type", "").startswith("application/json"):
            loaded = await request.json()
            if isinstance(loaded, dict):
                data.update(loaded)
        else:
            data.update(dict(await request.form()))
    return data


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("true", "1")


def _labels(value: Any) -> list[str]:
    """GitLab takes labels as a comma-separated string or a list."""
    items = value if isinstance(value, list) else str(value or "").split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def create_app(holder: StandIn) -> FastAPI:
    app = FastAPI()

    def state() -> GitLabState:
        return holder.state

    @app.middleware("http")
    async def gate(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        route = next((r for r in app.router.routes if r.matches(request.scope)[0] == Match.FULL), None)
        key = f"{request.method} {getattr(route, 'path', request.url.path)}"
        st = state()
        with st.lock:
            st.calls[key] += 1
        failure = st.take_failure()
        if failure is not None:
            status, headers = failure
            return JSONResponse({"message": f"{status} injected"}, status_code=status, headers=headers)
        token = request.headers.get("PRIVATE-TOKEN") or request.headers.get("Authorization", "").removeprefix(
            "Bearer "
        )
        user = st.user_by_token(token)
        if user is None:
            return JSONResponse({"message": "401 Unauthorized"}, status_code=401)
        if request.method in WRITE_METHODS and "api" not in user.scopes:
            return JSONResponse(
                {
                    "error": "insufficient_scope",
                    "error_description": "The request requires higher privileges than provided"
                    " by the access token.",
                    "scope": "api",
                },
                status_code=403,
            )
        request.state.user = user
        try:
            with st.lock:
                response = await call_next(request)
        except ApiError as exc:
            response = JSONResponse({"message": exc.message, **exc.extra}, status_code=exc.status)
        if response.status_code >= 400:
            with st.lock:
                st.errors[f"{key} {response.status_code}"] += 1
        return response

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"message": exc.message, **exc.extra}, status_code=exc.status)

    def me(request: Request) -> User:
        user: User = request.state.user
        return user

    @app.get(API + "/user")
    async def current_user(request: Request) -> dict[str, Any]:
        return me(request).json()

    @app.get(API + "/projects/{pid}/merge_requests")
    async def list_mrs(pid: int, request: Request) -> JSONResponse:
        wanted = request.query_params.get("state", "all")
        mrs = [mr.json() for (p, _), mr in sorted(state().mrs.items()) if p == pid]
        return _paginate(request, [m for m in mrs if wanted in ("all", m["state"])])

    @app.get(API + "/projects/{pid}/merge_requests/{iid}")
    async def get_mr(pid: int, iid: int) -> dict[str, Any]:
        return state().mr(pid, iid).json()

    @app.get(API + "/projects/{pid}/merge_requests/{iid}/versions")
    async def versions(pid: int, iid: int, request: Request) -> JSONResponse:
        mr = state().mr(pid, iid)
        if mr.hide_versions > 0:
            mr.hide_versions -= 1
            return _paginate(request, [])
        return _paginate(request, [v.json(mr) for v in reversed(mr.versions)])

    @app.get(API + "/projects/{pid}/merge_requests/{iid}/diffs")
    async def diffs(pid: int, iid: int, request: Request) -> JSONResponse:
        st = state()
        return _paginate(request, st.diffs(st.mr(pid, iid)))

    @app.get(API + "/projects/{pid}/repository/files/{path:path}/raw")
    async def raw_file(pid: int, path: str, ref: str) -> Response:
        text = state().file(pid, ref, path)
        if text is None:
            return JSONResponse({"message": "404 File Not Found"}, status_code=404)
        return PlainTextResponse(text)

    @app.get(API + "/projects/{pid}/repository/tree")
    async def repository_tree(pid: int, request: Request) -> JSONResponse:
        st, query = state(), request.query_params
        ref = query.get("ref") or st.projects[pid].default_branch
        entries = st.tree(pid, ref, path=query.get("path", ""), recursive=_truthy(query.get("recursive")))
        return _paginate(request, entries)

    @app.get(API + "/projects/{pid}/merge_requests/{iid}/discussions")
    async def list_discussions(pid: int, iid: int, request: Request) -> JSONResponse:
        mr = state().mr(pid, iid)
        return _paginate(request, [d.json(mr) for d in mr.discussions])

    @app.post(API + "/projects/{pid}/merge_requests/{iid}/discussions", status_code=201)
    async def create_discussion(pid: int, iid: int, request: Request) -> dict[str, Any]:
        st, data = state(), await _params(request)
        mr = st.mr(pid, iid)
        return st.add_note(mr, me(request), data["body"], data.get("position")).json(mr)

    @app.put(API + "/projects/{pid}/merge_requests/{iid}/discussions/{did}")
    async def resolve_discussion(pid: int, iid: int, did: str, request: Request) -> dict[str, Any]:
        st, data = state(), await _params(request)
        mr = st.mr(pid, iid)
        st.resolve_as(me(request), pid, iid, did, _truthy(data.get("resolved")))
        return st.discussion(mr, did).json(mr)

    @app.put(API + "/projects/{pid}/merge_requests/{iid}/discussions/{did}/notes/{nid}")
    async def edit_discussion_note(
        pid: int, iid: int, did: str, nid: int, request: Request
    ) -> dict[str, Any]:
        return await _edit_note(pid, iid, nid, request)

    @app.get(API + "/projects/{pid}/merge_requests/{iid}/notes")
    async def list_notes(pid: int, iid: int, request: Request) -> JSONResponse:
        mr = state().mr(pid, iid)
        notes = [n.json(mr) for d in mr.discussions for n in d.notes]
        return _paginate(request, notes)

    @app.post(API + "/projects/{pid}/merge_requests/{iid}/notes", status_code=201)
    async def create_note(pid: int, iid: int, request: Request) -> dict[str, Any]:
        st, data = state(), await _params(request)
        mr = st.mr(pid, iid)
        return st.add_individual_note(mr, me(request), data["body"]).json(mr)

    @app.put(API + "/projects/{pid}/merge_requests/{iid}/notes/{nid}")
    async def edit_note(pid: int, iid: int, nid: int, request: Request) -> dict[str, Any]:
        return await _edit_note(pid, iid, nid, request)

    async def _edit_note(pid: int, iid: int, nid: int, request: Request) -> dict[str, Any]:
        st, data = state(), await _params(request)
        mr = st.mr(pid, iid)
        note = st.find_note(mr, nid)
        if note.author.id != me(request).id:
            raise ApiError(403, "403 Forbidden")
        note.body = data["body"]
        note.suggestions = st.suggestions_of(mr, note.position, note.body)  # GitLab re-reads them on edit
        return note.json(mr)

    @app.get(API + "/projects/{pid}/merge_requests/{iid}/draft_notes")
    async def list_drafts(pid: int, iid: int, request: Request) -> JSONResponse:
        mr = state().mr(pid, iid)
        return _paginate(request, [d.json(mr) for d in mr.drafts if d.author.id == me(request).id])

    @app.post(API + "/projects/{pid}/merge_requests/{iid}/draft_notes", status_code=201)
    async def create_draft(pid: int, iid: int, request: Request) -> dict[str, Any]:
        st, data = state(), await _params(request)
        mr = st.mr(pid, iid)
        return st.add_draft(mr, me(request), data["note"], data.get("position")).json(mr)

    @app.delete(API + "/projects/{pid}/merge_requests/{iid}/draft_notes/{did}", status_code=204)
    async def delete_draft(pid: int, iid: int, did: int, request: Request) -> Response:
        mr = state().mr(pid, iid)
        draft = next((d for d in mr.drafts if d.id == did and d.author.id == me(request).id), None)
        if draft is None:
            raise ApiError(404, "404 Not found")
        mr.drafts.remove(draft)
        return Response(status_code=204)

    @app.put(API + "/projects/{pid}/merge_requests/{iid}/draft_notes/{did}/publish", status_code=204)
    async def publish_draft(pid: int, iid: int, did: int, request: Request) -> Response:
        st = state()
        st.publish_drafts(st.mr(pid, iid), me(request), did)
        return Response(status_code=204)

    @app.post(API + "/projects/{pid}/merge_requests/{iid}/draft_notes/bulk_publish", status_code=204)
    async def bulk_publish(pid: int, iid: int, request: Request) -> Response:
        st = state()
        st.publish_drafts(st.mr(pid, iid), me(request))
        return Response(status_code=204)

    @app.put(API + "/suggestions/{sid}/apply")
    async def apply_suggestion(sid: int, request: Request) -> dict[str, Any]:
        st = state()
        st.apply_suggestion(sid, me(request))
        return st.suggestions[sid].json()

    @app.post(API + "/projects/{pid}/statuses/{sha}", status_code=201)
    async def post_status(pid: int, sha: str, request: Request) -> dict[str, Any]:
        st, data = state(), await _params(request)
        if sha not in st.projects[pid].commits:
            raise ApiError(404, "404 Commit Not Found")
        name = data.get("name") or data.get("context") or "default"
        history = st.statuses.setdefault((pid, sha), [])
        previous = next((s for s in reversed(history) if s["name"] == name), None)
        if (
            previous is not None
            and previous["status"] == data["state"]
            and data["state"] in ("pending", "running")
        ):
            raise ApiError(400, f"Cannot transition status via :{data['state']} from :{previous['status']}")
        status = {
            "id": len(history) + 1,
            "sha": sha,
            "ref": None,
            "status": data["state"],
            "name": name,
            "description": data.get("description"),
            "target_url": data.get("target_url"),
            "author": me(request).json(),
        }
        history.append(status)
        return status

    @app.get(API + "/projects/{pid}/repository/commits/{sha}/statuses")
    async def list_statuses(pid: int, sha: str, request: Request) -> JSONResponse:
        history = state().statuses.get((pid, sha), [])
        name = request.query_params.get("name")
        latest: dict[str, dict[str, Any]] = {}
        for status in history:
            latest[status["name"]] = status
        if _truthy(request.query_params.get("all")):
            chosen = list(reversed(history))
        else:
            chosen = list(latest.values())
        return _paginate(request, [s for s in chosen if name is None or s["name"] == name])

    # --- mining (synbot propose): project, branches, commits API, MR create / update -----------------
    @app.get(API + "/projects/{pid:int}")
    async def get_project(pid: int) -> dict[str, Any]:
        project = state().projects.get(pid)
        if project is None:
            raise ApiError(404, "404 Project Not Found")
        return {
            "id": pid,
            "path_with_namespace": f"synbot-test/project-{pid}",
            "default_branch": project.default_branch,
            "web_url": f"http://gitlab.test/synbot-test/project-{pid}",
        }

    @app.get(API + "/projects/{pid}/repository/branches/{branch:path}")
    async def get_branch(pid: int, branch: str) -> dict[str, Any]:
        project = state().projects[pid]
        if branch not in project.branches:
            raise ApiError(404, "404 Branch Not Found")
        sha = project.branches[branch]
        return {"name": branch, "commit": {"id": sha}, "default": branch == project.default_branch}

    @app.get(API + "/projects/{pid}/repository/commits/{sha}")
    async def get_commit(pid: int, sha: str) -> dict[str, Any]:
        commit = state().projects[pid].commits.get(sha)
        if commit is None:
            raise ApiError(404, "404 Commit Not Found")
        parents = [commit.parent] if commit.parent else []
        return {"id": sha, "short_id": sha[:8], "message": commit.message, "parent_ids": parents}

    @app.post(API + "/projects/{pid}/repository/commits", status_code=201)
    async def create_commit(pid: int, request: Request) -> dict[str, Any]:
        st, data = state(), await _params(request)
        project, branch = st.projects[pid], str(data["branch"])
        start = data.get("start_sha") or project.branches.get(str(data.get("start_branch") or ""))
        exists, force = branch in project.branches, _truthy(data.get("force"))
        if exists and data.get("start_sha") and not force:
            raise ApiError(400, f"A branch called '{branch}' already exists.")
        parent = start if start and (force or not exists) else project.branches.get(branch)
        if parent is None or parent not in project.commits:
            raise ApiError(400, "You can only create or edit files when you are on a branch")
        files = project.commits[parent].files
        changes: dict[str, str | None] = {}
        for action in data.get("actions") or []:
            path, verb = str(action["file_path"]), str(action["action"])
            if verb == "create" and path in files:
                raise ApiError(400, "A file with this name already exists")
            if verb in ("update", "delete") and path not in files:
                raise ApiError(400, "A file with this name doesn't exist")
            content = str(action.get("content") or "")
            if action.get("encoding") == "base64":
                content = base64.b64decode(content).decode("utf-8")
            changes[path] = None if verb == "delete" else content
        project.branches[branch] = parent
        message = str(data.get("commit_message") or "")
        sha = st.commit(pid, branch, changes, message)
        return {"id": sha, "short_id": sha[:8], "message": message, "parent_ids": [parent]}

    @app.post(API + "/projects/{pid}/merge_requests", status_code=201)
    async def create_merge_request(pid: int, request: Request) -> dict[str, Any]:
        st, data = state(), await _params(request)
        source, target = str(data["source_branch"]), str(data["target_branch"])
        if source not in st.projects[pid].branches or target not in st.projects[pid].branches:
            raise ApiError(400, "Source branch or target branch does not exist")
        for (p, iid), other in st.mrs.items():
            if (
                p == pid
                and other.state == "opened"
                and (other.source_branch, other.target_branch) == (source, target)
            ):
                raise ApiError(
                    409, f"Another open merge request already exists for this source branch: !{iid}"
                )
        mr = st.mr(pid, st.create_mr(pid, source_branch=source, author=me(request), target_branch=target))
        mr.title, mr.description = str(data.get("title") or ""), str(data.get("description") or "")
        mr.labels = _labels(data.get("labels"))
        return mr.json()

    @app.put(API + "/projects/{pid}/merge_requests/{iid}")
    async def update_merge_request(pid: int, iid: int, request: Request) -> dict[str, Any]:
        st, data = state(), await _params(request)
        mr = st.mr(pid, iid)
        if "title" in data:
            mr.title = str(data["title"])
        if "description" in data:
            mr.description = str(data["description"])
        if "labels" in data:
            mr.labels = _labels(data["labels"])
        mr.labels += [label for label in _labels(data.get("add_labels")) if label not in mr.labels]
        return mr.json()

    return app


@dataclass
class StandIn:
    """A running stand-in: its base URL, its state and three users (bot, MR author, other)."""

    url: str
    state: GitLabState
    bot: User
    author: User

    def reset(self) -> None:
        self.state = GitLabState()
        self.bot = self.state.add_user("synbot", "bot-token", bot=True)
        self.author = self.state.add_user("alice", "alice-token")

    def writes(self) -> int:
        return sum(n for key, n in self.state.calls.items() if key.split()[0] in WRITE_METHODS)

    def reads(self) -> int:
        return sum(n for key, n in self.state.calls.items() if key.split()[0] == "GET")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # running in a thread
        pass


def serve(holder: StandIn) -> Iterator[StandIn]:
    """Run the app on a free loopback port in a thread until the generator is closed."""
    port = _free_port()
    holder.url = f"http://127.0.0.1:{port}"
    server = _Server(uvicorn.Config(create_app(holder), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("GitLab stand-in did not start")
        time.sleep(0.01)
    try:
        yield holder
    finally:
        server.should_exit = True
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def gitlab_server() -> Iterator[StandIn]:
    """One stand-in process-wide; use ``gitlab_standin`` for a fresh state per test."""
    holder = StandIn(url="", state=GitLabState(), bot=None, author=None)  # type: ignore[arg-type]
    holder.reset()
    yield from serve(holder)


@pytest.fixture
def gitlab_standin(gitlab_server: StandIn) -> StandIn:
    """The session's stand-in with a fresh, empty state (users ``synbot`` and ``alice``)."""
    gitlab_server.reset()
    return gitlab_server
