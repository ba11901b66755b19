"""Webhook routing: a typed event in, a decision out (review this head sha, or ignore and why).

Sans-I/O like gidgetlab's router, but keyed by (event model, action) on typed models: the table can
be read and tested on its own, and the web layer never looks inside a payload.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.events import Event, MergeRequestEvent, NoteEvent, User

RECHECK_COMMAND = re.compile(r"^\s*/synbot\s+recheck\b", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class ReviewRequest:
    """What a job reviews: one head sha of one MR; ``forced`` reviews even a sha with a final status."""

    project_id: int
    mr_iid: int
    head_sha: str
    forced: bool = False


@dataclass(frozen=True)
class Ignored:
    reason: str
    outcome: str = "ignored"  # the metrics label: "ignored" or "not_allowed"


Decision = ReviewRequest | Ignored


@dataclass(frozen=True)
class BotIdentity:
    """The bot's own GitLab user, so its notes (which may quote commands) are ignored."""

    user_id: int | None = None
    username: str = ""

    def wrote(self, user: User) -> bool:
        if self.user_id is not None and user.id == self.user_id:
            return True
        return bool(self.username) and user.username.lower() == self.username.lower()


@dataclass(frozen=True)
class RouteContext:
    identity: BotIdentity = BotIdentity()
    project_allowlist: frozenset[int] = frozenset()  # empty: every project


E = TypeVar("E", MergeRequestEvent, NoteEvent)
Handler = Callable[[E, RouteContext], Decision]


@dataclass
class Router:
    """One table of handlers keyed by (event model, action)."""

    _table: dict[tuple[type[Any], str], Callable[[Any, RouteContext], Decision]] = field(default_factory=dict)

    def register(self, model: type[E], *actions: str) -> Callable[[Handler[E]], Handler[E]]:
        def decorator(handler: Handler[E]) -> Handler[E]:
            for action in actions:
                self._table[(model, action)] = handler
            return handler

        return decorator

    def routes(self) -> Iterable[tuple[type[Any], str]]:
        return self._table.keys()

    def dispatch(self, event: Event, context: RouteContext) -> Decision:
        if context.project_allowlist and event.project.id not in context.project_allowlist:
            return Ignored("project not in the allowlist", outcome="not_allowed")
        handler = self._table.get((type(event), event.action))
        if handler is None:
            return Ignored(f"no handler for {type(event).__name__} {event.action}")
        return handler(event, context)


router = Router()


def _review(event: MergeRequestEvent) -> ReviewRequest:
    attributes = event.object_attributes
    return ReviewRequest(
        project_id=event.project.id, mr_iid=attributes.iid, head_sha=attributes.last_commit.id
    )


@router.register(MergeRequestEvent, "open", "reopen")
def on_opened(event: MergeRequestEvent, context: RouteContext) -> Decision:
    return _review(event)


@router.register(MergeRequestEvent, "update")
def on_updated(event: MergeRequestEvent, context: RouteContext) -> Decision:
    if event.brings_commits or event.became_ready:
        return _review(event)
    return Ignored("update without new commits")


@router.register(NoteEvent, "create")
def on_note(event: NoteEvent, context: RouteContext) -> Decision:
    if context.identity.wrote(event.user):
        return Ignored("the bot's own note")
    if event.merge_request is None or event.object_attributes.noteable_type != "MergeRequest":
        return Ignored("note not on a merge request")
    if not RECHECK_COMMAND.search(event.object_attributes.note):
        return Ignored("note without a synbot command")
    mr = event.merge_request
    return ReviewRequest(project_id=event.project.id, mr_iid=mr.iid, head_sha=mr.last_commit.id, forced=True)
