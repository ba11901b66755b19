"""``synbot propose CANDIDATES`` on the command line, against the loopback GitLab stand-in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from bot.cli import app

if TYPE_CHECKING:
    from tests.standins.gitlab_server import StandIn

pytest_plugins = ("tests.standins.gitlab_server",)

PATH = "synonyms/clothes.txt"
CLOTHES = "кроссовки, кроссы\nбрюки, штаны\n"
BATCH = (
    '{"rule": "кроссы, кросы", "evidence": {"reformulations": 120}}\n'
    '{"rule": "штаны, брюки"}\n'
    '{"rule": "сарафан, летнее платье"}\n'
)


@pytest.fixture
def pid(gitlab_standin: StandIn, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("SYNBOT_GITLAB_URL", gitlab_standin.url)
    monkeypatch.setenv("SYNBOT_GITLAB_TOKEN", "bot-token")
    monkeypatch.setenv("SYNBOT_LLM_PROVIDER", "none")
    return gitlab_standin.state.create_project({PATH: CLOTHES}).id


def propose(pid: int, *args: str, input: str = BATCH) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, ["propose", "-", "--project", str(pid), "--target-file", PATH, *args], input=input
    )
    return result.exit_code, result.stdout, result.stderr


def test_json_prints_exactly_the_design_object(pid: int, gitlab_standin: StandIn) -> None:
    code, out, _ = propose(pid, "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert set(data) == {"accepted", "rejected", "diff", "description", "merge_request"}
    assert data["accepted"] == [
        {"rule": "кроссы, кросы", "line": 1},
        {"rule": "сарафан, летнее платье", "line": 5},
    ]
    (rejection,) = data["rejected"]
    assert set(rejection) == {"rule", "code", "reason"} and rejection["code"] == "already-covered"
    assert set(data["merge_request"]) == {"iid", "web_url"}
    assert gitlab_standin.state.mr(pid, data["merge_request"]["iid"]).labels == ["mined"]


def test_dry_run_prints_the_diff_and_the_description_and_writes_nothing(
    pid: int, gitlab_standin: StandIn
) -> None:
    code, out, err = propose(pid, "--dry-run")
    assert code == 0
    assert f"+++ b/{PATH}" in out and "+кроссовки, кроссы, кросы" in out
    assert "### Отклонённые" in out and "already-covered" in out
    assert "dry run" in err and gitlab_standin.writes() == 0


def test_branch_and_label_options_name_the_mr(pid: int, gitlab_standin: StandIn) -> None:
    code, out, _ = propose(pid, "--branch", "mined/today", "--label", "search-logs", "--format", "json")
    assert code == 0
    mr = gitlab_standin.state.mr(pid, json.loads(out)["merge_request"]["iid"])
    assert (mr.source_branch, mr.labels) == ("mined/today", ["search-logs"])


def test_a_bad_json_line_exits_2_naming_the_line(pid: int) -> None:
    code, out, err = propose(pid, input='{"rule": "a, b"}\n{"rule": \n')
    assert code == 2 and "line 2" in err and not out


def test_an_unreadable_candidates_file_exits_2(pid: int, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["propose", str(tmp_path / "missing.jsonl"), "--project", str(pid), "--target-file", PATH]
    )
    assert result.exit_code == 2 and "missing.jsonl" in result.stderr


def test_an_unknown_target_branch_exits_2(pid: int) -> None:
    code, _, err = propose(pid, "--target-branch", "nope")
    assert code == 2 and "nope" in err


def test_an_unknown_project_exits_2(pid: int) -> None:
    code, _, err = propose(pid + 1000)
    assert code == 2 and err
