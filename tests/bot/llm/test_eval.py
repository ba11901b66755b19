"""``synbot eval``: metrics, and a run against the stand-in with known answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.eval import DatasetError, compute_metrics, load_dataset
from tests.standins.llm_server import LLMStandIn

DATASET = Path(__file__).parents[3] / "datasets" / "rules_ru.jsonl"


def test_metrics_give_accuracy_precision_recall_and_confusion() -> None:
    gold = ["valid", "valid", "too_broad", "too_broad", "one_way"]
    predicted = ["valid", "too_broad", "too_broad", "too_broad", "valid"]
    metrics = compute_metrics(gold, predicted)
    assert metrics.accuracy == pytest.approx(3 / 5)
    assert metrics.per_class["too_broad"].precision == pytest.approx(2 / 3)
    assert metrics.per_class["too_broad"].recall == 1.0
    assert metrics.per_class["valid"].recall == 0.5
    assert metrics.confusion["one_way"]["valid"] == 1


def test_shipped_dataset_is_large_labeled_and_covers_every_domain() -> None:
    rows = load_dataset(DATASET.read_text(encoding="utf-8"))
    assert len(rows) >= 300
    assert {r.domain for r in rows} == {"food", "electronics", "clothes", "home", "kids"}
    assert len({r.id for r in rows}) == len(rows)
    synonym_labels = {r.label for r in rows if r.kind.value == "synonyms"}
    assert synonym_labels == {"valid", "too_broad", "too_narrow", "wrong_meaning", "one_way", "translit"}
    assert {r.label for r in rows if r.kind.value == "typos"} == {
        "valid",
        "slang",
        "not_a_typo",
        "wrong_correction",
    }


def test_a_bad_dataset_line_is_reported_with_its_number() -> None:
    with pytest.raises(DatasetError, match="line 2"):
        load_dataset('{"id": "a", "kind": "typos", "rule": "a => b", "label": "valid"}\n{"id": 1}\n')


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, llm: LLMStandIn) -> Path:
    rows = [
        {"id": "1", "kind": "synonyms", "rule": "телефон, смартфон, гаджет", "label": "too_broad"},
        {"id": "2", "kind": "synonyms", "rule": "кофта, куртка", "label": "wrong_meaning"},
        {"id": "3", "kind": "synonyms", "rule": "ноутбук, лэптоп", "label": "valid"},
        {"id": "4", "kind": "typos", "rule": "кросы => кроссовки", "label": "slang"},
    ]
    path = tmp_path / "small.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    monkeypatch.setenv("SYNBOT_LLM_PROVIDER", "openai")
    monkeypatch.setenv("SYNBOT_LLM_BASE_URL", llm.openai_url)
    monkeypatch.setenv("SYNBOT_LLM_MODEL", "A-model")
    monkeypatch.setenv("SYNBOT_DATA_DIR", str(tmp_path / "var"))

    def answer(item: dict[str, object]) -> dict[str, object]:
        model = llm.requests[-1]["model"]
        if item["rule"] == "кросы => кроссовки":
            return {"verdict": "slang", "confidence": 0.9}
        if item["rule"] == "кофта, куртка" and model == "B-model":
            return {"verdict": "wrong_meaning", "confidence": 0.9}
        return {"verdict": "too_broad" if "гаджет" in str(item["rule"]) else "valid", "confidence": 0.9}

    llm.default = answer
    return path


def test_eval_against_the_stand_in_reports_known_figures(small: Path, llm: LLMStandIn) -> None:
    result = CliRunner().invoke(app, ["eval", str(small), "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = {(r["name"], r["kind"]): r for r in json.loads(result.stdout)}
    synonyms = figures[("A", "synonyms")]
    assert synonyms["accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    assert synonyms["confusion"]["wrong_meaning"]["valid"] == 1
    assert synonyms["calls"] == 1 and synonyms["tokens_in"] > 0
    assert figures[("A", "typos")]["accuracy"] == 1.0
    assert ("checks", "synonyms (valid/problem)") in figures


def test_eval_compare_runs_two_models_side_by_side(small: Path, llm: LLMStandIn) -> None:
    result = CliRunner().invoke(app, ["eval", str(small), "--compare", "model=B-model"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    synonyms = lines[lines.index("== synonyms (3 rules)") :]
    assert synonyms[1].split() == ["A", "B"]
    assert synonyms[2].split() == ["accuracy", "66.7%", "100.0%"]
    assert {r["model"] for r in llm.requests} == {"A-model", "B-model"}


def test_eval_refuses_an_unknown_prompt_version(small: Path) -> None:
    result = CliRunner().invoke(app, ["eval", str(small), "--compare", "prompt=v99"])
    assert result.exit_code == 2
