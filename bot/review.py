"""One review of one merge request: read -> check -> LLM -> plan -> apply -> summary -> status.

Each step is its own function; :func:`review_merge_request` only sequences them. A run is
idempotent: on the same head sha the plan is all "keep", the summary key is unchanged and the
status already final, so a second run only reads.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from bot import metrics
from bot.config import RepoConfig, Settings
from bot.gitlab_port import (
    CommitStatus,
    DiffRefs,
    GitLabNotFound,
    GitLabPort,
    Note,
    PositionRejected,
    StatusState,
    User,
)
from bot.llm.engine import LLMEngine
from bot.llm.run import validate_by_kind, with_engine_from
from bot.llm.validator import LLMReport
from bot.mr_files import read_changes, read_config
from bot.pipeline import Checked, Placement, Snapshot, check_options, place_findings
from bot.repo_analyzer import check_changes, repo_analyzer
from bot.summary import Summary, parse_state, render_summary, status_description
from bot.threads import ActionKind, Plan, WantedThread, plan_threads
from synonyms.analysis import Analyzer
from synonyms.checks import CheckOptions
from synonyms.findings import Finding, Severity
from synonyms.parser import split_lines

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReviewResult:
    head_sha: str
    superseded: bool = False
    findings: tuple[Finding, ...] = ()
    created: int = 0
    edited: int = 0
    resolved: int = 0
    reopened: int = 0
    summary_only: int = 0
    rejected: int = 0
    applied: int = 0
    state: str = ""


async def run_llm(
    checked: Checked, *, engine: LLMEngine | None, analyzer: Analyzer, options: CheckOptions
) -> LLMReport:
    """LLM findings for the rules the checks left open; a provider outage is a notice, not a failure."""
    if engine is None:
        return LLMReport.disabled()
    return await validate_by_kind(
        checked.rules, deterministic=checked.findings, engine=engine, analyzer=analyzer, options=options
    )


async def run_llm_with_settings(
    checked: Checked, *, settings: Settings, analyzer: Analyzer, options: CheckOptions
) -> LLMReport:
    """:func:`run_llm` with an engine built from ``settings`` for this run only (``synbot review``)."""
    return await with_engine_from(
        settings, lambda engine: run_llm(checked, engine=engine, analyzer=analyzer, options=options)
    )


async def apply_plan(
    gitlab: GitLabPort, project_id: int, mr_iid: int, *, plan: Plan, refs: DiffRefs
) -> list[WantedThread]:
    """Execute the plan: new threads as drafts published in one call; returns the refused ones."""
    refused: list[WantedThread] = []
    drafts = True
    created = 0
    for action in plan.of(ActionKind.CREATE):
        assert action.wanted is not None
        wanted = action.wanted
        try:
            if drafts:
                await gitlab.create_draft_note(
                    project_id, mr_iid, body=wanted.body, position=wanted.position, refs=refs
                )
            else:
                await gitlab.create_thread(
                    project_id, mr_iid, body=wanted.body, position=wanted.position, refs=refs
                )
            created += 1
        except PositionRejected:
            log.warning("position refused: %s:%s", wanted.finding.path, wanted.finding.line)
            refused.append(wanted)
        except GitLabNotFound:  # no draft notes API (old GitLab): one thread a call
            drafts = False
            await gitlab.create_thread(
                project_id, mr_iid, body=wanted.body, position=wanted.position, refs=refs
            )
            created += 1
    if drafts and created:
        await gitlab.bulk_publish_drafts(project_id, mr_iid)
    for action in plan.actions:
        thread = action.thread
        if thread is None or action.kind in (ActionKind.CREATE, ActionKind.KEEP):
            continue
        if action.wanted is not None and action.wanted.body != thread.body:
            await gitlab.edit_note(
                project_id,
                mr_iid,
                discussion_id=thread.discussion_id,
                note_id=thread.note_id,
                body=action.wanted.body,
            )
        if action.kind is ActionKind.RESOLVE or action.kind is ActionKind.REOPEN:
            resolved = action.kind is ActionKind.RESOLVE
            await gitlab.resolve_thread(
                project_id, mr_iid, discussion_id=thread.discussion_id, resolved=resolved
            )
    return refused


async def write_summary(
    gitlab: GitLabPort, project_id: int, mr_iid: int, summary: Summary, *, existing: Note | None
) -> None:
    """Create the summary note, or edit it in place when what it reports changed."""
    body = render_summary(summary)
    if existing is None:
        await gitlab.create_summary(project_id, mr_iid, body)
    elif parse_state(existing.body).key != summary.key:
        await gitlab.edit_summary(project_id, mr_iid, note_id=existing.note_id, body=body)


def final_status(standing: Sequence[Finding], language: str) -> tuple[StatusState, str]:
    errors = sum(1 for f in standing if f.severity is Severity.ERROR)
    warnings = sum(1 for f in standing if f.severity is Severity.WARNING)
    return ("failed" if errors else "success"), status_description(errors, warnings, language)


def _count_metrics(findings: Sequence[Finding], plan: Plan, newly_rejected: int) -> None:
    for finding in findings:
        metrics.FINDINGS.labels(finding.code, finding.severity.value).inc()
    posted = sum(1 for a in plan.of(ActionKind.CREATE) if a.wanted and a.wanted.suggestion is not None)
    metrics.SUGGESTIONS.labels("posted").inc(posted)
    metrics.SUGGESTIONS.labels("applied").inc(len(plan.applied))
    metrics.SUGGESTIONS.labels("rejected").inc(newly_rejected)


async def begin(
    gitlab: GitLabPort, project_id: int, mr_iid: int, head_sha: str, where: str
) -> tuple[DiffRefs, User, CommitStatus | None] | None:
    """Latest SHAs, bot user, current status; ``None`` when the MR moved past ``head_sha``.

    Also deletes the bot's draft notes a killed run left, so the bulk publish only sends this run's.
    """
    refs = await gitlab.mr_versions(project_id, mr_iid)
    if refs.head_sha != head_sha:
        log.info("superseded by %s: %s", refs.head_sha[:12], where)
        return None
    me = await gitlab.current_user()
    status = await gitlab.get_status(project_id, head_sha)
    if status is None:
        await gitlab.set_status(project_id, head_sha, state="running", description="synbot: проверка…")
    if leftovers := await gitlab.discard_drafts(project_id, mr_iid):
        log.warning("discarded %d draft notes left by an interrupted review: %s", leftovers, where)
    return refs, me, status


def build_summary(
    *,
    head_sha: str,
    snapshot: Snapshot,
    checked: Checked,
    findings: Sequence[Finding],
    placement: Placement,
    plan: Plan,
    refused: Sequence[WantedThread],
    report: LLMReport,
    config: RepoConfig,
    notices: Sequence[str],
    elapsed_s: float,
) -> Summary:
    not_posted = [
        *placement.not_posted,
        *((w.finding, "cap") for w in plan.overflow),
        *((w.finding, "position") for w in refused),
    ]
    return Summary(
        head_sha=head_sha,
        findings=[*findings, *checked.removed],
        lines_checked=checked.lines_checked,
        bad_lines=checked.bad_lines,
        files_checked=len(snapshot.diffs),
        language=config.language,
        not_posted=not_posted,
        rejected=plan.rejected,
        rejected_count=len(plan.rejected),
        notices=notices,
        llm_line=report.summary(config.language),
        elapsed_s=elapsed_s,
    )


async def finish_status(
    gitlab: GitLabPort,
    project_id: int,
    head_sha: str,
    *,
    standing: Sequence[Finding],
    current: CommitStatus | None,
    language: str,
) -> str:
    """The final status, posted only when it differs from the one the sha already has."""
    state, description = final_status(standing, language)
    if current is None or (current.state, current.description) != (state, description):
        await gitlab.set_status(project_id, head_sha, state=state, description=description)
    return state


async def review_merge_request(
    *,
    project_id: int,
    mr_iid: int,
    head_sha: str,
    gitlab: GitLabPort,
    settings: Settings,
    llm: LLMEngine | None,
) -> ReviewResult:
    """Review ``head_sha`` of the MR; stop early when the MR has moved on (a newer job will come)."""
    started = time.monotonic()
    where = f"project={project_id} mr={mr_iid} sha={head_sha[:12]}"
    begun = await begin(gitlab, project_id, mr_iid, head_sha, where)
    if begun is None:
        return ReviewResult(head_sha=head_sha, superseded=True)
    refs, me, status = begun
    config, notices = await read_config(gitlab, project_id, head_sha)
    changes = await read_changes(gitlab, project_id, mr_iid, refs=refs, config=config)
    with repo_analyzer(config) as chosen:
        snapshot, checked, analyzer = await check_changes(
            changes, analyzer=chosen, config=config, notices=notices
        )
        report = await run_llm(checked, engine=llm, analyzer=analyzer, options=check_options(config))
        findings = [*checked.findings, *report.findings]
        placement = await asyncio.to_thread(
            place_findings, findings, checked.removed, snapshot, analyzer=analyzer, language=config.language
        )
    return await publish(
        gitlab,
        project_id,
        mr_iid,
        Review(head_sha, refs, me, status, config, notices, snapshot, checked, report, findings, placement),
        settings=settings,
        started=started,
        where=where,
    )


@dataclass(frozen=True)
class Review:
    """What one run found, before anything is written to GitLab."""

    head_sha: str
    refs: DiffRefs
    me: User
    status: CommitStatus | None
    config: RepoConfig
    notices: list[str]
    snapshot: Snapshot
    checked: Checked
    report: LLMReport
    findings: list[Finding]
    placement: Placement


async def publish(
    gitlab: GitLabPort,
    project_id: int,
    mr_iid: int,
    review: Review,
    *,
    settings: Settings,
    started: float,
    where: str,
) -> ReviewResult:
    """Plan threads against what is there, apply, write the summary and the status."""
    config, snapshot, placement = review.config, review.snapshot, review.placement
    summary_note = await gitlab.find_summary(project_id, mr_iid)
    previous = parse_state(summary_note.body if summary_note else "")
    plan = plan_threads(
        placement.wanted,
        await gitlab.bot_threads(project_id, mr_iid),
        bot_user_id=review.me.id,
        rejected=previous.rejected,
        file_lines={path: split_lines(text) for path, text in snapshot.texts.items() if text is not None},
        max_threads=settings.max_threads,
    )
    refused = await apply_plan(gitlab, project_id, mr_iid, plan=plan, refs=review.refs)
    _count_metrics(review.findings, plan, len(plan.rejected - previous.rejected))
    summary = build_summary(
        head_sha=review.head_sha,
        snapshot=snapshot,
        checked=review.checked,
        findings=review.findings,
        placement=placement,
        plan=plan,
        refused=refused,
        report=review.report,
        config=config,
        notices=review.notices,
        elapsed_s=time.monotonic() - started,
    )
    await write_summary(gitlab, project_id, mr_iid, summary, existing=summary_note)
    standing = [w.finding for w in placement.wanted if w.fp not in plan.rejected]
    standing += [f for f, _ in placement.not_posted]
    state = await finish_status(
        gitlab,
        project_id,
        review.head_sha,
        standing=standing,
        current=review.status,
        language=config.language,
    )
    log.info("review written (%s), %d findings: %s", state, len(summary.findings), where)
    return ReviewResult(
        head_sha=review.head_sha,
        findings=tuple(summary.findings),
        created=len(plan.of(ActionKind.CREATE)) - len(refused),
        edited=len(plan.of(ActionKind.EDIT)),
        resolved=len(plan.of(ActionKind.RESOLVE)),
        reopened=len(plan.of(ActionKind.REOPEN)),
        summary_only=len(summary.not_posted),
        rejected=len(plan.rejected),
        applied=len(plan.applied),
        state=state,
    )
