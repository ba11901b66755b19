"""``synbot propose``: mined candidates -> validated lines -> one branch, one commit, one MR.

Steps, each its own function: read the dictionary at the target branch's head (the target
file and every other dictionary file ``.synbot.yml`` names), screen the candidates (pure,
``synonyms.screening``), let the LLM veto accepted lines when one is configured, then write:
the branch ``synbot/mined/<stem>`` is reset to the target head with one commit (the commits
API with ``force``), and the open MR from that branch is updated instead of opening another.
A run that would write what is already there writes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import PurePosixPath

from bot.config import RepoConfig, RepoConfigError, parse_repo_config
from bot.files import kind_from_path
from bot.gitlab_port import GitLabError, MergeRequestInfo, MiningPort, ProjectInfo
from bot.llm.engine import LLMEngine
from bot.llm.errors import LLMError
from bot.llm.validator import LLMReport, validate_rules
from bot.mining_report import merge_request_description, merge_request_title, unified_diff
from bot.pipeline import check_options
from synonyms.analysis import Analyzer, get_analyzer
from synonyms.candidates import Candidate
from synonyms.findings import Severity
from synonyms.parser import parse
from synonyms.rules import Dictionary
from synonyms.screening import Rejection, Screening, Target, screen

log = logging.getLogger(__name__)
CONFIG_PATH = ".synbot.yml"
DEFAULT_LABEL = "mined"
_HEADER = {
    "ru": "# --- synbot: кандидаты из поиска, {day} ---",
    "en": "# --- synbot: mined from search, {day} ---",
}


class MiningError(Exception):
    """The run cannot start: unknown project or branch, a target that is not a text file, a broken config."""


@dataclass(frozen=True, slots=True)
class ProposeRequest:
    """What the command line asked for."""

    project: str
    target_file: str
    target_branch: str | None = None
    branch: str | None = None
    label: str = DEFAULT_LABEL
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class Proposal:
    """Everything ``propose`` prints; ``merge_request`` is ``None`` when nothing was opened or updated."""

    screening: Screening
    title: str
    description: str
    diff: str
    branch: str
    target_branch: str
    merge_request: MergeRequestInfo | None = None
    committed: bool = False
    llm: LLMReport | None = None

    def to_json(self) -> dict[str, object]:
        """The object pinned in DESIGN.md."""
        return {
            "accepted": [{"rule": a.candidate.rule, "line": a.line} for a in self.screening.accepted],
            "rejected": [
                {"rule": r.candidate.rule, "code": r.code, "reason": r.reason}
                for r in self.screening.rejected
            ],
            "diff": self.diff,
            "description": self.description,
            "merge_request": None
            if self.merge_request is None
            else {"iid": self.merge_request.iid, "web_url": self.merge_request.web_url},
        }


def default_branch(target_file: str) -> str:
    return f"synbot/mined/{PurePosixPath(target_file).stem}"


@dataclass(frozen=True, slots=True)
class _Snapshot:
    project: ProjectInfo
    target_branch: str
    head_sha: str
    config: RepoConfig
    text: str | None  # the target file; ``None``: it does not exist yet
    others: Sequence[Dictionary]


async def read_dictionary(gitlab: MiningPort, request: ProposeRequest) -> _Snapshot:
    """The target file and the rest of the dictionary at the target branch's head."""
    project = await gitlab.project(request.project)
    target_branch = request.target_branch or project.default_branch
    head = await gitlab.branch_head(project.id, target_branch)
    if head is None:
        raise MiningError(f"project {project.path}: no branch {target_branch!r}")
    try:
        config = parse_repo_config(await gitlab.file_at(project.id, CONFIG_PATH, head))
    except RepoConfigError as exc:
        raise MiningError(str(exc)) from exc
    analyzer = get_analyzer(config.analyzer)
    text = await gitlab.file_at(project.id, request.target_file, head)
    others = []
    for file in await gitlab.list_files(project.id, head):
        kind = config.kind_of(file.path)
        if kind is None or file.path == request.target_file:
            continue
        other = await gitlab.file_at(project.id, file.path, head)
        if other is not None:
            others.append(parse(other, analyzer=analyzer, path=file.path, kind=kind))
    log.info(
        "read %s@%s: %s (%s), %d other dictionary files",
        project.path,
        head[:12],
        request.target_file,
        "new" if text is None else f"{len(text)} chars",
        len(others),
    )
    return _Snapshot(project, target_branch, head, config, text, others)


def screen_snapshot(
    candidates: Sequence[Candidate],
    snapshot: _Snapshot,
    *,
    target_file: str,
    analyzer: Analyzer,
    today: date,
    vetoes: dict[int, Rejection] | None = None,
) -> Screening:
    config = snapshot.config
    kind = config.kind_of(target_file) or kind_from_path(target_file)
    header = _HEADER["en" if config.language == "en" else "ru"].format(day=today.isoformat())
    return screen(
        candidates,
        target=Target(target_file, kind, snapshot.text or "", snapshot.others),
        analyzer=analyzer,
        options=check_options(config),
        header=header,
        vetoes=vetoes,
    )


