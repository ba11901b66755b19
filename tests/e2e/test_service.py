"""The real `synbot serve` (and `synbot worker`) against the GitLab stand-in, over loopback HTTP."""

from __future__ import annotations

import json
import re
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest
import redis

from tests.e2e.conftest import (
    SYNBOT,
    GitLab,
    ServiceFactory,
    bot_notes,
    bot_threads,
    final_statuses,
    mr_event,
    wait_reviewed,
)

pytestmark = pytest.mark.slow

PATH = "synonyms/food.txt"
BASE = "помидор, томат\nкартофель, картошка\n"
CHANGED = BASE + "сок => сок\nхлеб, батон, хлеб\nогурец, корнишон\n"
REDIS_URL = "redis://127.0.0.1:6379/14"


def open_mr(
    gitlab: GitLab, *, branch: str = "feature", project_id: int | None = None
) -> tuple[int, int, str]:
    state = gitlab.state
    if project_id is None:
        project_id = state.create_project({PATH: BASE}).id
    sha = state.commit(project_id, branch, {PATH: CHANGED})
    iid = state.create_mr(project_id, source_branch=branch, author=gitlab.standin.author)
    return project_id, iid, sha


def jobs_done(service_url: str) -> float:
    text = httpx.get(f"{service_url}/metrics", timeout=5).text
    match = re.search(r'^synbot_jobs_total\{state="succeeded"\} (\S+)$', text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def wait_jobs_done(service_url: str, count: float, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while jobs_done(service_url) < count:
        assert time.monotonic() < deadline, f"fewer than {count} jobs done"
        time.sleep(0.1)


def test_webhook_review_is_idempotent_and_applied_suggestions_pass_check(
    gitlab: GitLab, synbot: ServiceFactory, tmp_path: Path
) -> None:
    service = synbot("serve").start()
    pid, iid, sha = open_mr(gitlab)
    event = mr_event(gitlab, pid, iid)

    assert service.post(event, **{"X-Gitlab-Event-UUID": "first"}).status_code == 202
    wait_reviewed(gitlab, pid, sha, service=service)
    threads = bot_threads(gitlab, pid, iid)
    assert len(threads) >= 2
    assert len(bot_notes(gitlab, pid, iid)) == 1  # the summary

    # the same delivery again, then the same event as a new delivery: no new thread, no new status
    again = service.post(event, **{"X-Gitlab-Event-UUID": "first"})
    assert (again.status_code, again.json()["status"]) == (200, "duplicate")
    assert service.post(event).status_code == 202
    wait_jobs_done(service.url, 2)
    assert len(bot_threads(gitlab, pid, iid)) == len(threads)
    assert len(bot_notes(gitlab, pid, iid)) == 1
    assert final_statuses(gitlab, pid, sha) == final_statuses(gitlab, pid, sha)[:1]

    # the author applies every suggestion, bottom-up so earlier line numbers stay valid
    suggestions = [s for d in threads for s in d.notes[0].suggestions]
    assert suggestions
    for suggestion in sorted(suggestions, key=lambda s: s.from_line, reverse=True):
        gitlab.state.apply_suggestion(suggestion.id, gitlab.standin.author)
    fixed_sha = gitlab.state.head(pid, "feature")
    fixed = gitlab.state.file(pid, fixed_sha, PATH)
    assert fixed is not None
    repo = tmp_path / "repo"
    (repo / "synonyms").mkdir(parents=True)
    (repo / PATH).write_text(fixed, encoding="utf-8")
    check = subprocess.run(
        [str(SYNBOT), "check", "--format", "json", "."], cwd=repo, capture_output=True, text=True, timeout=60
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert [f for f in json.loads(check.stdout) if f["severity"] != "info"] == []

    # the push of the applied suggestions resolves the threads
    update = mr_event(gitlab, pid, iid, action="update", oldrev=sha)
    assert service.post(update).status_code == 202
    wait_reviewed(gitlab, pid, fixed_sha, service=service)
    resolved = [d.notes[0].resolved for d in bot_threads(gitlab, pid, iid)]
    assert resolved and all(resolved)
    assert final_statuses(gitlab, pid, fixed_sha) == ["success"]


def test_bad_requests_are_refused_without_a_job(gitlab: GitLab, synbot: ServiceFactory) -> None:
    service = synbot("serve", "--workers", "0").start()
    pid, iid, _ = open_mr(gitlab)
    event = mr_event(gitlab, pid, iid)
    assert service.post(event, **{"X-Gitlab-Token": "wrong"}).status_code == 401
    assert service.post(b'{"object_kind": "merge_request", "project": 1}').status_code == 400
    assert service.post(b"not json at all").status_code == 400
    assert service.post({"pad": "x" * 300 * 1024}).status_code == 413
    assert service.post({"object_kind": "pipeline"}, kind="Pipeline Hook").status_code == 200
    assert httpx.get(f"{service.url}/healthz").json()["pending"] == 1  # the start-up reconciliation only


def test_refuses_to_start_without_a_webhook_secret(synbot: ServiceFactory) -> None:
    service = synbot("serve", extra_env={"SYNBOT_WEBHOOK_SECRET": ""}).start(wait=False)
    assert service.process is not None
    assert service.process.wait(timeout=30) == 2
    assert "SYNBOT_WEBHOOK_SECRET" in service.logs()


def test_review_killed_mid_way_completes_once_after_restart(gitlab: GitLab, synbot: ServiceFactory) -> None:
    pid, iid, sha = open_mr(gitlab)
    gitlab.delay.arm("POST", r"/draft_notes/bulk_publish$", seconds=30)
    first = synbot("serve").start()
    assert first.post(mr_event(gitlab, pid, iid)).status_code == 202
    assert gitlab.delay.hit.wait(timeout=30), first.logs()
    first.kill()  # drafts are written, the publish never reached GitLab
    deadline = time.monotonic() + 10
    while gitlab.delay.dropped == 0:
        assert time.monotonic() < deadline, "the held publish was not dropped"
        time.sleep(0.05)

    with gitlab.state.lock:
        assert gitlab.state.mr(pid, iid).drafts  # the killed run's leftovers
    second = synbot("serve").start()  # same data dir: the reconciler finds the MR without a final status
    wait_reviewed(gitlab, pid, sha, service=second)

    threads = bot_threads(gitlab, pid, iid)
    bodies = [d.notes[0].body for d in threads]
    assert bodies and len(bodies) == len(set(bodies))
    markers = [re.search(r"<!-- synbot:[^>]*-->", body) for body in bodies]
    assert all(markers) and len({m.group(0) for m in markers if m}) == len(bodies)
    with gitlab.state.lock:
        assert gitlab.state.mr(pid, iid).drafts == []
    assert len(bot_notes(gitlab, pid, iid)) == 1
    assert len(final_statuses(gitlab, pid, sha)) == 1


@pytest.fixture
def redis_queue() -> str:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    name = f"synbot-e2e-{uuid.uuid4().hex[:8]}"
    yield name  # type: ignore[misc]
    for key in client.scan_iter(f"*{name}*"):
        client.delete(key)
    client.close()


@pytest.mark.redis
def test_two_workers_on_redis_review_each_of_100_mrs_once(
    gitlab: GitLab, synbot: ServiceFactory, redis_queue: str, tmp_path: Path
) -> None:
    env = {"SYNBOT_REDIS_URL": REDIS_URL, "SYNBOT_QUEUE_NAME": redis_queue}
    web = synbot("serve", "--workers", "0", extra_env=env).start()
    workers = [
        synbot("worker", "--workers", "2", extra_env=env, data_dir=tmp_path / f"w{n}") for n in range(2)
    ]
    for worker in workers:
        worker.start(wait=False)
    project_id = gitlab.state.create_project({PATH: BASE}).id
    mrs = [open_mr(gitlab, branch=f"b{n}", project_id=project_id) for n in range(100)]
    for pid, iid, _ in mrs:
        response = web.post(mr_event(gitlab, pid, iid), **{"X-Gitlab-Event-UUID": f"mr-{iid}"})
        assert response.status_code == 202
    for pid, iid, _ in mrs[:20]:  # GitLab re-sends some deliveries
        assert web.post(mr_event(gitlab, pid, iid), **{"X-Gitlab-Event-UUID": f"mr-{iid}"}).status_code == 200

    deadline = time.monotonic() + 60
    for pid, _, sha in mrs:
        while not final_statuses(gitlab, pid, sha):
            assert time.monotonic() < deadline, workers[0].logs() + workers[1].logs()
            time.sleep(0.2)
    time.sleep(1.0)  # a duplicate review, if any, would write now
    for pid, iid, sha in mrs:
        assert len(final_statuses(gitlab, pid, sha)) == 1
        assert len(bot_notes(gitlab, pid, iid)) == 1
    assert all("review started" in w.logs() for w in workers)  # both workers took part
