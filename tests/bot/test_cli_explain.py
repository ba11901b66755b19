"""``synbot explain``: Lucene's mappings exactly, errors as Lucene words them, and a text view."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bot.cli import app
from tests.synonyms.test_lucene_differential import HAVE_LUCENE, TOOL
from tests.vectors.generate import run_tool

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dictionary"


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


@pytest.mark.lucene
@pytest.mark.skipif(not HAVE_LUCENE, reason="needs java, liblucene8-java and the reference tool")
@pytest.mark.parametrize("name", sorted(p.relative_to(EXAMPLE).as_posix() for p in EXAMPLE.glob("*/*.txt")))
def test_the_example_dictionary_explains_exactly_as_lucene(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every mapping and every rejected line, as the reference tool finds them rerun past each error."""
    assert TOOL is not None
    monkeypatch.chdir(EXAMPLE)
    ours = CliRunner().invoke(app, ["explain", name, "--format", "lucene", "--analyzer", "standard"])
    lucene = run_tool(TOOL, (EXAMPLE / name).read_bytes(), analyzer="standard", expand=True)
    assert sorted(ours.stdout.splitlines()) == sorted(lucene)
    assert ours.exit_code == (1 if any(line.startswith("ERROR") for line in lucene) else 0)
