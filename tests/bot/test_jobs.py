"""The review queue, the state store and the reconciler, on a real SqliteHuey (and Redis when present).

Jobs are popped and executed one by one with huey's own ``dequeue``/``execute``, so the tests are
deterministic; the review itself is an injected recording function.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bot import metrics
from bot.config import Settings
from bot.gitlab_port import CommitStatus, GitLabUnavailable, MergeRequestRef
from bot.hooks import ReviewRequest
from bot.jobs import QueueOptions, ReviewQueue, build_huey, build_store, mr_lease
from bot.reconciler import reconcile
from bot.service import review_runner
from bot.store import RedisStateStore, SqliteStateStore, StateStore

REDIS_URL = "redis://127.0.0.1:6379/15"
SHA_A, SHA_B = "a" * 40, "b" * 40


class Recorder:
    """The injected review: records what it reviewed; can fail or wait."""

    def __init__(self) -> None:
        self.reviewed: list[ReviewRequest] = []
        self.fail_with: BaseException | None = None
        self.gate: asyncio.Event | None = None

    async def __call__(self, request: ReviewRequest) -> None:
        if self.gate is not None:
            await self.gate.wait()
        if self.fail_with is not None:
            raise self.fail_with
        self.reviewed.append(request)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def make_queue(settings: Settings, recorder: Recorder, **options: float) -> ReviewQueue:
    return ReviewQueue(
        build_huey(settings),
        build_store(settings),
        runner=recorder,
        retry_on=(GitLabUnavailable,),
        options=QueueOptions(**options),  # type: ignore[arg-type]
    )


@pytest.fixture
def queue(settings: Settings, recorder: Recorder) -> Iterator[ReviewQueue]:
    queue = make_queue(settings, recorder)
    yield queue
    queue.store.close()


def drain(queue: ReviewQueue) -> int:
    """Execute every queued job in this thread; answers how many ran."""
    count = 0
    while (task := queue.huey.dequeue()) is not None:
        queue.huey.execute(task)
        count += 1
    return count


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def counter(state: str) -> float:
    return metrics.JOBS.labels(state)._value.get()


# -- the queue --------------------------------------------------------------------------------------


def test_a_submitted_job_is_reviewed(queue: ReviewQueue, recorder: Recorder) -> None:
    assert queue.submit(ReviewRequest(1, 2, SHA_A), delivery="d-1")
    drain(queue)
    assert recorder.reviewed == [ReviewRequest(1, 2, SHA_A)]


def test_a_repeated_delivery_is_not_queued_again(queue: ReviewQueue, recorder: Recorder) -> None:
    assert queue.submit(ReviewRequest(1, 2, SHA_A), delivery="d-1")
    assert not queue.submit(ReviewRequest(1, 2, SHA_A), delivery="d-1")
    assert drain(queue) == 1


def test_a_job_for_an_older_head_is_dropped_when_a_newer_one_is_queued(
    queue: ReviewQueue, recorder: Recorder
) -> None:
    queue.submit(ReviewRequest(1, 2, SHA_A), delivery="d-1")
    queue.submit(ReviewRequest(1, 2, SHA_B), delivery="d-2")
    queue.submit(ReviewRequest(1, 3, SHA_A), delivery="d-3")
    superseded = counter("superseded")
    drain(queue)
    assert recorder.reviewed == [ReviewRequest(1, 2, SHA_B), ReviewRequest(1, 3, SHA_A)]
    assert counter("superseded") == superseded + 1


def test_an_mr_held_by_a_live_worker_is_retried_later(queue: ReviewQueue, recorder: Recorder) -> None:
    holder = f"{socket.gethostname()}:1:other"  # pid 1 is alive
    assert queue.store.acquire(mr_lease(1, 2), holder, 60) is None
    queue.submit(ReviewRequest(1, 2, SHA_A), delivery=None)
    drain(queue)
    assert recorder.reviewed == []
    assert queue.huey.scheduled_count() == 1


def test_an_mr_held_by_a_dead_worker_on_this_host_is_taken_over(
    queue: ReviewQueue, recorder: Recorder
) -> None:
    holder = f"{socket.gethostname()}:{dead_pid()}:killed"
    assert queue.store.acquire(mr_lease(1, 2), holder, 600) is None
    queue.submit(ReviewRequest(1, 2, SHA_A), delivery=None)
    drain(queue)
    assert recorder.reviewed == [ReviewRequest(1, 2, SHA_A)]


def test_an_mr_held_on_another_host_is_not_taken_over(queue: ReviewQueue, recorder: Recorder) -> None:
    assert queue.store.acquire(mr_lease(1, 2), f"elsewhere:{dead_pid()}:x", 600) is None
    queue.submit(ReviewRequest(1, 2, SHA_A), delivery=None)
    drain(queue)
    assert recorder.reviewed == []


def test_the_lease_is_released_after_a_failed_review(queue: ReviewQueue, recorder: Recorder) -> None:
    recorder.fail_with = ValueError("boom")
    queue.submit(ReviewRequest(1, 2, SHA_A), delivery=None)
    drain(queue)
    assert queue.store.acquire(mr_lease(1, 2), "someone:1:x", 60) is None


def test_an_unexpected_error_fails_the_job_without_retries(queue: ReviewQueue, recorder: Recorder) -> None:
    recorder.fail_with = ValueError("boom")
    failed = counter("failed")
    queue.submit(ReviewRequest(1, 2, SHA_A), delivery=None)
    drain(queue)
    assert queue.huey.scheduled_count() == 0
    assert counter("failed") == failed + 1


def test_gitlab_unavailable_is_retried_with_backoff(queue: ReviewQueue, recorder: Recorder) -> None:
    recorder.fail_with = GitLabUnavailable("502")
    queue.submit(ReviewRequest(1, 2, SHA_A), delivery=None)
    drain(queue)
    (first,) = queue.huey.scheduled()
    assert first.retries == QueueOptions().retries - 1
    assert first.retry_delay == QueueOptions().retry_delay_s * QueueOptions().retry_backoff


def test_two_workers_never_review_one_mr_at_once(queue: ReviewQueue, recorder: Recorder) -> None:
    from huey.exceptions import RetryTask

    async def both() -> list[BaseException | None]:
        recorder.gate = asyncio.Event()
        first = asyncio.create_task(queue.run(ReviewRequest(1, 2, SHA_A)))
        await asyncio.sleep(0.05)
        second = asyncio.create_task(queue.run(ReviewRequest(1, 2, SHA_A)))
        await asyncio.sleep(0.05)
        recorder.gate.set()
        return list(await asyncio.gather(first, second, return_exceptions=True))  # type: ignore[arg-type]

    queue.store.want(ReviewRequest(1, 2, SHA_A))
    outcomes = asyncio.run(both())
    assert outcomes[0] is None
    assert isinstance(outcomes[1], RetryTask)
    assert recorder.reviewed == [ReviewRequest(1, 2, SHA_A)]


def test_a_long_review_keeps_its_lease(settings: Settings, recorder: Recorder) -> None:
    queue = make_queue(settings, recorder, lease_s=0.3)
    seen: list[str | None] = []

    async def slow(request: ReviewRequest) -> None:
        await asyncio.sleep(0.7)
        seen.append(queue.store.acquire(mr_lease(1, 2), "elsewhere:1:x", 60))

    queue._runner = slow
    queue.store.want(ReviewRequest(1, 2, SHA_A))
    asyncio.run(queue.run(ReviewRequest(1, 2, SHA_A)))
    assert seen and seen[0] is not None and seen[0] != "elsewhere:1:x"


def test_jobs_survive_a_restart_of_the_process(settings: Settings, recorder: Recorder) -> None:
    first = make_queue(settings, recorder)
    first.submit(ReviewRequest(1, 2, SHA_A), delivery="d-9")
    first.store.close()
    second = make_queue(settings, recorder)
    assert not second.submit(ReviewRequest(1, 2, SHA_A), delivery="d-9")
    drain(second)
    assert recorder.reviewed == [ReviewRequest(1, 2, SHA_A)]


# -- the reconciler ---------------------------------------------------------------------------------


class FakeGitLab:
    """A hand-written fake of the two calls the reconciler and the runner make."""

    def __init__(self) -> None:
        self.open_mrs: dict[int, list[MergeRequestRef]] = {}
        self.statuses: dict[tuple[int, str], str] = {}
        self.unavailable: set[int] = set()

    async def list_open_mrs(self, project_id: int) -> list[MergeRequestRef]:
        if project_id in self.unavailable:
            raise GitLabUnavailable("down")
        return self.open_mrs.get(project_id, [])

    async def get_status(self, project_id: int, sha: str, name: str = "synbot") -> CommitStatus | None:
        state = self.statuses.get((project_id, sha))
        return None if state is None else CommitStatus(name=name, state=state, description="")


def mr(iid: int, sha: str) -> MergeRequestRef:
    return MergeRequestRef(iid=iid, head_sha=sha, source_branch=f"b{iid}", target_branch="main")


def test_reconciler_queues_open_mrs_without_a_final_status() -> None:
    gitlab = FakeGitLab()
    gitlab.open_mrs = {1: [mr(1, SHA_A), mr(2, SHA_B), mr(3, "c" * 40)], 2: [mr(9, SHA_A)]}
    gitlab.statuses = {(1, SHA_A): "success", (1, SHA_B): "running", (2, SHA_A): "failed"}
    queued: list[ReviewRequest] = []
    count = asyncio.run(reconcile(gitlab, projects=[1, 2], requeue=queued.append))
    assert queued == [ReviewRequest(1, 2, SHA_B), ReviewRequest(1, 3, "c" * 40)]
    assert count == 2


def test_reconciler_skips_a_project_gitlab_cannot_list() -> None:
    gitlab = FakeGitLab()
    gitlab.open_mrs = {1: [mr(1, SHA_A)], 2: [mr(2, SHA_A)]}
    gitlab.unavailable = {1}
    queued: list[ReviewRequest] = []
    asyncio.run(reconcile(gitlab, projects=[1, 2], requeue=queued.append))
    assert queued == [ReviewRequest(2, 2, SHA_A)]


def test_reconcile_task_queues_reviews_for_known_projects(settings: Settings, recorder: Recorder) -> None:
    gitlab = FakeGitLab()
    gitlab.open_mrs = {5: [mr(1, SHA_A)], 6: [mr(2, SHA_B)]}
    store = build_store(settings)
    store.want(ReviewRequest(6, 7, SHA_A))  # project 6 was seen in a webhook

    async def known() -> int:
        return await reconcile(gitlab, projects={5} | store.projects(), requeue=queue.requeue)

    queue = ReviewQueue(build_huey(settings), store, runner=recorder, reconcile=known)
    queue.schedule_reconcile()
    drain(queue)
    assert sorted(recorder.reviewed, key=lambda r: r.project_id) == [
        ReviewRequest(5, 1, SHA_A),
        ReviewRequest(6, 2, SHA_B),
    ]


# -- the production runner --------------------------------------------------------------------------


class RecordingReview:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int, str]] = []

    async def __call__(self, *, project_id: int, mr_iid: int, head_sha: str, **_: object) -> None:
        self.calls.append((project_id, mr_iid, head_sha))


@pytest.mark.parametrize(
    ("state", "forced", "reviewed"),
    [(None, False, True), ("running", False, True), ("success", False, False), ("success", True, True)],
)
def test_runner_skips_a_sha_already_reviewed_unless_forced(
    settings: Settings, state: str | None, forced: bool, reviewed: bool
) -> None:
    gitlab = FakeGitLab()
    if state is not None:
        gitlab.statuses[(1, SHA_A)] = state
    review = RecordingReview()
    run = review_runner(settings, gitlab=gitlab, review=review, engine_factory=lambda s: None)  # type: ignore[arg-type]
    asyncio.run(run(ReviewRequest(1, 2, SHA_A, forced=forced)))
    assert bool(review.calls) == reviewed


# -- the state store, both backends -----------------------------------------------------------------


def redis_client() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return client


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StateStore]:
    if request.param == "sqlite":
        sqlite_store = SqliteStateStore(tmp_path / "state.sqlite3")
        yield sqlite_store
        sqlite_store.close()
        return
    client = redis_client()
    prefix = f"synbot-test-{uuid.uuid4().hex}"
    yield RedisStateStore(client, prefix=prefix)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


def test_store_admits_a_delivery_once(store: StateStore) -> None:
    assert store.admit(ReviewRequest(1, 2, SHA_A), delivery="x")
    assert not store.admit(ReviewRequest(1, 2, SHA_B), delivery="x")
    wanted = store.wanted(1, 2)
    assert wanted is not None and wanted.head_sha == SHA_A


def test_store_forgets_a_delivery_whose_job_was_not_stored(store: StateStore) -> None:
    store.admit(ReviewRequest(1, 2, SHA_A), delivery="x")
    store.forget_delivery("x")
    assert store.admit(ReviewRequest(1, 2, SHA_A), delivery="x")


def test_store_remembers_projects_and_the_latest_wanted_sha(store: StateStore) -> None:
    store.want(ReviewRequest(1, 2, SHA_A))
    store.want(ReviewRequest(1, 2, SHA_B))
    store.want(ReviewRequest(3, 1, SHA_A))
    wanted = store.wanted(1, 2)
    assert wanted is not None and wanted.head_sha == SHA_B
    assert store.wanted(1, 99) is None
    assert store.projects() == frozenset({1, 3})


def test_store_lease_is_exclusive_until_released(store: StateStore) -> None:
    assert store.acquire("mr:1:2", "w1", 60) is None
    assert store.acquire("mr:1:2", "w2", 60) == "w1"
    assert not store.renew("mr:1:2", "w2", 60)
    store.release("mr:1:2", "w2")  # not the holder: no effect
    assert store.acquire("mr:1:2", "w2", 60) == "w1"
    store.release("mr:1:2", "w1")
    assert store.acquire("mr:1:2", "w2", 60) is None


def test_store_lease_expires_by_itself(store: StateStore) -> None:
    import time

    assert store.acquire("mr:1:2", "w1", 0.2) is None
    time.sleep(0.3)
    assert store.acquire("mr:1:2", "w2", 60) is None


def test_store_take_over_only_replaces_the_named_holder(store: StateStore) -> None:
    store.acquire("mr:1:2", "dead", 60)
    assert not store.take_over("mr:1:2", "someone-else", "w2", 60)
    assert store.take_over("mr:1:2", "dead", "w2", 60)
    assert store.acquire("mr:1:2", "w3", 60) == "w2"
