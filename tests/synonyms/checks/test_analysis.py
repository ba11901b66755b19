"""Analysis family: what the analyzer silently does to rules Lucene accepts."""

from __future__ import annotations

from synonyms.findings import Severity
from tests.synonyms.checks.helpers import check_text, codes


def test_a_stop_word_at_the_end_of_a_phrase_is_dropped_with_a_warning() -> None:
    [finding] = check_text("айфон 15 про, iphone 15 pro\n", analyzer="russian")
    assert (finding.code, finding.severity) == ("stopword-dropped", Severity.WARNING)
    assert "«про»" in finding.message


def test_the_whitespace_analyzer_drops_no_stop_word() -> None:
    assert "stopword-dropped" not in codes(check_text("айфон 15 про, iphone 15 pro\n"))


def test_terms_equal_after_analysis_suggest_dropping_the_later_one() -> None:
    [finding] = check_text("шкаф-купе, гардероб, шкаф купе\n", analyzer="standard")
    assert finding.code == "terms-equal-after-analysis"
    assert finding.suggestion == "шкаф-купе, гардероб"


def test_terms_that_differ_after_analysis_are_fine() -> None:
    assert check_text("шкаф-купе, гардероб\n", analyzer="standard") == []


def test_a_mapping_whose_sides_stem_alike_does_nothing_and_can_be_deleted() -> None:
    [finding] = check_text("утюги => утюг\n", analyzer="russian")
    assert (finding.code, finding.suggestion) == ("rule-does-nothing", "")


def test_a_single_term_line_does_nothing() -> None:
    assert codes(check_text("телевизор\n")) == ["rule-does-nothing"]


def test_terms_differing_only_in_yo_are_a_warning() -> None:
    assert codes(check_text("Ёлка, елка, ель\n")) == ["yo-e-only-difference"]
    assert check_text("ёлка, ель\n") == []
