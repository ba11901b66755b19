"""``synbot explain``: Lucene's mappings exactly, errors as Lucene words them, and a text view."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bot.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dictionary"
TOOL = ROOT.parent / "shared" / "tools" / "lucene-synonyms" / "run"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def explain(root: Path, text: str, *args: str) -> Result:
    (root / "synonyms").mkdir(exist_ok=True)
    (root / "synonyms" / "a.txt").write_text(text, encoding="utf-8")
    return CliRunner().invoke(app, ["explain", "synonyms/a.txt", *args])


def lines(result: Result) -> set[str]:
    return set(result.stdout.splitlines())


def test_an_equivalence_list_expands_both_ways_keeping_the_original(repo: Path) -> None:
    result = explain(repo, "телик, телевизор\n", "--format", "lucene")
    assert result.exit_code == 0
    assert lines(result) == {"телик => телевизор\tkeepOrig", "телевизор => телик\tkeepOrig"}


def test_no_expand_maps_every_term_to_the_first(repo: Path) -> None:
    result = explain(repo, "телевизор, телик, тв\n", "--format", "lucene", "--no-expand")
    assert lines(result) == {
        "телевизор => телевизор\treplace",
        "телик => телевизор\treplace",
        "тв => телевизор\treplace",
    }


def test_expand_comes_from_synbot_yml_and_the_flag_wins(repo: Path) -> None:
    (repo / ".synbot.yml").write_text("expand: false\n", encoding="utf-8")
    assert "телик => телевизор\treplace" in lines(explain(repo, "телевизор, телик\n", "--format", "lucene"))
    flagged = explain(repo, "телевизор, телик\n", "--format", "lucene", "--expand")
    assert "телик => телевизор\tkeepOrig" in lines(flagged)


def test_an_explicit_mapping_replaces(repo: Path) -> None:
    result = explain(repo, "тв, телик => телевизор\n", "--format", "lucene")
    assert lines(result) == {"тв => телевизор\treplace", "телик => телевизор\treplace"}


def test_the_analyzer_shapes_multi_word_terms(repo: Path) -> None:
    result = explain(repo, "Шкаф-Купе, гардероб\n", "--format", "lucene", "--analyzer", "standard")
    assert "шкаф купе => гардероб\tkeepOrig" in lines(result)


def test_every_rejected_line_is_an_error_line_in_file_order_and_exits_1(repo: Path) -> None:
    result = explain(repo, "a, b\nтв => телик => телевизор\nc, d\nx => y => z\n", "--format", "lucene")
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("ERROR")]
    assert [e.split(":")[0] for e in errors] == ["ERROR line 2", "ERROR line 4"]
    assert "a => b\tkeepOrig" in lines(result)


def test_text_format_explains_each_rule(repo: Path) -> None:
    result = explain(repo, "# телевизоры\nтв, телик => телевизор\n")
    assert result.exit_code == 0
    assert "телевизор" in result.stdout and "2" in result.stdout


def test_text_format_exits_1_on_a_rejected_line(repo: Path) -> None:
    assert explain(repo, "тв => телик => телевизор\n").exit_code == 1


def test_a_missing_file_exits_2(repo: Path) -> None:
    result = CliRunner().invoke(app, ["explain", "synonyms/none.txt"])
    assert result.exit_code == 2 and "no such file" in result.stderr.lower()


needs_lucene = pytest.mark.skipif(
    not (TOOL.exists() and shutil.which("java") and list(Path("/usr/share/java").glob("lucene-core-8*.jar"))),
    reason="Lucene reference tool not available",
)


def _both(name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Result, subprocess.CompletedProcess[str]]:
    """Our ``explain --format lucene`` and the reference tool on one example file."""
    monkeypatch.chdir(EXAMPLE)
    ours = CliRunner().invoke(app, ["explain", name, "--format", "lucene", "--analyzer", "standard"])
    lucene = subprocess.run(
        [str(TOOL), "--analyzer", "standard", "--expand", "true", str(EXAMPLE / name)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return ours, lucene


@pytest.mark.lucene
@needs_lucene
@pytest.mark.parametrize(
    "name", ["synonyms/food.txt", "synonyms/clothes.txt", "synonyms/kids.txt", "typos/typos.txt"]
)
def test_the_example_dictionary_explains_exactly_as_lucene(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, lucene = _both(name, monkeypatch)
    assert ours.exit_code == lucene.returncode == 0
    assert sorted(ours.stdout.splitlines()) == sorted(lucene.stdout.splitlines())


@pytest.mark.lucene
@needs_lucene
@pytest.mark.parametrize("name", ["synonyms/electronics.txt", "synonyms/home.txt"])
def test_the_first_rejected_line_is_the_one_lucene_stops_at(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, lucene = _both(name, monkeypatch)
    assert ours.exit_code == lucene.returncode == 1
    errors = [line for line in ours.stdout.splitlines() if line.startswith("ERROR")]
    assert errors[0] == lucene.stdout.strip().splitlines()[-1]
