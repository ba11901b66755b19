"""Durable service state beside the queue: delivery keys, the latest wanted head sha per MR, the
projects seen, and leases (one review per MR at a time, one reconciler at a time).

Two backends with the same behaviour: SQLite in the queue's own database file (one machine) and Redis
(several workers on several machines). Leases expire by themselves, so a worker killed with SIGKILL
holds an MR for at most one lease period; the job renews its lease while it runs.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import redis

from bot.hooks import ReviewRequest

DELIVERY_TTL_S = 7 * 24 * 3600.0


@dataclass(frozen=True)
class Wanted:
    head_sha: str
    queued_at: float


class StateStore(Protocol):
    def admit(self, request: ReviewRequest, *, delivery: str | None) -> bool:
        """Remember the project and the wanted sha; ``False`` when the delivery key was seen before."""
        ...

    def forget_delivery(self, delivery: str) -> None: ...

    def want(self, request: ReviewRequest) -> None: ...

    def wanted(self, project_id: int, mr_iid: int) -> Wanted | None: ...

    def projects(self) -> frozenset[int]: ...

    def acquire(self, name: str, owner: str, ttl_s: float) -> str | None:
        """Take the lease; ``None`` when taken, else the current holder."""
        ...

    def take_over(self, name: str, holder: str, owner: str, ttl_s: float) -> bool:
        """Replace ``holder`` (known dead) by ``owner``, only if it still holds the lease."""
        ...

    def renew(self, name: str, owner: str, ttl_s: float) -> bool: ...

    def release(self, name: str, owner: str) -> None: ...

    def ping(self) -> None: ...

    def close(self) -> None: ...


_SCHEMA = (
    "create table if not exists synbot_delivery (key text primary key, received_at real not null)",
    "create table if not exists synbot_wanted (project_id integer not null, mr_iid integer not null,"
    " head_sha text not null, queued_at real not null, primary key (project_id, mr_iid))",
    "create table if not exists synbot_project (project_id integer primary key)",
    "create table if not exists synbot_lease (name text primary key, owner text not null,"
    " expires_at real not null)",
)


class SqliteStateStore:
    """State in SQLite (WAL, synchronous=NORMAL): a committed row survives the process being killed."""

    def __init__(self, path: Path, *, timeout_s: float = 5.0) -> None:
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, timeout=timeout_s, check_same_thread=False, isolation_level=None)
        self._conn.execute("pragma journal_mode=wal")
        self._conn.execute("pragma synchronous=normal")  # survives a killed process; see bot/jobs.py
        with self._lock:
            for statement in _SCHEMA:
                self._conn.execute(statement)

    def _write(self, *statements: tuple[str, tuple[object, ...]]) -> list[int]:
        """Run statements in one immediate transaction; answers each statement's rowcount."""
        with self._lock:
            cursor = self._conn.cursor()
            cursor.execute("begin immediate")
            try:
                counts = []
                for sql, params in statements:
                    cursor.execute(sql, params)
                    counts.append(cursor.rowcount)
            except BaseException:
                cursor.execute("rollback")
                raise
            cursor.execute("commit")
            return counts

    def _read(self, sql: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
        with self._lock:
            return list(self._conn.execute(sql, params).fetchall())

    def _want_statements(self, request: ReviewRequest) -> list[tuple[str, tuple[object, ...]]]:
        return [
            ("insert or ignore into synbot_project (project_id) values (?)", (request.project_id,)),
            (
                "insert into synbot_wanted (project_id, mr_iid, head_sha, queued_at) values (?, ?, ?, ?)"
                " on conflict (project_id, mr_iid) do update set head_sha = excluded.head_sha,"
                " queued_at = excluded.queued_at",
                (request.project_id, request.mr_iid, request.head_sha, time.time()),
            ),
        ]

    def admit(self, request: ReviewRequest, *, delivery: str | None) -> bool:
        if delivery is None:
            self._write(*self._want_statements(request))
            return True
        with self._lock:
            cursor = self._conn.cursor()
            cursor.execute("begin immediate")
            try:
                cursor.execute(
                    "insert or ignore into synbot_delivery (key, received_at) values (?, ?)",
                    (delivery, time.time()),
                )
                fresh = cursor.rowcount == 1
                if fresh:
                    for sql, params in self._want_statements(request):
                        cursor.execute(sql, params)
            except BaseException:
                cursor.execute("rollback")
                raise
            cursor.execute("commit")
            return fresh

    def forget_delivery(self, delivery: str) -> None:
        self._write(("delete from synbot_delivery where key = ?", (delivery,)))

    def prune_deliveries(self, older_than_s: float = DELIVERY_TTL_S) -> None:
        self._write(("delete from synbot_delivery where received_at < ?", (time.time() - older_than_s,)))

    def want(self, request: ReviewRequest) -> None:
        self._write(*self._want_statements(request))

    def wanted(self, project_id: int, mr_iid: int) -> Wanted | None:
        rows = self._read(
            "select head_sha, queued_at from synbot_wanted where project_id = ? and mr_iid = ?",
            (project_id, mr_iid),
        )
        if not rows:
            return None
        sha, queued_at = rows[0]
        return Wanted(head_sha=str(sha), queued_at=float(str(queued_at)))

    def projects(self) -> frozenset[int]:
        return frozenset(int(str(row[0])) for row in self._read("select project_id from synbot_project", ()))

    def acquire(self, name: str, owner: str, ttl_s: float) -> str | None:
        now = time.time()
        with self._lock:
            cursor = self._conn.cursor()
            cursor.execute("begin immediate")
            try:
                row = cursor.execute(
                    "select owner, expires_at from synbot_lease where name = ?", (name,)
                ).fetchone()
                if row is not None and row[1] > now and row[0] != owner:
                    holder: str | None = str(row[0])
                else:
                    holder = None
                    cursor.execute(
                        "insert into synbot_lease (name, owner, expires_at) values (?, ?, ?)"
                        " on conflict (name) do update set owner = excluded.owner,"
                        " expires_at = excluded.expires_at",
                        (name, owner, now + ttl_s),
                    )
            except BaseException:
                cursor.execute("rollback")
                raise
            cursor.execute("commit")
            return holder

    def take_over(self, name: str, holder: str, owner: str, ttl_s: float) -> bool:
        (count,) = self._write(
            (
                "update synbot_lease set owner = ?, expires_at = ? where name = ? and owner = ?",
                (owner, time.time() + ttl_s, name, holder),
            )
        )
        return count == 1

    def renew(self, name: str, owner: str, ttl_s: float) -> bool:
        return self.take_over(name, owner, owner, ttl_s)

    def release(self, name: str, owner: str) -> None:
        self._write(("delete from synbot_lease where name = ? and owner = ?", (name, owner)))

    def ping(self) -> None:
        self._read("select 1", ())

    def close(self) -> None:
        with self._lock:
            self._conn.close()


_COMPARE_AND_SET = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  if ARGV[2] == '' then return redis.call('del', KEYS[1]) end
  redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
"""


class RedisStateStore:
    """State in Redis under ``<prefix>:``, shared by workers on several machines."""

    def __init__(self, client: redis.Redis, *, prefix: str) -> None:
        self._redis = client
        self._prefix = prefix
        self._cas = client.register_script(_COMPARE_AND_SET)

    def _key(self, *parts: object) -> str:
        return ":".join([self._prefix, *(str(part) for part in parts)])

    def admit(self, request: ReviewRequest, *, delivery: str | None) -> bool:
        if delivery is not None:
            fresh = self._redis.set(self._key("delivery", delivery), "1", nx=True, ex=int(DELIVERY_TTL_S))
            if not fresh:
                return False
        self.want(request)
        return True

    def forget_delivery(self, delivery: str) -> None:
        self._redis.delete(self._key("delivery", delivery))

    def want(self, request: ReviewRequest) -> None:
        pipe = self._redis.pipeline(transaction=True)
        pipe.sadd(self._key("projects"), request.project_id)
        pipe.hset(
            self._key("wanted", request.project_id, request.mr_iid),
            mapping={"head_sha": request.head_sha, "queued_at": repr(time.time())},
        )
        pipe.execute()

    def wanted(self, project_id: int, mr_iid: int) -> Wanted | None:
        raw: dict[bytes, bytes] = self._redis.hgetall(self._key("wanted", project_id, mr_iid))  # type: ignore[assignment]
        if not raw:
            return None
        return Wanted(head_sha=raw[b"head_sha"].decode(), queued_at=float(raw[b"queued_at"]))

    def projects(self) -> frozenset[int]:
        members: set[bytes] = self._redis.smembers(self._key("projects"))  # type: ignore[assignment]
        return frozenset(int(member) for member in members)

    def acquire(self, name: str, owner: str, ttl_s: float) -> str | None:
        key = self._key("lease", name)
        if self._redis.set(key, owner, nx=True, px=int(ttl_s * 1000)):
            return None
        holder = self._redis.get(key)
        if holder is None:
            return self.acquire(name, owner, ttl_s)
        text = bytes(holder).decode()  # type: ignore[arg-type]
        if text == owner:
            self.renew(name, owner, ttl_s)
            return None
        return text

    def take_over(self, name: str, holder: str, owner: str, ttl_s: float) -> bool:
        done = self._cas(keys=[self._key("lease", name)], args=[holder, owner, int(ttl_s * 1000)])
        return bool(done)

    def renew(self, name: str, owner: str, ttl_s: float) -> bool:
        return self.take_over(name, owner, owner, ttl_s)

    def release(self, name: str, owner: str) -> None:
        self._cas(keys=[self._key("lease", name)], args=[owner, "", 0])

    def ping(self) -> None:
        self._redis.ping()

    def close(self) -> None:
        self._redis.close()
