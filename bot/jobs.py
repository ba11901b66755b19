"""The review queue: huey wiring, one review per MR at a time, newest head sha wins.

Delivery guarantee: huey pops a job at most once (a worker killed mid-job loses it). The webhook
stores the job before answering, and the reconciler re-queues every open MR whose head sha has no
final synbot status, which makes reviews at-least-once; reviews are idempotent, so effectively once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey
from huey.consumer import Consumer
from huey.exceptions import RetryTask
from huey.storage import SqliteStorage

from bot import metrics
from bot.config import Settings
from bot.hooks import ReviewRequest
from bot.store import RedisStateStore, SqliteStateStore, StateStore

log = logging.getLogger(__name__)

ReviewRunner = Callable[[ReviewRequest], Awaitable[None]]
Reconcile = Callable[[], Coroutine[Any, Any, int]]

QUEUE_FILE = "queue.sqlite3"
RECONCILE_LEASE = "reconcile"


@dataclass(frozen=True)
class QueueOptions:
    lease_s: float = 60.0  # a review lease; renewed every third of it while the review runs
    busy_delay_s: float = 2.0  # retry delay when another worker reviews the same MR
    retries: int = 5  # for the retryable errors (GitLab unavailable)
    retry_delay_s: float = 2.0
    retry_backoff: float = 2.0
    reconcile_interval_s: float = 300.0


def build_huey(settings: Settings) -> Huey:
    """``RedisHuey`` when ``redis_url`` is set (several workers), else ``SqliteHuey`` under ``data_dir``."""
    if settings.redis_url:
        return RedisHuey(name=settings.queue_name, url=settings.redis_url, results=False)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(
        name=settings.queue_name,
        filename=str(_queue_file(settings.data_dir)),
        results=False,
        storage_class=WalSqliteStorage,
    )


class WalSqliteStorage(SqliteStorage):  # type: ignore[misc]
    """huey's SQLite storage in WAL mode with ``synchronous=NORMAL``.

    A commit survives the process being killed (it is in the WAL, handed to the OS); only a power
    loss or OS crash can lose the last commits, which the reconciler catches up. ``FULL`` would fsync
    every webhook and cost ~2 ms each, serialised.
    """

    def _create_connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = super()._create_connection()
        conn.execute("pragma synchronous=normal")
        return conn


def build_store(settings: Settings) -> StateStore:
    """The state store next to the queue: same Redis, or the same SQLite file."""
    if settings.redis_url:
        return RedisStateStore(
            redis.Redis.from_url(settings.redis_url), prefix=f"{settings.queue_name}:state"
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteStateStore(_queue_file(settings.data_dir))


def queue_options(settings: Settings) -> QueueOptions:
    return QueueOptions(lease_s=settings.job_lease_s, reconcile_interval_s=settings.reconcile_interval_s)


def _queue_file(data_dir: Path) -> Path:
    return data_dir / QUEUE_FILE


def lease_owner() -> str:
    """``host:pid:nonce``, fresh for each lease: a holder recognisable as dead on the same host."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def holder_is_dead(holder: str) -> bool:
    """A lease holder on this host whose process is gone (killed mid-review)."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def mr_lease(project_id: int, mr_iid: int) -> str:
    return f"mr:{project_id}:{mr_iid}"


class ReviewQueue:
    """Submits reviews durably and runs them in huey workers."""

    def __init__(
        self,
        huey: Huey,
        store: StateStore,
        *,
        runner: ReviewRunner,
        reconcile: Reconcile | None = None,
        retry_on: tuple[type[BaseException], ...] = (),
        options: QueueOptions | None = None,
    ) -> None:
        self.huey = huey
        self.store = store
        self._runner = runner
        self._reconcile = reconcile
        self._retry_on = retry_on
        self._options = options or QueueOptions()
        self._review_task = huey.task(
            retries=self._options.retries,
            retry_delay=self._options.retry_delay_s,
            retry_backoff=self._options.retry_backoff,
            name="synbot.review",
        )(self._execute)
        self._reconcile_task = huey.task(name="synbot.reconcile")(self._reconcile_now)
        huey.periodic_task(crontab(), name="synbot.reconcile_periodic")(self._reconcile_periodic)

    # -- submitting ---------------------------------------------------------------------------------

    def submit(self, request: ReviewRequest, *, delivery: str | None) -> bool:
        """Store the wish and the job; ``False`` for a delivery seen before. Blocking (SQLite/Redis)."""
        if not self.store.admit(request, delivery=delivery):
            return False
        try:
            self._enqueue(request)
        except BaseException:
            if delivery is not None:
                self.store.forget_delivery(delivery)
            raise
        return True

    def requeue(self, request: ReviewRequest) -> None:
        """Queue a review found by the reconciler (no delivery key)."""
        self.store.want(request)
        self._enqueue(request)

    def _enqueue(self, request: ReviewRequest) -> None:
        self._review_task(request.project_id, request.mr_iid, request.head_sha, request.forced)
        metrics.JOBS.labels("queued").inc()

    def schedule_reconcile(self) -> None:
        """Queue one reconciliation now (used at start)."""
        self._reconcile_task()

    def pending(self) -> int:
        return int(self.huey.pending_count())

    def ping(self) -> None:
        """Raises when the queue store cannot be reached (for ``/healthz``)."""
        self.store.ping()
        self.pending()

    # -- running ------------------------------------------------------------------------------------

    def _execute(self, project_id: int, mr_iid: int, head_sha: str, forced: bool) -> None:
        request = ReviewRequest(project_id=project_id, mr_iid=mr_iid, head_sha=head_sha, forced=forced)
        asyncio.run(self.run(request))

    async def run(self, request: ReviewRequest) -> None:
        """One job: drop it when superseded, wait when the MR is busy, else review under a lease."""
        where = f"project={request.project_id} mr={request.mr_iid} sha={request.head_sha[:12]}"
        wanted = await asyncio.to_thread(self.store.wanted, request.project_id, request.mr_iid)
        if wanted is not None and wanted.head_sha != request.head_sha:
            log.info("job superseded by %s: %s", wanted.head_sha[:12], where)
            metrics.JOBS.labels("superseded").inc()
            return
        lease, owner = mr_lease(request.project_id, request.mr_iid), lease_owner()
        if not await asyncio.to_thread(self._take_lease, lease, owner):
            log.info("MR busy in another worker, retrying in %ss: %s", self._options.busy_delay_s, where)
            metrics.JOBS.labels("busy").inc()
            raise RetryTask(delay=self._options.busy_delay_s)
        try:
            await self._review_under_lease(request, lease, owner, where)
        finally:
            await asyncio.to_thread(self.store.release, lease, owner)

    def _take_lease(self, lease: str, owner: str) -> bool:
        holder = self.store.acquire(lease, owner, self._options.lease_s)
        if holder is None:
            return True
        if holder_is_dead(holder):
            log.warning("taking over lease %s from dead worker %s", lease, holder)
            return self.store.take_over(lease, holder, owner, self._options.lease_s)
        return False

    async def _review_under_lease(self, request: ReviewRequest, lease: str, owner: str, where: str) -> None:
        log.info("review started: %s forced=%s", where, request.forced)
        metrics.JOBS.labels("started").inc()
        started = time.monotonic()
        metrics.JOBS_RUNNING.inc()
        try:
            async with self._renewing(lease, owner):
                await self._runner(request)
        except self._retry_on as exc:
            log.warning("review failed, will retry: %s: %s", where, type(exc).__name__)
            metrics.JOBS.labels("retried").inc()
            raise
        except Exception:
            log.exception("review failed: %s", where)
            metrics.JOBS.labels("failed").inc()
            return
        finally:
            metrics.JOBS_RUNNING.dec()
        elapsed = time.monotonic() - started
        metrics.REVIEW_SECONDS.observe(elapsed)
        metrics.JOBS.labels("succeeded").inc()
        log.info("review done in %.2fs: %s", elapsed, where)

    @contextlib.asynccontextmanager
    async def _renewing(self, lease: str, owner: str) -> Any:
        async def renew() -> None:
            while True:
                await asyncio.sleep(self._options.lease_s / 3)
                if not await asyncio.to_thread(self.store.renew, lease, owner, self._options.lease_s):
                    log.warning("lost lease %s", lease)

        task = asyncio.create_task(renew())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- reconciling --------------------------------------------------------------------------------

    def _reconcile_now(self) -> None:
        if self._reconcile is None:
            return
        self.store.acquire(RECONCILE_LEASE, lease_owner(), self._options.reconcile_interval_s)
        self._run_reconcile()

    def _reconcile_periodic(self) -> None:
        """Every minute in every consumer; the lease lets one run per interval across all workers."""
        if self._reconcile is None:
            return
        if self.store.acquire(RECONCILE_LEASE, lease_owner(), self._options.reconcile_interval_s) is None:
            self._run_reconcile()

    def _run_reconcile(self) -> None:
        assert self._reconcile is not None
        try:
            queued = asyncio.run(self._reconcile())
        except Exception:
            log.exception("reconciliation failed")
            return
        metrics.JOBS.labels("reconciled").inc(queued)
        log.info("reconciliation queued %d review(s)", queued)


class EmbeddedConsumer(Consumer):  # type: ignore[misc]
    """A huey consumer run inside ``synbot serve``: uvicorn owns the process signals."""

    def _set_signal_handlers(self) -> None:
        return None


def consumer(huey: Huey, *, workers: int, embedded: bool) -> Consumer:
    cls = EmbeddedConsumer if embedded else Consumer
    return cls(
        huey, workers=workers, worker_type="thread", periodic=True, scheduler_interval=1, shutdown_timeout=30
    )


@contextlib.contextmanager
def running_consumer(huey: Huey, *, workers: int) -> Iterator[Consumer]:
    """Start an embedded consumer and stop it gracefully (tests and ``serve``)."""
    embedded = consumer(huey, workers=workers, embedded=True)
    embedded.start()
    try:
        yield embedded
    finally:
        embedded.stop(graceful=True)
