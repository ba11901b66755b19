"""``synbot propose CANDIDATES``: validate mined candidates and open (or update) one MR with the good ones.

``miner --day 2024-05-01 | synbot propose - --project search/dictionaries --target-file typos/typos.txt``
reads GitLab (``SYNBOT_GITLAB_URL``, ``SYNBOT_GITLAB_TOKEN``), asks the LLM when
``SYNBOT_LLM_PROVIDER`` is set, and with ``--dry-run`` only prints the diff and the description.
Exit 0 when it ran (rejections included), 2 on bad usage, unreadable input or an unusable GitLab.
"""

from __future__ import annotations

import asyncio
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot.commands.options import EXIT_CLEAN, fail, stderr
from bot.commands.service_setup import load_settings
from bot.config import Settings
from bot.files import InputError, read_text
from synonyms.candidates import Candidate, CandidateError, parse_candidates

if TYPE_CHECKING:
    from bot.llm.engine import LLMEngine
    from bot.mining import Proposal, ProposeRequest

# bot.mining.DEFAULT_LABEL, not imported here: bot.mining loads python-gitlab's and the LLM's
# dependencies, which every other synbot command would then pay for at start-up.
DEFAULT_LABEL = "mined"


class ProposeFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def command(
    candidates: str = typer.Argument(..., help="JSON Lines (or TSV) of mined candidates, or - for stdin."),
    project: str = typer.Option(..., "--project", help="GitLab project id or path (group/name)."),
    target_file: str = typer.Option(..., "--target-file", help="Dictionary file the rules go into."),
    target_branch: str | None = typer.Option(
        None, "--target-branch", help="Branch to propose against (default: the project's default branch)."
    ),
    branch: str | None = typer.Option(
        None, "--branch", help="Source branch (default: synbot/mined/<target file stem>)."
    ),
    label: str = typer.Option(DEFAULT_LABEL, "--label", help="Label of the MR."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Read GitLab, write nothing: print diff and description."
    ),
    fmt: ProposeFormat = typer.Option(ProposeFormat.TEXT, "--format", "-f", help="What to print."),
) -> None:
    """Validate mined candidates and open (or update) a merge request with the valid ones."""
    from bot.gitlab import GitLabError
    from bot.mining import MiningError, ProposeRequest

    batch = _read_candidates(candidates)
    settings = load_settings()
    if not settings.gitlab_token.get_secret_value():
        fail("SYNBOT_GITLAB_TOKEN is empty: propose reads the dictionary from GitLab")
    request = ProposeRequest(
        project=project,
        target_file=target_file.removeprefix("./"),
        target_branch=target_branch,
        branch=branch,
        label=label,
        dry_run=dry_run,
    )
    try:
        proposal = asyncio.run(_run(batch, request=request, settings=settings))
    except (MiningError, GitLabError) as exc:
        fail(str(exc))
    if fmt is ProposeFormat.JSON:
        typer.echo(json.dumps(proposal.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_text(proposal, dry_run=dry_run)
    raise typer.Exit(EXIT_CLEAN)


def _read_candidates(source: str) -> list[Candidate]:
    try:
        return parse_candidates(read_text(Path(source)))
    except InputError as exc:
        fail(str(exc))
    except CandidateError as exc:
        fail(f"{'<stdin>' if source == '-' else source}: {exc}")


async def _run(batch: list[Candidate], *, request: ProposeRequest, settings: Settings) -> Proposal:
    from bot.gitlab import build_gitlab
    from bot.mining import propose

    gitlab = build_gitlab(settings)
    engine = _engine(settings)
    if engine is None:
        return await propose(batch, request=request, gitlab=gitlab)
    async with engine:
        return await propose(batch, request=request, gitlab=gitlab, llm=engine)


def _engine(settings: Settings) -> LLMEngine | None:
    """The LLM when configured; a broken LLM setting is a note on stderr, not a failure."""
    from bot.llm.factory import LLMConfigError, build_engine
    from bot.llm.prompts import PromptError

    try:
        return build_engine(settings)
    except (LLMConfigError, PromptError, OSError) as exc:
        stderr.print(f"synbot: LLM not used: {exc}", highlight=False, markup=False)
        return None


def _print_text(proposal: Proposal, *, dry_run: bool) -> None:
    if proposal.diff:
        typer.echo(proposal.diff)
    typer.echo(proposal.description)
    screening = proposal.screening
    counts = f"accepted {len(screening.accepted)}, rejected {len(screening.rejected)}"
    mr = proposal.merge_request
    if mr is not None:
        typer.echo(f"{counts}; !{mr.iid} {mr.web_url}", err=True)
    elif dry_run:
        typer.echo(f"{counts}; dry run: nothing written to GitLab", err=True)
    else:
        typer.echo(f"{counts}; nothing to propose", err=True)
