"""Verdict cache keyed by (normalized item, scenario, prompt version, model).

SQLite under ``SYNBOT_DATA_DIR`` for one process; Redis when ``SYNBOT_REDIS_URL`` is set,
so that several workers share verdicts. Values are the verdict's JSON; a value that no
longer validates is treated as a miss by the engine.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import redis.asyncio as aioredis

REDIS_PREFIX = "synbot:llm:v1:"


def cache_key(*, scenario: str, version: str, model: str, item: str) -> str:
    """A stable key; the prompt version and model are part of it, so a new prompt re-asks."""
    raw = json.dumps([scenario, version, model, item], ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class VerdictCache(Protocol):
    async def get_many(self, keys: Sequence[str]) -> dict[str, str]: ...

    async def put_many(self, entries: Mapping[str, str]) -> None: ...

    async def aclose(self) -> None: ...


class SQLiteVerdictCache:
    """One table in ``<data_dir>/llm-cache.sqlite3`` (or ``:memory:``)."""

    def __init__(self, path: Path | str) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        if str(path) != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS verdicts (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._lock = asyncio.Lock()

    async def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        async with self._lock:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start : start + 500])
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(f"SELECT key, value FROM verdicts WHERE key IN ({marks})", chunk)
                found.update(dict(rows.fetchall()))
        return found

    async def put_many(self, entries: Mapping[str, str]) -> None:
        if not entries:
            return
        async with self._lock:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO verdicts (key, value) VALUES (?, ?)", entries.items()
                )

    async def aclose(self) -> None:
        self._db.close()


class RedisVerdictCache:
    """Shared cache for several workers; entries expire after ``ttl_s`` (0: never)."""

    def __init__(self, client: aioredis.Redis, *, ttl_s: int = 30 * 24 * 3600) -> None:
        self._redis = client
        self._ttl = ttl_s

    @classmethod
    def from_url(cls, url: str, *, ttl_s: int = 30 * 24 * 3600) -> RedisVerdictCache:
        return cls(aioredis.Redis.from_url(url), ttl_s=ttl_s)

    async def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        if not keys:
            return {}
        values = await self._redis.mget([REDIS_PREFIX + k for k in keys])
        return {
            k: v.decode("utf-8") if isinstance(v, bytes) else str(v)
            for k, v in zip(keys, values, strict=True)
            if v is not None
        }

    async def put_many(self, entries: Mapping[str, str]) -> None:
        if not entries:
            return
        async with self._redis.pipeline(transaction=False) as pipe:
            for key, value in entries.items():
                pipe.set(REDIS_PREFIX + key, value, ex=self._ttl or None)
            await pipe.execute()

    async def aclose(self) -> None:
        await self._redis.aclose()
