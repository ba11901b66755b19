"""explain: Lucene's mapping lines for diffing with the reference tool, and rules in words."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from synonyms.analysis import get_analyzer
from synonyms.explain import Effect, explain_rules, explain_text, lucene_lines
from synonyms.parser import parse

VECTORS = Path(__file__).resolve().parents[1] / "vectors"


def _explain(text: str, *, analyzer: str = "russian", expand: bool = True) -> list[str]:
    chosen = get_analyzer(analyzer)
    dictionary = parse(text, analyzer=chosen)
    return explain_text(dictionary, analyzer=chosen, expand=expand, language="en").split("\n")


@pytest.mark.parametrize(
    "vector",
    sorted((VECTORS / "expected").glob("errors.*.txt")) + sorted((VECTORS / "expected").glob("syntax.*")),
)
def test_lucene_lines_are_the_reference_tools_lines(vector: Path) -> None:
    stem, analyzer, flag = vector.stem.split(".")
    text = (VECTORS / "inputs" / f"{stem}.txt").read_text(encoding="utf-8")
    dictionary = parse(text, analyzer=get_analyzer(analyzer))
    expected = vector.read_text(encoding="utf-8").split("\n")[:-1]
    produced = lucene_lines(dictionary, expand=flag == "expand-true")
    assert Counter(produced) == Counter(expected)
    errors = [line for line in produced if line.startswith("ERROR")]
    assert errors == [line for line in expected if line.startswith("ERROR")]


def test_lucene_lines_put_errors_in_file_order_among_mappings() -> None:
    dictionary = parse("a, b\nx => y => z\nc => d\n", analyzer=get_analyzer("whitespace"))
    assert lucene_lines(dictionary, expand=True) == [
        "a => b\tkeepOrig",
        "b => a\tkeepOrig",
        "ERROR line 2: more than one explicit mapping specified on the same line",
        "c => d\treplace",
    ]


def test_equivalence_list_is_two_way_with_expand() -> None:
    assert _explain("помидор, томат\n", analyzer="whitespace")[0] == "line 1: two-way: помидор ↔ томат"


def test_equivalence_list_maps_to_first_without_expand() -> None:
    (first, *_) = _explain("помидор, томат\n", analyzer="whitespace", expand=False)
    assert first == "line 1: every term becomes the first (expand: false): помидор, томат → помидор"


def test_explicit_mapping_is_one_way() -> None:
    assert (
        _explain("кросовки => кроссовки\n", analyzer="whitespace")[0]
        == "line 1: one-way: кросовки → кроссовки"
    )


def test_analysis_changes_and_dropped_stop_words_are_shown() -> None:
    lines = _explain("Шкаф-Купе для, шкаф\n")
    assert "  «Шкаф-Купе для» analyzes to «шкаф куп»" in lines
    assert "  stop words dropped: для" in lines


def test_terms_equal_after_analysis_have_no_effect() -> None:
    dictionary = parse("Стол, стол\n", analyzer=get_analyzer("standard"))
    (item,) = explain_rules(dictionary, analyzer=get_analyzer("standard"), expand=True)
    assert item.effect is Effect.NO_EFFECT
    assert item.inputs == ("стол",)


def test_rejected_line_is_explained_with_lucenes_reason() -> None:
    assert _explain("и стол, мебель\n")[0].startswith("line 1: Elasticsearch rejects this line: term: и стол")


def test_russian_is_the_default_language() -> None:
    chosen = get_analyzer("whitespace")
    text = explain_text(parse("a, b\n", analyzer=chosen), analyzer=chosen, expand=True)
    assert text.startswith("строка 1: двусторонние синонимы: a ↔ b")
