"""``synbot review DIFF``: the comments it would post on a local diff."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.standins.gitlab_state import unified_hunks
from tests.standins.llm_server import LLMStandIn

if TYPE_CHECKING:
    from tests.standins.es_server import ElasticsearchStandIn

pytest_plugins = ("tests.standins.es_server",)

BASE = "кроссовки, кеды\nноутбук, лэптоп\n"
HEAD = BASE + "телефон, смартфон, \nшапка, ушанка\n"
PATH = "synonyms/shoes.txt"


def git_diff(old: str, new: str, path: str = PATH) -> str:
    return f"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n" + unified_hunks(old, new)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "synonyms").mkdir()
    (tmp_path / PATH).write_text(HEAD, encoding="utf-8")
    return tmp_path


def test_markdown_shows_the_thread_with_its_suggestion_on_the_added_line(repo: Path) -> None:
    result = CliRunner().invoke(app, ["review", "-", "--repo-dir", str(repo)], input=git_diff(BASE, HEAD))
    assert result.exit_code == 1, result.output
    assert f"#### {PATH}:3" in result.output
    assert "```suggestion:-0+0\nтелефон, смартфон\n```" in result.output
    assert "<!-- synbot:fp=" in result.output


def test_json_prints_the_findings_array(repo: Path, tmp_path: Path) -> None:
    diff = tmp_path / "change.diff"
    diff.write_text(git_diff(BASE, HEAD), encoding="utf-8")
    result = CliRunner().invoke(app, ["review", str(diff), "--repo-dir", str(repo), "--format", "json"])
    (finding,) = json.loads(result.stdout)
    assert finding["path"] == PATH and finding["line"] == 3 and finding["code"] == "empty-term"
    assert finding["suggestion"] == "телефон, смартфон" and finding["source"] == "check"


def test_a_clean_diff_exits_zero(repo: Path) -> None:
    clean = BASE + "шапка, ушанка\n"
    (repo / PATH).write_text(clean, encoding="utf-8")
    result = CliRunner().invoke(app, ["review", "-", "--repo-dir", str(repo)], input=git_diff(BASE, clean))
    assert result.exit_code == 0, result.output


def test_kind_makes_any_touched_text_file_a_dictionary(repo: Path) -> None:
    (repo / "other.txt").write_text(HEAD, encoding="utf-8")
    diff = git_diff(BASE, HEAD, path="other.txt")
    ignored = CliRunner().invoke(app, ["review", "-", "--repo-dir", str(repo)], input=diff)
    assert ignored.exit_code == 0
    reviewed = CliRunner().invoke(
        app, ["review", "-", "--repo-dir", str(repo), "--kind", "synonyms"], input=diff
    )
    assert reviewed.exit_code == 1 and "#### other.txt:3" in reviewed.output


def test_an_unreadable_diff_is_bad_usage(repo: Path) -> None:
    result = CliRunner().invoke(app, ["review", str(repo / "missing.diff"), "--repo-dir", str(repo)])
    assert result.exit_code == 2


def test_a_new_line_duplicating_a_rule_of_an_untouched_file_is_found(repo: Path) -> None:
    (repo / "synonyms" / "food.txt").write_text("помидор, томат\n", encoding="utf-8")
    (repo / "synonyms" / "new.txt").write_text("томат, помидор\n", encoding="utf-8")
    diff = git_diff("", "томат, помидор\n", path="synonyms/new.txt")
    result = CliRunner().invoke(app, ["review", "-", "--repo-dir", str(repo), "--format", "json"], input=diff)
    (finding,) = json.loads(result.stdout)
    assert finding["path"] == "synonyms/new.txt" and finding["line"] == 1
    assert "synonyms/food.txt:1" in finding["message"]


@pytest.fixture
def llm_env(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SYNBOT_DATA_DIR", str(repo / "var"))
    monkeypatch.setenv("SYNBOT_LLM_PROVIDER", "openai")
    monkeypatch.setenv("SYNBOT_LLM_MODEL", "stand-in")
    monkeypatch.setenv("SYNBOT_LLM_RETRIES", "1")
    return repo


@pytest.fixture
def llm() -> Iterator[LLMStandIn]:
    with LLMStandIn() as stand_in:
        yield stand_in


def test_llm_findings_on_changed_rules_appear_as_threads(
    llm_env: Path, llm: LLMStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNBOT_LLM_BASE_URL", llm.openai_url)
    llm.script["шапка, ушанка"] = {
        "verdict": "too_broad",
        "confidence": 0.9,
        "fixed_rule": "ушанка, шапка ушанка",
    }
    args = ["review", "-", "--repo-dir", str(llm_env), "--llm"]
    as_json = CliRunner().invoke(app, [*args, "--format", "json"], input=git_diff(BASE, HEAD))
    found = {(f["line"], f["code"], f["source"]) for f in json.loads(as_json.stdout)}
    assert found == {(3, "empty-term", "check"), (4, "llm-too-broad", "llm")}
    as_markdown = CliRunner().invoke(app, args, input=git_diff(BASE, HEAD))
    assert f"#### {PATH}:4" in as_markdown.stdout
    assert "`llm-too-broad` · LLM: правило слишком широкое" in as_markdown.stdout
    assert as_markdown.stdout.count("LLM") == 1  # one marker, not "LLM: LLM:"
    assert "```suggestion:-0+0\nушанка, шапка ушанка\n```" in as_markdown.stdout
    assert as_markdown.exit_code == 1


def test_review_with_the_llm_down_prints_deterministic_findings_and_a_note(
    llm_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNBOT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    args = ["review", "-", "--repo-dir", str(llm_env), "--format", "json"]
    with_llm = CliRunner().invoke(app, [*args, "--llm"], input=git_diff(BASE, HEAD))
    without = CliRunner().invoke(app, args, input=git_diff(BASE, HEAD))
    assert with_llm.exit_code == without.exit_code == 1
    assert with_llm.stdout == without.stdout
    assert "LLM недоступна" in with_llm.stderr


def with_cluster(repo: Path, url: str) -> Path:
    config = f"elasticsearch:\n  url: {url}\n  analyzer: ru_index\n"
    (repo / ".synbot.yml").write_text(config, encoding="utf-8")
    (repo / PATH).write_text(BASE + "чай и кофе, напитки\n", encoding="utf-8")
    return repo


def test_the_cluster_named_in_synbot_yml_analyzes_the_rules_in_one_batched_request(
    repo: Path, es_standin: ElasticsearchStandIn
) -> None:
    diff = git_diff(BASE, BASE + "чай и кофе, напитки\n")
    args = ["review", "-", "--repo-dir", str(with_cluster(repo, es_standin.url)), "--format", "json"]
    result = CliRunner().invoke(app, args, input=diff)
    assert result.exit_code == 1, result.output
    (finding,) = json.loads(result.stdout)  # the cluster drops «и»: a hole Elasticsearch refuses
    assert (finding["line"], finding["code"]) == (3, "stopword-inside-term")
    assert len(es_standin.requests) == 1 and es_standin.texts_asked == 6


def test_the_analyzer_flag_wins_over_the_cluster(repo: Path, es_standin: ElasticsearchStandIn) -> None:
    diff = git_diff(BASE, BASE + "чай и кофе, напитки\n")
    args = ["review", "-", "--repo-dir", str(with_cluster(repo, es_standin.url)), "--analyzer", "whitespace"]
    assert CliRunner().invoke(app, args, input=diff).exit_code == 0
    assert es_standin.requests == []


def test_an_unreachable_cluster_is_unreadable_input_as_for_check(repo: Path) -> None:
    diff = git_diff(BASE, BASE + "чай и кофе, напитки\n")
    repo = with_cluster(repo, "http://127.0.0.1:9/products/_analyze")
    result = CliRunner().invoke(app, ["review", "-", "--repo-dir", str(repo)], input=diff)
    assert result.exit_code == 2
    assert "127.0.0.1:9/products/_analyze" in result.stderr and "Traceback" not in result.output
