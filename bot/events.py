"""Typed models of the GitLab webhook payloads synbot reacts to.

Only the fields synbot reads are modelled; everything else in the payload is ignored, so a new
GitLab version adding fields never breaks parsing. Actions are ``Literal``: ``parse_event`` answers
``None`` for an action synbot does not know (acknowledged and ignored) instead of a validation error,
because a 4xx for a payload we merely ignore would count as a failing hook on GitLab's side.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MERGE_REQUEST_HOOK = "Merge Request Hook"
NOTE_HOOK = "Note Hook"

MergeRequestAction = Literal[
    "open", "close", "reopen", "update", "merge", "approved", "unapproved", "approval", "unapproval"
]
NoteAction = Literal["create", "update"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class User(_Model):
    id: int
    username: str = ""


class Project(_Model):
    id: int
    path_with_namespace: str = ""


class Commit(_Model):
    id: str = Field(min_length=1)


class BoolChange(_Model):
    previous: bool | None = None
    current: bool | None = None


class MergeRequestChanges(_Model):
    draft: BoolChange | None = None


class MergeRequestAttributes(_Model):
    iid: int
    action: MergeRequestAction
    oldrev: str | None = None
    last_commit: Commit
    draft: bool = False


class MergeRequestEvent(_Model):
    """``X-Gitlab-Event: Merge Request Hook``."""

    object_kind: Literal["merge_request"]
    user: User
    project: Project
    object_attributes: MergeRequestAttributes
    changes: MergeRequestChanges = MergeRequestChanges()

    @property
    def action(self) -> MergeRequestAction:
        return self.object_attributes.action

    @property
    def brings_commits(self) -> bool:
        """An ``update`` with new commits carries ``oldrev``; title or label edits do not."""
        return bool(self.object_attributes.oldrev)

    @property
    def became_ready(self) -> bool:
        """Draft → ready shows up as an ``update`` whose ``changes.draft`` goes from true to false."""
        draft = self.changes.draft
        return draft is not None and draft.previous is True and draft.current is False


class NoteAttributes(_Model):
    note: str
    noteable_type: str
    action: NoteAction = "create"  # older GitLab versions send no action: notes were create-only


class NoteMergeRequest(_Model):
    iid: int
    last_commit: Commit


class NoteEvent(_Model):
    """``X-Gitlab-Event: Note Hook``; ``merge_request`` is present for notes on merge requests."""

    object_kind: Literal["note"]
    user: User
    project: Project
    object_attributes: NoteAttributes
    merge_request: NoteMergeRequest | None = None

    @property
    def action(self) -> NoteAction:
        return self.object_attributes.action


Event = MergeRequestEvent | NoteEvent

_MODELS: dict[str, tuple[type[MergeRequestEvent] | type[NoteEvent], tuple[str, ...]]] = {
    MERGE_REQUEST_HOOK: (MergeRequestEvent, get_args(MergeRequestAction)),
    NOTE_HOOK: (NoteEvent, get_args(NoteAction)),
}


class MalformedEvent(ValueError):
    """The body of a known event kind does not match its model (answered with 400)."""


def known_kinds() -> tuple[str, ...]:
    return tuple(_MODELS)


def parse_event(kind: str, payload: Any) -> Event | None:
    """The typed event, or ``None`` for a kind or action synbot ignores.

    Raises ``MalformedEvent`` when a known kind's body lacks a field synbot needs.
    """
    entry = _MODELS.get(kind)
    if entry is None:
        return None
    model, actions = entry
    if not isinstance(payload, dict):
        raise MalformedEvent(f"{kind}: the body is not a JSON object")
    attributes = payload.get("object_attributes")
    if isinstance(attributes, dict) and "action" in attributes and attributes["action"] not in actions:
        return None
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise MalformedEvent(f"{kind}: {exc.error_count()} invalid field(s)") from exc
