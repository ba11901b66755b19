"""Webhook payload models and the routing table, on captured-style sample bodies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.events import (
    MERGE_REQUEST_HOOK,
    NOTE_HOOK,
    MalformedEvent,
    MergeRequestEvent,
    NoteEvent,
    parse_event,
)
from bot.hooks import BotIdentity, Ignored, ReviewRequest, RouteContext, router

SAMPLES = Path(__file__).parent.parent / "samples" / "webhooks"
OPEN_SHA = "da1560886d4f094c3e6c9ef40349f7d38b5d27d7"
PUSHED_SHA = "b83d6e391c22777fca1ed3012fce84f633d7fed0"


def sample(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def decide(kind: str, name: str, context: RouteContext | None = None) -> ReviewRequest | Ignored:
    event = parse_event(kind, sample(name))
    assert event is not None
    return router.dispatch(event, context or RouteContext())


def test_merge_request_open_parses_into_the_typed_model() -> None:
    event = parse_event(MERGE_REQUEST_HOOK, sample("merge_request_open"))
    assert isinstance(event, MergeRequestEvent)
    assert (event.project.id, event.object_attributes.iid, event.action) == (42, 17, "open")


def test_opened_merge_request_is_reviewed_at_its_last_commit() -> None:
    assert decide(MERGE_REQUEST_HOOK, "merge_request_open") == ReviewRequest(42, 17, OPEN_SHA)


def test_update_with_oldrev_is_reviewed_at_the_new_head() -> None:
    assert decide(MERGE_REQUEST_HOOK, "merge_request_update_commits") == ReviewRequest(42, 17, PUSHED_SHA)


def test_update_without_oldrev_is_ignored() -> None:
    decision = decide(MERGE_REQUEST_HOOK, "merge_request_update_title")
    assert isinstance(decision, Ignored)


def test_draft_to_ready_update_is_reviewed() -> None:
    assert isinstance(decide(MERGE_REQUEST_HOOK, "merge_request_draft_to_ready"), ReviewRequest)


def test_approval_is_ignored() -> None:
    assert isinstance(decide(MERGE_REQUEST_HOOK, "merge_request_approved"), Ignored)


def test_reopen_is_reviewed() -> None:
    body = sample("merge_request_open")
    body["object_attributes"]["action"] = "reopen"
    event = parse_event(MERGE_REQUEST_HOOK, body)
    assert event is not None
    assert router.dispatch(event, RouteContext()) == ReviewRequest(42, 17, OPEN_SHA)


def test_recheck_command_forces_a_review_of_the_mr_head() -> None:
    assert decide(NOTE_HOOK, "note_recheck") == ReviewRequest(42, 17, PUSHED_SHA, forced=True)


def test_note_without_command_is_ignored() -> None:
    assert isinstance(decide(NOTE_HOOK, "note_plain"), Ignored)


@pytest.mark.parametrize(
    "identity", [BotIdentity(user_id=99), BotIdentity(username="PROJECT_42_BOT_5F1A")], ids=["id", "username"]
)
def test_the_bots_own_note_is_ignored_even_when_it_quotes_the_command(identity: BotIdentity) -> None:
    decision = decide(NOTE_HOOK, "note_by_bot", RouteContext(identity=identity))
    assert isinstance(decision, Ignored)


def test_a_note_by_someone_else_is_not_taken_for_the_bots() -> None:
    decision = decide(NOTE_HOOK, "note_recheck", RouteContext(identity=BotIdentity(user_id=99)))
    assert isinstance(decision, ReviewRequest)


def test_note_on_an_issue_is_ignored() -> None:
    body = sample("note_recheck")
    body["object_attributes"]["noteable_type"] = "Issue"
    del body["merge_request"]
    event = parse_event(NOTE_HOOK, body)
    assert isinstance(event, NoteEvent)
    assert isinstance(router.dispatch(event, RouteContext()), Ignored)


def test_project_outside_the_allowlist_is_ignored() -> None:
    decision = decide(
        MERGE_REQUEST_HOOK, "merge_request_open", RouteContext(project_allowlist=frozenset({1}))
    )
    assert isinstance(decision, Ignored) and decision.outcome == "not_allowed"


def test_unknown_event_kind_parses_to_nothing() -> None:
    assert parse_event("Pipeline Hook", {"object_kind": "pipeline"}) is None


def test_unknown_action_parses_to_nothing_rather_than_an_error() -> None:
    body = sample("merge_request_open")
    body["object_attributes"]["action"] = "some_future_action"
    assert parse_event(MERGE_REQUEST_HOOK, body) is None


def test_note_without_action_is_a_creation_as_in_older_gitlab() -> None:
    body = sample("note_recheck")
    del body["object_attributes"]["action"]
    event = parse_event(NOTE_HOOK, body)
    assert event is not None and event.action == "create"


@pytest.mark.parametrize("missing", ["project", "object_attributes", "user"])
def test_known_kind_without_a_needed_field_is_malformed(missing: str) -> None:
    body = sample("merge_request_open")
    del body[missing]
    with pytest.raises(MalformedEvent):
        parse_event(MERGE_REQUEST_HOOK, body)


def test_body_that_is_not_an_object_is_malformed() -> None:
    with pytest.raises(MalformedEvent):
        parse_event(NOTE_HOOK, ["not", "an", "object"])


def test_every_route_is_listed_by_the_table() -> None:
    routes = {(model.__name__, action) for model, action in router.routes()}
    assert routes == {
        ("MergeRequestEvent", "open"),
        ("MergeRequestEvent", "reopen"),
        ("MergeRequestEvent", "update"),
        ("NoteEvent", "create"),
    }
