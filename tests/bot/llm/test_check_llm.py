"""``synbot check --llm`` end to end against the loopback stand-in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.standins.llm_server import LLMStandIn


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "synonyms").mkdir()
    (tmp_path / "synonyms" / "electronics.txt").write_text("телефон, смартфон, гаджет\nноутбук, лэптоп\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SYNBOT_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SYNBOT_LLM_PROVIDER", "openai")
    monkeypatch.setenv("SYNBOT_LLM_MODEL", "stand-in")
    monkeypatch.setenv("SYNBOT_LLM_RETRIES", "1")
    return tmp_path


def test_check_with_llm_adds_llm_findings_and_caches_them(
    repo: Path, llm: LLMStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNBOT_LLM_BASE_URL", llm.openai_url)
    llm.script["телефон, смартфон, гаджет"] = {
        "verdict": "too_broad",
        "confidence": 0.9,
        "fixed_rule": "телефон, смартфон",
    }
    runner = CliRunner()
    first = runner.invoke(app, ["check", ".", "--llm", "--format", "json"])
    findings = json.loads(first.stdout)
    assert [(f["code"], f["source"], f["suggestion"]) for f in findings] == [
        ("llm-too-broad", "llm", "телефон, смартфон")
    ]
    assert first.exit_code == 0
    second = runner.invoke(app, ["check", ".", "--llm", "--format", "json"])
    assert json.loads(second.stdout) == findings
    assert llm.calls == 1  # the second run is answered from the SQLite cache under SYNBOT_DATA_DIR


def test_check_with_llm_down_prints_deterministic_findings_and_exits_as_without(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "synonyms" / "electronics.txt").write_text("телефон, смартфон\na => b => c\n")
    monkeypatch.setenv("SYNBOT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    runner = CliRunner()
    with_llm = runner.invoke(app, ["check", ".", "--llm", "--format", "json"])
    without = runner.invoke(app, ["check", ".", "--format", "json"])
    assert with_llm.exit_code == without.exit_code == 1
    assert with_llm.stdout == without.stdout
    assert "LLM недоступна" in with_llm.stderr
