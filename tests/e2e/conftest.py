"""End-to-end fixtures: the GitLab stand-in (with an optional one-shot delay on one route) in this
process, and real `synbot serve` / `synbot worker` subprocesses talking to it over loopback."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from tests.standins.gitlab_server import StandIn, create_app
from tests.standins.gitlab_state import GitLabState

ROOT = Path(__file__).resolve().parents[2]
SYNBOT = Path(sys.executable).parent / "synbot"
SECRET = "e2e-webhook-secret"
FINAL = ("success", "failed")

Message = dict[str, Any]


@dataclass
class Delay:
    """Hold the first matching request ``seconds``; if its client disconnects meanwhile, drop it unseen
    (as if it never reached GitLab). ``hit`` is set when the request arrives."""

    method: str = ""
    pattern: str = ""
    seconds: float = 0.0
    remaining: int = 0
    hit: threading.Event = field(default_factory=threading.Event)
    dropped: int = 0

    def arm(self, method: str, pattern: str, seconds: float) -> None:
        self.method, self.pattern, self.seconds, self.remaining = method, pattern, seconds, 1
        self.hit.clear()

    def matches(self, scope: Mapping[str, Any]) -> bool:
        if self.remaining <= 0 or scope["type"] != "http" or scope["method"] != self.method:
            return False
        return re.search(self.pattern, scope["path"]) is not None


class DelayMiddleware:
    def __init__(self, app: Any, delay: Delay) -> None:
        self.app, self.delay = app, delay

    async def __call__(
        self, scope: Message, receive: Callable[[], Any], send: Callable[[Message], Any]
    ) -> None:
        if not self.delay.matches(scope):
            await self.app(scope, receive, send)
            return
        self.delay.remaining -= 1
        body: list[Message] = []
        while True:
            message = await receive()
            body.append(message)
            if message["type"] != "http.request" or not message.get("more_body"):
                break
        self.delay.hit.set()
        try:
            message = await asyncio.wait_for(receive(), timeout=self.delay.seconds)
        except TimeoutError:
            message = None
        if message is not None and message["type"] == "http.disconnect":
            self.delay.dropped += 1
            return

        async def replay() -> Message:
            return body.pop(0) if body else {"type": "http.disconnect"}

        await self.app(scope, replay, send)


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # running in a thread
        pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class GitLab:
    standin: StandIn
    delay: Delay

    @property
    def state(self) -> GitLabState:
        return self.standin.state


@pytest.fixture(scope="session")
def gitlab_e2e_server() -> Iterator[GitLab]:
    holder = StandIn(url="", state=GitLabState(), bot=None, author=None)  # type: ignore[arg-type]
    holder.reset()
    delay = Delay()
    port = free_port()
    holder.url = f"http://127.0.0.1:{port}"
    app = DelayMiddleware(create_app(holder), delay)
    server = _Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "GitLab stand-in did not start"
        time.sleep(0.01)
    yield GitLab(holder, delay)
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def gitlab(gitlab_e2e_server: GitLab) -> GitLab:
    gitlab_e2e_server.standin.reset()
    gitlab_e2e_server.delay.remaining = 0
    return gitlab_e2e_server


class Service:
    """A `synbot serve` (or worker) subprocess; ``stop`` is graceful, ``kill`` is SIGKILL."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path, port: int | None) -> None:
        self.args, self.env, self.log_path, self.port = args, env, log_path, port
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, wait: bool = True) -> Service:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(SYNBOT), *self.args], env=self.env, cwd=ROOT, stdout=log, stderr=log
        )
        if wait and self.port is not None:
            self.wait_healthy()
        return self

    def wait_healthy(self, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.logs()
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"synbot did not become healthy:\n{self.logs()}")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def logs(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    def post(
        self, body: bytes | dict[str, Any], *, kind: str = "Merge Request Hook", **headers: str
    ) -> httpx.Response:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent = {
            "X-Gitlab-Event": kind,
            "X-Gitlab-Token": SECRET,
            "X-Gitlab-Event-UUID": str(uuid.uuid4()),
            "Content-Type": "application/json",
            **headers,
        }
        return httpx.post(f"{self.url}/webhooks/gitlab", content=content, headers=sent, timeout=10)


ServiceFactory = Callable[..., Service]


@pytest.fixture
def synbot(tmp_path: Path, gitlab: GitLab) -> Iterator[ServiceFactory]:
    """Build `synbot` subprocesses against the stand-in; all are stopped at the end of the test."""
    made: list[Service] = []

    def make(*args: str, extra_env: Mapping[str, str] | None = None, data_dir: Path | None = None) -> Service:
        port = free_port() if args and args[0] == "serve" else None
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("SYNBOT_")},
            "SYNBOT_GITLAB_URL": gitlab.standin.url,
            "SYNBOT_GITLAB_TOKEN": gitlab.standin.bot.token,
            "SYNBOT_WEBHOOK_SECRET": SECRET,
            "SYNBOT_DATA_DIR": str(data_dir or tmp_path / "data"),
            "SYNBOT_LLM_PROVIDER": "none",
            "SYNBOT_MAX_BODY_BYTES": str(256 * 1024),
            **(extra_env or {}),
        }
        full = [*args, "--port", str(port)] if port is not None else list(args)
        service = Service(full, env, tmp_path / f"synbot-{len(made)}.log", port)
        made.append(service)
        return service

    yield make
    for service in made:
        service.stop()


# -- helpers on the stand-in ---------------------------------------------------------------------------


def mr_event(
    gitlab: GitLab, project_id: int, iid: int, *, action: str = "open", oldrev: str | None = None
) -> dict[str, Any]:
    mr = gitlab.state.mr(project_id, iid)
    author = gitlab.standin.author
    attributes: dict[str, Any] = {
        "iid": iid,
        "action": action,
        "last_commit": {"id": mr.versions[-1].head_sha},
        "draft": False,
        "source_branch": mr.source_branch,
        "target_branch": mr.target_branch,
    }
    if oldrev is not None:
        attributes["oldrev"] = oldrev
    return {
        "object_kind": "merge_request",
        "user": {"id": author.id, "username": author.username},
        "project": {"id": project_id, "path_with_namespace": f"group/p{project_id}"},
        "object_attributes": attributes,
        "changes": {},
    }


def final_statuses(gitlab: GitLab, project_id: int, sha: str) -> list[str]:
    with gitlab.state.lock:
        history = list(gitlab.state.statuses.get((project_id, sha), []))
    return [s["status"] for s in history if s["name"] == "synbot" and s["status"] in FINAL]


def wait_reviewed(
    gitlab: GitLab, project_id: int, sha: str, *, timeout_s: float = 30.0, service: Service | None = None
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if final_statuses(gitlab, project_id, sha):
            return
        time.sleep(0.1)
    raise AssertionError(f"no final synbot status on {sha[:12]}\n{service.logs() if service else ''}")


def bot_threads(gitlab: GitLab, project_id: int, iid: int) -> list[Any]:
    """The bot's resolvable discussions (line threads) on the MR."""
    mr = gitlab.state.mr(project_id, iid)
    with gitlab.state.lock:
        return [
            d
            for d in mr.discussions
            if not d.individual_note and d.notes[0].author.id == gitlab.standin.bot.id
        ]


def bot_notes(gitlab: GitLab, project_id: int, iid: int) -> list[Any]:
    mr = gitlab.state.mr(project_id, iid)
    with gitlab.state.lock:
        return [
            d for d in mr.discussions if d.individual_note and d.notes[0].author.id == gitlab.standin.bot.id
        ]
