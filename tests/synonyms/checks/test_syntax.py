"""Syntax family: Lucene's refusals, named by reason, with certain fixes."""

from __future__ import annotations

from synonyms.checks import CheckOptions
from synonyms.findings import Severity
from tests.synonyms.checks.helpers import check_text, codes


def test_a_line_of_only_spaces_is_an_error_fixed_by_deleting_it() -> None:
    [finding] = check_text("кеды, сникерсы\n \t \n")
    assert (finding.code, finding.line, finding.severity, finding.suggestion) == (
        "blank-line-with-spaces",
        2,
        Severity.ERROR,
        "",
    )


def test_an_empty_line_is_fine() -> None:
    assert check_text("кеды, сникерсы\n\nтелик, телевизор\n") == []


def test_a_trailing_comma_with_spaces_is_an_empty_term_fixed_by_dropping_it() -> None:
    [finding] = check_text("кеды, сникерсы, \n")
    assert finding.code == "empty-term"
    assert finding.suggestion == "кеды, сникерсы"


def test_an_empty_term_between_commas_is_dropped_in_the_suggestion() -> None:
    [finding] = check_text("кеды, , сникерсы\n")
    assert finding.suggestion == "кеды, сникерсы"


def test_an_empty_term_before_the_arrow_is_dropped_in_the_suggestion() -> None:
    [finding] = check_text("тв, телик,  => телевизор\n")
    assert finding.code == "empty-term"
    assert finding.suggestion == "тв, телик => телевизор"


def test_two_arrows_on_a_line_have_no_suggestion() -> None:
    [finding] = check_text("тв => телик => телевизор\n")
    assert (finding.code, finding.suggestion) == ("multiple-arrows", None)


def test_a_stop_word_term_is_eliminated_by_the_russian_analyzer() -> None:
    findings = check_text("и, также\n", analyzer="russian")
    assert codes(findings) == ["term-eliminated"]
    assert "«и»" in findings[0].message


def test_a_stop_word_inside_a_phrase_is_an_error_with_the_russian_analyzer_only() -> None:
    assert codes(check_text("чехол для телефона, чехол телефона\n", analyzer="russian")) == [
        "stopword-inside-term"
    ]
    assert "stopword-inside-term" not in codes(check_text("чехол для телефона, чехол телефона\n"))


def test_english_messages_when_asked() -> None:
    [finding] = check_text("кеды, сникерсы, \n", options=CheckOptions(language="en"))
    assert finding.message.startswith("An empty term")