async def llm_vetoes(
    screening: Screening, *, engine: LLMEngine, analyzer: Analyzer, config: RepoConfig
) -> tuple[dict[int, Rejection], LLMReport]:
    """The LLM's errors and warnings on accepted lines, as rejections of the candidates on them."""
    try:
        report = await validate_rules(
            screening.rules,
            kind=screening.kind,
            deterministic=[],
            engine=engine,
            analyzer=analyzer,
            options=check_options(config),
        )
    except LLMError as exc:
        log.warning("LLM failed: %s", type(exc).__name__)
        return {}, LLMReport(available=False, status=f"unavailable: {type(exc).__name__}")
    vetoes: dict[int, Rejection] = {}
    for finding in report.findings:
        if finding.severity not in (Severity.ERROR, Severity.WARNING):
            continue
        for accepted in screening.accepted:
            if accepted.line == finding.line:
                vetoes[accepted.candidate.line] = Rejection(accepted.candidate, finding.code, finding.message)
    return vetoes, report


async def propose(
    candidates: Sequence[Candidate],
    *,
    request: ProposeRequest,
    gitlab: MiningPort,
    llm: LLMEngine | None = None,
    today: date | None = None,
) -> Proposal:
    """Screen the candidates against the dictionary at the target branch and open or update the MR."""
    snapshot = await read_dictionary(gitlab, request)
    analyzer = get_analyzer(snapshot.config.analyzer)
    day = today or date.today()
    screening = screen_snapshot(
        candidates, snapshot, target_file=request.target_file, analyzer=analyzer, today=day
    )
    report: LLMReport | None = None
    if llm is not None and screening.rules:
        vetoes, report = await llm_vetoes(screening, engine=llm, analyzer=analyzer, config=snapshot.config)
        if vetoes:
            screening = screen_snapshot(
                candidates,
                snapshot,
                target_file=request.target_file,
                analyzer=analyzer,
                today=day,
                vetoes=vetoes,
            )
    language = snapshot.config.language
    proposal = Proposal(
        screening=screening,
        title=merge_request_title(screening, language=language),
        description=merge_request_description(
            screening,
            language=language,
            target_branch=snapshot.target_branch,
            llm_line=report.summary(language) if report is not None else "",
        ),
        diff=unified_diff(screening),
        branch=request.branch or default_branch(request.target_file),
        target_branch=snapshot.target_branch,
        llm=report,
    )
    if request.dry_run or not screening.changed:
        log.info("nothing written (%s)", "dry run" if request.dry_run else "no accepted candidates")
        return proposal
    return await write_proposal(gitlab, proposal, snapshot=snapshot, request=request)


async def write_proposal(
    gitlab: MiningPort, proposal: Proposal, *, snapshot: _Snapshot, request: ProposeRequest
) -> Proposal:
    """Reset the branch to the target head with one commit (unless it holds exactly that), then the MR."""
    project_id, branch = snapshot.project.id, proposal.branch
    existing = await gitlab.find_open_mr(project_id, source_branch=branch)
    committed = False
    if not await _already_written(gitlab, proposal, snapshot=snapshot, existing=existing):
        await gitlab.commit_file(
            project_id,
            branch=branch,
            start_sha=snapshot.head_sha,
            path=proposal.screening.path,
            content=proposal.screening.new_text,
            create=snapshot.text is None,
            message=proposal.title,
        )
        committed = True
    labels = (request.label,) if request.label else ()
    if existing is None:
        mr = await gitlab.create_mr(
            project_id,
            source_branch=branch,
            target_branch=snapshot.target_branch,
            title=proposal.title,
            description=proposal.description,
            labels=labels,
        )
        log.info("opened !%d from %s", mr.iid, branch)
    elif (existing.title, existing.description) != (proposal.title, proposal.description) or not set(
        labels
    ) <= set(existing.labels):
        merged_labels = tuple(dict.fromkeys([*existing.labels, *labels]))
        mr = await gitlab.update_mr(
            project_id,
            existing.iid,
            title=proposal.title,
            description=proposal.description,
            labels=merged_labels,
        )
        log.info("updated !%d from %s", mr.iid, branch)
    else:
        mr = existing
    return replace(proposal, merge_request=mr, committed=committed)


async def _already_written(
    gitlab: MiningPort, proposal: Proposal, *, snapshot: _Snapshot, existing: MergeRequestInfo | None
) -> bool:
    """The open MR's branch already holds exactly this text on top of the current target head."""
    if existing is None or existing.target_branch != snapshot.target_branch:
        return False
    branch_head = await gitlab.branch_head(snapshot.project.id, proposal.branch)
    if branch_head is None:
        return False
    on_branch = await gitlab.file_at(snapshot.project.id, proposal.screening.path, branch_head)
    if on_branch != proposal.screening.new_text:
        return False
    return await gitlab.commit_parents(snapshot.project.id, branch_head) == (snapshot.head_sha,)


__all__ = ["GitLabError", "MiningError", "Proposal", "ProposeRequest", "default_branch", "propose"]
