from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import redis

from bot.llm.cache import RedisVerdictCache, SQLiteVerdictCache, VerdictCache
from tests.bot.llm.conftest import run

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.3).ping())
    except redis.RedisError:
        return False


async def _roundtrip(cache: VerdictCache, prefix: str) -> dict[str, str]:
    await cache.put_many({f"{prefix}a": '{"verdict": "valid"}', f"{prefix}b": '{"verdict": "too_broad"}'})
    found = await cache.get_many([f"{prefix}a", f"{prefix}b", f"{prefix}missing"])
    await cache.aclose()
    return found


def test_sqlite_cache_keeps_verdicts_across_reopening(tmp_path: Path) -> None:
    path = tmp_path / "data" / "llm-cache.sqlite3"
    assert run(_roundtrip(SQLiteVerdictCache(path), "k")) == {
        "ka": '{"verdict": "valid"}',
        "kb": '{"verdict": "too_broad"}',
    }

    async def reopen() -> dict[str, str]:
        cache = SQLiteVerdictCache(path)
        found = await cache.get_many(["ka"])
        await cache.aclose()
        return found

    assert run(reopen()) == {"ka": '{"verdict": "valid"}'}


@pytest.mark.redis
@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_redis_cache_round_trips_and_expires() -> None:
    prefix = uuid.uuid4().hex
    found = run(_roundtrip(RedisVerdictCache.from_url(REDIS_URL, ttl_s=60), prefix))
    assert found == {f"{prefix}a": '{"verdict": "valid"}', f"{prefix}b": '{"verdict": "too_broad"}'}
    ttl = redis.Redis.from_url(REDIS_URL).ttl(f"synbot:llm:v1:{prefix}a")
    assert 0 < int(ttl) <= 60  # type: ignore[arg-type]
