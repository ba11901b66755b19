"""Wiring of the review service for ``synbot serve`` and ``synbot worker``: settings in, queue out.

Everything is built here from the ``Settings`` handed in (never read from the environment), and the
collaborators (GitLab port, LLM engine factory, review function) are parameters so tests can give
the stand-ins.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from bot.config import Settings
from bot.gitlab_port import GitLabError, GitLabPort, GitLabUnavailable
from bot.hooks import BotIdentity, ReviewRequest
from bot.jobs import ReviewQueue, ReviewRunner, build_huey, build_store, queue_options
from bot.llm.engine import LLMEngine
from bot.reconciler import is_final, reconcile

log = logging.getLogger(__name__)


class ReviewFunction(Protocol):
    """``bot.review.review_merge_request``'s signature."""

    async def __call__(
        self,
        *,
        project_id: int,
        mr_iid: int,
        head_sha: str,
        gitlab: GitLabPort,
        settings: Settings,
        llm: LLMEngine | None,
    ) -> object: ...


EngineFactory = Callable[[Settings], LLMEngine | None]


def review_runner(
    settings: Settings, *, gitlab: GitLabPort, review: ReviewFunction, engine_factory: EngineFactory
) -> ReviewRunner:
    """One job's work: skip a sha already reviewed (unless forced), else review it.

    The LLM engine is built per job because its HTTP client belongs to the job's event loop.
    """

    async def run(request: ReviewRequest) -> None:
        if not request.forced:
            status = await gitlab.get_status(request.project_id, request.head_sha)
            if is_final(status):
                log.info(
                    "already reviewed: project=%s mr=%s sha=%s",
                    request.project_id,
                    request.mr_iid,
                    request.head_sha[:12],
                )
                return
        engine = engine_factory(settings)
        try:
            await review(
                project_id=request.project_id,
                mr_iid=request.mr_iid,
                head_sha=request.head_sha,
                gitlab=gitlab,
                settings=settings,
                llm=engine,
            )
        finally:
            if engine is not None:
                await engine.aclose()

    return run


def build_review_queue(
    settings: Settings, *, gitlab: GitLabPort, review: ReviewFunction, engine_factory: EngineFactory
) -> ReviewQueue:
    """The queue with its runner and reconciler (settings.projects plus the projects seen)."""
    store = build_store(settings)
    runner = review_runner(settings, gitlab=gitlab, review=review, engine_factory=engine_factory)

    async def reconcile_known() -> int:
        projects = set(settings.projects) | store.projects()
        return await reconcile(gitlab, projects=projects, requeue=queue.requeue)

    queue = ReviewQueue(
        build_huey(settings),
        store,
        runner=runner,
        reconcile=reconcile_known,
        retry_on=(GitLabUnavailable,),
        options=queue_options(settings),
    )
    return queue


async def bot_identity(settings: Settings, gitlab: GitLabPort) -> BotIdentity:
    """The bot user from the settings, else GitLab's current user (asked once at start)."""
    if settings.bot_user_id is not None or settings.bot_username:
        return BotIdentity(user_id=settings.bot_user_id, username=settings.bot_username)
    try:
        user = await gitlab.current_user()
    except GitLabError as exc:
        log.warning("cannot ask GitLab for the bot user (%s): set SYNBOT_BOT_USER_ID", type(exc).__name__)
        return BotIdentity()
    log.info("bot user is %s (id %s)", user.username, user.id)
    return BotIdentity(user_id=user.id, username=user.username)


def build_production_queue(settings: Settings) -> tuple[ReviewQueue, GitLabPort]:
    """The real collaborators: python-gitlab adapter, the configured LLM engine, the review."""
    from bot.gitlab import build_gitlab
    from bot.llm.factory import build_engine
    from bot.review import review_merge_request

    gitlab = build_gitlab(settings)
    queue = build_review_queue(
        settings, gitlab=gitlab, review=review_merge_request, engine_factory=build_engine
    )
    return queue, gitlab
