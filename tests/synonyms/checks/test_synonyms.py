"""Synonyms family and options: what a rule's own terms say."""

from __future__ import annotations

from synonyms.checks import CheckOptions
from synonyms.findings import Severity
from tests.synonyms.checks.helpers import check_text, codes


def test_a_latin_letter_in_a_russian_word_is_replaced_by_its_lookalike() -> None:
    [finding] = check_text("пылесоc, vacuum\n")
    assert (finding.code, finding.suggestion) == ("mixed-script", "пылесос, vacuum")


def test_a_cyrillic_letter_in_a_latin_word_is_replaced_by_its_lookalike() -> None:
    [finding] = check_text("iphоne, айфон\n")  # Cyrillic о
    assert (finding.code, finding.suggestion) == ("mixed-script", "iphone, айфон")


def test_a_mix_without_a_clear_majority_has_no_suggestion() -> None:
    [finding] = check_text("abвг, алфавит\n")
    assert (finding.code, finding.suggestion) == ("mixed-script", None)


def test_different_model_numbers_are_a_mismatch() -> None:
    assert codes(check_text("iphone 15, iphone 14\n")) == ["number-mismatch"]


def test_the_same_quantity_in_other_units_is_no_mismatch() -> None:
    assert check_text("вода 1\\,5 л, вода 1500 мл\n") == []
    assert codes(check_text("5 кг, 5 л\n")) == ["number-mismatch"]


def test_an_unescaped_decimal_comma_suggests_escaping_it() -> None:
    [finding] = check_text("1,5 л, полтора литра\n")
    assert (finding.code, finding.suggestion) == ("unescaped-decimal-comma", "1\\,5 л, полтора литра")


def test_a_stop_word_kept_in_a_phrase_is_information() -> None:
    [finding] = check_text("чехол для телефона, чехол телефона\n")
    assert (finding.code, finding.severity) == ("stopword-in-term", Severity.INFO)


def test_group_size_limit_comes_from_the_options() -> None:
    text = "a, b, c, d\n"
    assert check_text(text) == []
    assert codes(check_text(text, options=CheckOptions(max_group_size=3))) == ["group-too-large"]


def test_severity_overrides_and_disabled_codes_apply() -> None:
    text = "iphone 15, iphone 14\n"
    [finding] = check_text(text, options=CheckOptions(severities={"number-mismatch": Severity.ERROR}))
    assert finding.severity is Severity.ERROR
    assert check_text(text, options=CheckOptions(disabled=frozenset({"number-mismatch"}))) == []
