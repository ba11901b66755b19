"""Typos family: one-way lines whose typo is really a slip of the finger."""

from __future__ import annotations

import pytest

from synonyms.analysis import get_analyzer
from synonyms.checks import CheckOptions, check_dictionaries
from synonyms.checks.typos import max_typo_distance
from synonyms.parser import parse
from synonyms.rules import Kind
from tests.synonyms.checks.helpers import check_text, codes


def typo_codes(text: str) -> list[str]:
    return codes(check_text(text, kind=Kind.TYPOS))


def test_a_two_way_typo_line_is_an_error_turned_one_way_when_one_word_is_known() -> None:
    [finding] = check_text("кроссовки, кросовки\n", kind=Kind.TYPOS)
    assert (finding.code, finding.suggestion) == ("typo-not-one-way", "кросовки => кроссовки")


def test_a_two_way_line_of_two_unknown_words_has_no_suggestion() -> None:
    [finding] = check_text("ghbdtn, привет, превет\n", kind=Kind.TYPOS)
    assert (finding.code, finding.suggestion) == ("typo-not-one-way", None)


def test_the_same_two_way_line_in_a_synonym_file_is_fine() -> None:
    assert "typo-not-one-way" not in codes(check_text("кроссовки, кросовки\n"))


@pytest.mark.parametrize(
    "line",
    [
        "ghbdtn => привет",
        "фвшвфы => adidas",
        "айфон => iphone",
        "кофе машина => кофемашина",
        "кросовки => кроссовки",
    ],
)
def test_layout_slips_transliterations_spaces_and_small_slips_are_accepted(line: str) -> None:
    assert typo_codes(line + "\n") == []


def test_a_far_pair_is_too_far_for_a_typo() -> None:
    [finding] = check_text("снкрс => кроссовки\n", kind=Kind.TYPOS)
    assert finding.code == "typo-too-far"
    assert "(допустимо 3)" in finding.message


def test_the_distance_limit_grows_with_the_length_of_the_correction() -> None:
    assert [max_typo_distance(n) for n in (3, 4, 5, 8, 9, 12, 13, 30)] == [1, 1, 2, 2, 3, 3, 4, 4]
    assert typo_codes("крсвки => кроссовки\n") == []  # 3 edits, 9 letters
    assert typo_codes("кр => кроссовки\n") == ["typo-too-far"]


def test_a_real_word_with_another_lemma_is_not_a_typo() -> None:
    [finding] = check_text("колея => корея\n", kind=Kind.TYPOS)
    assert finding.code == "typo-is-real-word"
    assert "колея" in finding.message


def test_another_form_of_the_correction_is_not_a_typo() -> None:
    assert typo_codes("утюги => утюг\n") == ["typo-is-word-form"]


def test_a_reversed_rule_suggests_the_swapped_rule() -> None:
    [finding] = check_text("коррекция => корекция\n", kind=Kind.TYPOS)
    assert (finding.code, finding.suggestion) == ("typo-reversed", "корекция => коррекция")


def test_an_unescaped_comma_in_a_layout_slip_suggests_escaping_it() -> None:
    [finding] = check_text("yjen,er => ноутбук\n", kind=Kind.TYPOS)
    assert (finding.code, finding.suggestion) == ("layout-comma-unescaped", "yjen\\,er => ноутбук")


def test_an_escaped_comma_in_a_layout_slip_is_fine() -> None:
    assert typo_codes("yjen\\,er => ноутбук\n") == []


def test_a_typo_that_is_a_synonym_term_is_a_warning() -> None:
    ws = get_analyzer("whitespace")
    dicts = [
        parse("кеди => кеды\n", analyzer=ws, path="typos/t.txt", kind=Kind.TYPOS),
        parse("кеди, сникерсы\n", analyzer=ws, path="synonyms/s.txt", kind=Kind.SYNONYMS),
    ]
    findings = check_dictionaries(dicts, analyzer=ws, options=CheckOptions())
    assert [(f.code, f.path) for f in findings] == [("typo-is-synonym-term", "typos/t.txt")]
    assert "synonyms/s.txt:1" in findings[0].message
