"""``propose`` end to end against the loopback GitLab stand-in: branch, one commit, one MR, reruns, review."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from bot.config import Settings
from bot.gitlab import AsyncGitLab, build_gitlab
from bot.llm.engine import LLMEngine
from bot.mining import Proposal, ProposeRequest, propose
from bot.review import ReviewResult, review_merge_request
from synonyms.candidates import parse_candidates
from synonyms.findings import Severity
from tests.bot.llm.conftest import with_openai
from tests.standins.llm_server import LLMStandIn

if TYPE_CHECKING:
    from tests.standins.gitlab_server import StandIn

pytest_plugins = ("tests.standins.gitlab_server",)

CONFIG = "synonyms:\n  - 'synonyms/**/*.txt'\ntypos:\n  - 'typos/**/*.txt'\nanalyzer: standard\n"
CLOTHES = "# Одежда\nкроссовки, кроссы\nбрюки, штаны\nджинсы, джинсовые брюки\nплащ => плащ, тренч\n"
SHOES = "кеды, сникерсы\n"
TYPOS = "кросовки => кроссовки\n"
PATH = "synonyms/clothes.txt"
BATCH = (
    '{"rule": "кроссы, кросы", "evidence": {"reformulations": 120, "queries": ["кросы найк", "кросы"]}}\n'
    '{"rule": "сарафан, летнее платье", "evidence": {"reformulations": 40}}\n'
    '{"rule": "штаны, брюки", "evidence": {"reformulations": 300}}\n'
    '{"rule": "летнее платье, сарафан"}\n'
    '{"rule": "кеды, слипоны"}\n'
    '{"rule": "a => b => c"}\n'
)
DAY = date(2024, 5, 1)


def port(standin: StandIn) -> AsyncGitLab:
    return build_gitlab(settings(standin), timeout_s=5, max_retries=3, version_wait_s=0.01)


def settings(standin: StandIn) -> Settings:
    return Settings(gitlab_url=standin.url, gitlab_token=SecretStr("bot-token"))


def project(standin: StandIn, clothes: str = CLOTHES) -> int:
    files = {".synbot.yml": CONFIG, PATH: clothes, "synonyms/shoes.txt": SHOES, "typos/typos.txt": TYPOS}
    return standin.state.create_project(files).id


def run(standin: StandIn, pid: int, batch: str = BATCH, **kw: Any) -> Proposal:
    request = ProposeRequest(project=str(pid), target_file=kw.pop("target_file", PATH), **kw)
    return asyncio.run(propose(parse_candidates(batch), request=request, gitlab=port(standin), today=DAY))


def open_mrs(standin: StandIn, pid: int) -> list[Any]:
    return [mr for (p, _), mr in standin.state.mrs.items() if p == pid and mr.state == "opened"]


def test_propose_opens_one_mr_with_one_commit_label_and_description(gitlab_standin: StandIn) -> None:
    pid = project(gitlab_standin)
    result = run(gitlab_standin, pid)
    state = gitlab_standin.state
    (mr,) = open_mrs(gitlab_standin, pid)
    assert result.merge_request is not None and result.merge_request.iid == mr.iid
    assert mr.source_branch == "synbot/mined/clothes" and mr.target_branch == "main"
    assert mr.labels == ["mined"]
    head = state.head(pid, "synbot/mined/clothes")
    assert state.projects[pid].commits[head].parent == state.head(pid, "main")
    new_text = state.file(pid, head, PATH)
    assert new_text == (
        "# Одежда\nкроссовки, кроссы, кросы\nбрюки, штаны\nджинсы, джинсовые брюки\nплащ => плащ, тренч\n"
        "\n# --- synbot: кандидаты из поиска, 2024-05-01 ---\nсарафан, летнее платье\n"
    )
    assert "`кроссы, кросы`" in mr.description and "переформулировок: 120" in mr.description
    assert "«кросы найк»" in mr.description
    for code in ("already-covered", "duplicate-candidate", "term-in-other-file", "multiple-arrows"):
        assert f"`{code}`" in mr.description
    assert mr.title == "synbot: кандидаты из поиска для synonyms/clothes.txt (2)"


def test_rerunning_the_same_job_updates_the_same_mr(gitlab_standin: StandIn) -> None:
    pid = project(gitlab_standin)
    first = run(gitlab_standin, pid)
    state = gitlab_standin.state
    state.commit(pid, "main", {"synonyms/shoes.txt": SHOES + "туфли, туфельки\n"}, "someone else")
    second = run(gitlab_standin, pid, BATCH + '{"rule": "худи, толстовка с капюшоном"}\n')
    (mr,) = open_mrs(gitlab_standin, pid)
    assert first.merge_request and second.merge_request
    assert second.merge_request.iid == first.merge_request.iid == mr.iid
    head = state.head(pid, "synbot/mined/clothes")
    assert state.projects[pid].commits[head].parent == state.head(pid, "main")  # reset, one commit
    assert "худи, толстовка с капюшоном" in (state.file(pid, head, PATH) or "")
    assert "худи" in mr.description


def test_rerunning_with_nothing_new_writes_nothing(gitlab_standin: StandIn) -> None:
    pid = project(gitlab_standin)
    run(gitlab_standin, pid)
    writes = gitlab_standin.writes()
    again = run(gitlab_standin, pid)
    assert gitlab_standin.writes() == writes
    assert again.merge_request is not None and not again.committed


def test_dry_run_reads_gitlab_and_writes_nothing(gitlab_standin: StandIn) -> None:
    pid = project(gitlab_standin)
    result = run(gitlab_standin, pid, dry_run=True)
    assert gitlab_standin.writes() == 0 and gitlab_standin.reads() > 0
    assert result.merge_request is None and not open_mrs(gitlab_standin, pid)
    assert "+кроссовки, кроссы, кросы" in result.diff and "-кроссовки, кроссы" in result.diff
    assert result.diff.startswith(f"--- a/{PATH}\n+++ b/{PATH}\n")
    assert "`multiple-arrows`" in result.description


def test_a_batch_with_nothing_acceptable_opens_no_mr(gitlab_standin: StandIn) -> None:
    pid = project(gitlab_standin)
    result = run(gitlab_standin, pid, '{"rule": "брюки, штаны"}\n')
    assert result.merge_request is None and gitlab_standin.writes() == 0
    assert [r.code for r in result.screening.rejected] == ["already-covered"]


def test_a_target_file_that_does_not_exist_yet_is_created(gitlab_standin: StandIn) -> None:
    pid = project(gitlab_standin)
    result = run(
        gitlab_standin, pid, '{"rule": "ноудбук => ноутбук", "kind": "typos"}\n', target_file="typos/new.txt"
    )
    head = gitlab_standin.state.head(pid, "synbot/mined/new")
    assert gitlab_standin.state.file(pid, head, "typos/new.txt") == (
        "# --- synbot: кандидаты из поиска, 2024-05-01 ---\nноудбук => ноутбук\n"
    )
    assert [(a.candidate.rule, a.line) for a in result.screening.accepted] == [("ноудбук => ноутбук", 2)]


def review_opened_mr(standin: StandIn, pid: int, iid: int) -> ReviewResult:
    """synbot's own review of the mined MR at its head, as the webhook service would run it."""
    head = standin.state.head(pid, "synbot/mined/clothes")
    return asyncio.run(
        review_merge_request(
            project_id=pid,
            mr_iid=iid,
            head_sha=head,
            gitlab=port(standin),
            settings=settings(standin),
            llm=None,
        )
    )


