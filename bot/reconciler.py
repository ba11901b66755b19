"""The reconciler: queue every open MR whose head sha has no final synbot status.

It runs at start and periodically, so a review is not lost when the service was down, a hook
delivery failed, or a worker died mid-job (huey pops a job at most once).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Protocol

from bot.gitlab_port import STATUS_NAME, CommitStatus, GitLabError, MergeRequestRef
from bot.hooks import ReviewRequest

log = logging.getLogger(__name__)

FINAL_STATES = frozenset({"success", "failed"})


class OpenMergeRequests(Protocol):
    """The part of the GitLab port the reconciler reads."""

    async def list_open_mrs(self, project_id: int) -> list[MergeRequestRef]: ...

    async def get_status(self, project_id: int, sha: str, name: str = STATUS_NAME) -> CommitStatus | None: ...


def is_final(status: CommitStatus | None) -> bool:
    return status is not None and status.state in FINAL_STATES


async def reconcile(
    gitlab: OpenMergeRequests,
    *,
    projects: Iterable[int],
    requeue: Callable[[ReviewRequest], None],
    status_name: str = STATUS_NAME,
) -> int:
    """Queue the open MRs without a final status; answers how many were queued.

    A project GitLab cannot list is logged and skipped: the next run tries again.
    """
    queued = 0
    for project_id in sorted(set(projects)):
        try:
            open_mrs = await gitlab.list_open_mrs(project_id)
        except GitLabError as exc:
            log.warning("reconcile: cannot list MRs of project=%s: %s", project_id, type(exc).__name__)
            continue
        for mr in open_mrs:
            try:
                status = await gitlab.get_status(project_id, mr.head_sha, status_name)
            except GitLabError as exc:
                log.warning(
                    "reconcile: no status for project=%s mr=%s: %s", project_id, mr.iid, type(exc).__name__
                )
                continue
            if is_final(status):
                continue
            log.info("reconcile: queue project=%s mr=%s sha=%s", project_id, mr.iid, mr.head_sha[:12])
            requeue(ReviewRequest(project_id=project_id, mr_iid=mr.iid, head_sha=mr.head_sha))
            queued += 1
    return queued
