"""The webhook app through TestClient against a real SqliteHuey queue in a temporary directory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from bot.config import Settings
from bot.hooks import ReviewRequest
from bot.jobs import ReviewQueue, build_huey, build_store
from bot.web import create_app

SAMPLES = Path(__file__).parent.parent / "samples" / "webhooks"
SECRET = "s3cret-token-42"


async def never_runs(request: ReviewRequest) -> None:
    raise AssertionError("no consumer runs in these tests")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(webhook_secret=SecretStr(SECRET), data_dir=tmp_path, max_body_bytes=64 * 1024)


@pytest.fixture
def queue(settings: Settings) -> Iterator[ReviewQueue]:
    queue = ReviewQueue(build_huey(settings), build_store(settings), runner=never_runs)
    yield queue
    queue.store.close()


@pytest.fixture
def client(settings: Settings, queue: ReviewQueue) -> TestClient:
    return TestClient(create_app(settings, queue=queue))


def body(name: str) -> bytes:
    return (SAMPLES / f"{name}.json").read_bytes()


def headers(kind: str = "Merge Request Hook", *, token: str | None = SECRET, **extra: str) -> dict[str, str]:
    result = {"X-Gitlab-Event": kind, "Content-Type": "application/json", **extra}
    if token is not None:
        result["X-Gitlab-Token"] = token
    return result


def queued_requests(queue: ReviewQueue) -> list[tuple[Any, ...]]:
    return [task.args for task in queue.huey.pending()]


def test_open_event_is_stored_before_the_202(client: TestClient, queue: ReviewQueue) -> None:
    response = client.post(
        "/webhooks/gitlab",
        content=body("merge_request_open"),
        headers=headers(**{"X-Gitlab-Event-UUID": "u-1"}),
    )
    assert response.status_code == 202
    assert queued_requests(queue) == [(42, 17, "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", False)]
    assert queue.store.projects() == frozenset({42})


def test_job_survives_a_new_process_reading_the_same_store(settings: Settings, client: TestClient) -> None:
    client.post("/webhooks/gitlab", content=body("merge_request_open"), headers=headers())
    reopened = ReviewQueue(build_huey(settings), build_store(settings), runner=never_runs)
    assert len(queued_requests(reopened)) == 1


@pytest.mark.parametrize(
    "token", [None, "", "wrong", SECRET + "x"], ids=["missing", "empty", "wrong", "longer"]
)
def test_bad_token_is_401_and_nothing_is_queued(
    client: TestClient, queue: ReviewQueue, token: str | None
) -> None:
    response = client.post(
        "/webhooks/gitlab", content=body("merge_request_open"), headers=headers(token=token)
    )
    assert response.status_code == 401
    assert queued_requests(queue) == []


def test_empty_configured_secret_accepts_no_token(tmp_path: Path) -> None:
    settings = Settings(webhook_secret=SecretStr(""), data_dir=tmp_path)
    queue = ReviewQueue(build_huey(settings), build_store(settings), runner=never_runs)
    client = TestClient(create_app(settings, queue=queue))
    response = client.post("/webhooks/gitlab", content=body("merge_request_open"), headers=headers(token=""))
    assert response.status_code == 401


def test_body_that_is_not_json_is_400(client: TestClient) -> None:
    response = client.post("/webhooks/gitlab", content=b"{not json", headers=headers())
    assert response.status_code == 400


def test_known_kind_missing_fields_is_400(client: TestClient) -> None:
    response = client.post("/webhooks/gitlab", content=b'{"object_kind": "merge_request"}', headers=headers())
    assert response.status_code == 400


def test_declared_oversized_body_is_413(client: TestClient, settings: Settings) -> None:
    payload = json.dumps({"pad": "x" * (settings.max_body_bytes + 1)}).encode()
    response = client.post("/webhooks/gitlab", content=payload, headers=headers())
    assert response.status_code == 413


def test_streamed_body_over_the_limit_without_length_is_413(client: TestClient, settings: Settings) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(settings.max_body_bytes // 1024 + 2):
            yield b" " * 1024

    response = client.post("/webhooks/gitlab", content=chunks(), headers=headers())
    assert "content-length" not in {key.lower() for key in response.request.headers}
    assert response.status_code == 413


def test_unknown_event_kind_is_acknowledged_and_ignored(client: TestClient, queue: ReviewQueue) -> None:
    response = client.post(
        "/webhooks/gitlab", content=b'{"object_kind": "pipeline"}', headers=headers("Pipeline Hook")
    )
    assert response.status_code == 200
    assert response.json()["status"] == "ignored"
    assert queued_requests(queue) == []


def test_title_update_is_acknowledged_without_a_job(client: TestClient, queue: ReviewQueue) -> None:
    response = client.post("/webhooks/gitlab", content=body("merge_request_update_title"), headers=headers())
    assert response.status_code == 200
    assert queued_requests(queue) == []


def test_project_outside_allowlist_is_acknowledged_without_a_job(tmp_path: Path) -> None:
    settings = Settings(webhook_secret=SecretStr(SECRET), data_dir=tmp_path, project_allowlist=[1, 2])
    queue = ReviewQueue(build_huey(settings), build_store(settings), runner=never_runs)
    client = TestClient(create_app(settings, queue=queue))
    response = client.post("/webhooks/gitlab", content=body("merge_request_open"), headers=headers())
    assert response.status_code == 200
    assert queued_requests(queue) == []


def test_same_event_uuid_twice_queues_one_job(client: TestClient, queue: ReviewQueue) -> None:
    first = client.post(
        "/webhooks/gitlab",
        content=body("merge_request_open"),
        headers=headers(**{"X-Gitlab-Event-UUID": "u-2"}),
    )
    again = client.post(
        "/webhooks/gitlab",
        content=body("merge_request_open"),
        headers=headers(**{"X-Gitlab-Event-UUID": "u-2"}),
    )
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["status"] == "duplicate"
    assert len(queued_requests(queue)) == 1


def test_idempotency_key_wins_over_the_event_uuid(client: TestClient, queue: ReviewQueue) -> None:
    for uuid in ("u-3", "u-4"):
        client.post(
            "/webhooks/gitlab",
            content=body("merge_request_open"),
            headers=headers(**{"X-Gitlab-Event-UUID": uuid, "Idempotency-Key": "k-1"}),
        )
    assert len(queued_requests(queue)) == 1


def test_recheck_note_queues_a_forced_review(client: TestClient, queue: ReviewQueue) -> None:
    response = client.post("/webhooks/gitlab", content=body("note_recheck"), headers=headers("Note Hook"))
    assert response.status_code == 202
    assert queued_requests(queue) == [(42, 17, "b83d6e391c22777fca1ed3012fce84f633d7fed0", True)]


def test_bots_own_note_is_ignored_with_the_identity_from_settings(tmp_path: Path) -> None:
    settings = Settings(webhook_secret=SecretStr(SECRET), data_dir=tmp_path, bot_user_id=99)
    queue = ReviewQueue(build_huey(settings), build_store(settings), runner=never_runs)
    client = TestClient(create_app(settings, queue=queue))
    response = client.post("/webhooks/gitlab", content=body("note_by_bot"), headers=headers("Note Hook"))
    assert response.status_code == 200
    assert queued_requests(queue) == []


def test_newer_push_becomes_the_wanted_head(client: TestClient, queue: ReviewQueue) -> None:
    client.post("/webhooks/gitlab", content=body("merge_request_open"), headers=headers())
    client.post("/webhooks/gitlab", content=body("merge_request_update_commits"), headers=headers())
    wanted = queue.store.wanted(42, 17)
    assert wanted is not None and wanted.head_sha == "b83d6e391c22777fca1ed3012fce84f633d7fed0"


def test_healthz_reports_the_queue(client: TestClient) -> None:
    client.post("/webhooks/gitlab", content=body("merge_request_open"), headers=headers())
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "pending": 1}


def test_healthz_is_503_when_the_store_is_gone(client: TestClient, queue: ReviewQueue) -> None:
    queue.store.close()
    assert client.get("/healthz").status_code == 503


def test_store_outage_is_503_so_gitlab_retries(client: TestClient, queue: ReviewQueue) -> None:
    queue.store.close()
    response = client.post("/webhooks/gitlab", content=body("merge_request_open"), headers=headers())
    assert response.status_code == 503


def test_metrics_count_webhook_outcomes(client: TestClient) -> None:
    client.post("/webhooks/gitlab", content=body("merge_request_open"), headers=headers(token="nope"))
    text = client.get("/metrics").text
    assert 'synbot_webhook_events_total{kind="Merge Request Hook",outcome="unauthorized"}' in text
    assert "synbot_webhook_ack_seconds_count" in text


def test_one_event_uuid_shared_by_hooks_of_two_mrs_queues_both(
    client: TestClient, queue: ReviewQueue
) -> None:
    other = json.loads(body("merge_request_open"))
    other["object_attributes"]["iid"] = 18
    shared = headers(**{"X-Gitlab-Event-UUID": "one-push"})
    client.post("/webhooks/gitlab", content=body("merge_request_open"), headers=shared)
    client.post("/webhooks/gitlab", content=json.dumps(other).encode(), headers=shared)
    assert len(queued_requests(queue)) == 2