def test_the_opened_mr_passes_synbots_own_review_without_errors(gitlab_standin: StandIn) -> None:
    pid = project(gitlab_standin)
    result = run(gitlab_standin, pid)
    assert result.merge_request is not None
    review = review_opened_mr(gitlab_standin, pid, result.merge_request.iid)
    assert review.state == "success"
    assert not [f for f in review.findings if f.severity is Severity.ERROR]


def test_the_example_batch_against_the_example_dictionary(gitlab_standin: StandIn) -> None:
    root = Path(__file__).resolve().parents[2] / "examples"
    files = {
        p.relative_to(root / "dictionary").as_posix(): p.read_text(encoding="utf-8")
        for p in (root / "dictionary").rglob("*")
        if p.is_file() and (p.suffix == ".txt" or p.name == ".synbot.yml")
    }
    pid = gitlab_standin.state.create_project(files).id
    batch = (root / "candidates.jsonl").read_text(encoding="utf-8")
    result = run(gitlab_standin, pid, batch)
    screening = result.screening
    assert len(screening.accepted) + len(screening.rejected) == len(parse_candidates(batch))
    assert screening.accepted and screening.rejected
    codes = {r.code for r in screening.rejected}
    assert {"already-covered", "duplicate-candidate", "spans-several-groups", "kind-mismatch"} <= codes
    assert any(a.merged for a in screening.accepted) and not all(a.merged for a in screening.accepted)
    assert result.merge_request is not None
    review = review_opened_mr(gitlab_standin, pid, result.merge_request.iid)
    assert not [f for f in review.findings if f.severity is Severity.ERROR]


def test_the_llm_vetoes_lines_and_the_file_is_planned_again_without_them(gitlab_standin: StandIn) -> None:
    pid = project(gitlab_standin)
    request = ProposeRequest(project=str(pid), target_file=PATH, dry_run=True)
    batch = parse_candidates('{"rule": "кроссы, кросы"}\n{"rule": "сарафан, летнее платье"}\n')
    wrong = {"verdict": "wrong_meaning", "confidence": 0.95, "reason": "сарафан — не любое летнее платье"}

    async def go(engine: LLMEngine) -> Proposal:
        return await propose(batch, request=request, gitlab=port(gitlab_standin), llm=engine, today=DAY)

    with LLMStandIn(script={"сарафан, летнее платье": wrong}) as llm:
        result = asyncio.run(with_openai(llm, go))
    screening = result.screening
    assert [a.candidate.rule for a in screening.accepted] == ["кроссы, кросы"]
    assert [(r.candidate.rule, r.code) for r in screening.rejected] == [
        ("сарафан, летнее платье", "llm-wrong-meaning")
    ]
    assert "сарафан" not in screening.new_text and "кросы" in screening.new_text
    assert "LLM: 1 вызовов" in result.description
