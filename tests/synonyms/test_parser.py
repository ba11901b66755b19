"""Solr-format edge cases, as Lucene's SolrSynonymParser decides them (see tests/vectors)."""

from __future__ import annotations

import pytest

from synonyms.analysis import get_analyzer
from synonyms.parser import mappings, parse, split_lines
from synonyms.rules import Dictionary, LineError, Rule

WHITESPACE = get_analyzer("whitespace")


def _parse(text: str, analyzer: str = "whitespace") -> Dictionary:
    return parse(text, analyzer=get_analyzer(analyzer), path="t.txt")


def _only_rule(text: str) -> Rule:
    dictionary = _parse(text)
    assert not dictionary.errors
    (rule,) = dictionary.rules
    return rule


def _only_error(text: str, analyzer: str = "whitespace") -> LineError:
    dictionary = _parse(text, analyzer)
    assert not dictionary.rules
    (error,) = dictionary.errors
    return error


def test_line_of_only_spaces_is_an_error() -> None:
    error = _only_error("   \n")
    assert error.line == 1
    assert error.reason == "term:  was completely eliminated by analyzer"


def test_empty_line_and_comment_are_skipped() -> None:
    dictionary = _parse("\n# a, b\n#x\n")
    assert dictionary.rules == () and dictionary.errors == ()


def test_indented_hash_is_a_term_not_a_comment() -> None:
    rule = _only_rule(" # x, y\n")
    assert [t.text for t in rule.inputs] == ["# x", "y"]


def test_two_arrows_on_a_line_are_an_error() -> None:
    error = _only_error("a => b => c\n")
    assert error.reason == "more than one explicit mapping specified on the same line"


def test_arrow_with_nothing_after_it_is_an_equivalence_list_of_one_term() -> None:
    rule = _only_rule("a =>\n")
    assert not rule.is_mapping
    assert [t.text for t in rule.inputs] == ["a =>"]
    assert list(mappings(rule, expand=True)) == []


def test_arrow_with_nothing_before_it_is_an_equivalence_list_of_one_term() -> None:
    rule = _only_rule("=> a\n")
    assert [t.text for t in rule.inputs] == ["=> a"]


@pytest.mark.parametrize("text", ["a,,b\n", "a,b,\n", ",a,b\n"])
def test_empty_pieces_between_commas_are_dropped(text: str) -> None:
    rule = _only_rule(text)
    assert [t.text for t in rule.inputs] == ["a", "b"]


def test_trailing_comma_followed_by_a_space_is_an_error() -> None:
    error = _only_error("a, b, \n")
    assert error.reason == "term:  was completely eliminated by analyzer"


def test_keyword_analyzer_refuses_a_blank_term_as_a_zero_length_token() -> None:
    error = _only_error("a, , b\n", "keyword")
    assert error.reason == "term:  analyzed to a zero-length token"


def test_escaped_comma_stays_inside_the_term() -> None:
    rule = _only_rule("1\\,5 л, полтора литра\n")
    assert [t.text for t in rule.inputs] == ["1,5 л", "полтора литра"]


def test_escaped_arrow_is_not_a_mapping() -> None:
    rule = _only_rule("a\\=>b, c\n")
    assert not rule.is_mapping
    assert rule.inputs[0].text == "a=>b"


def test_escaped_backslash_is_one_backslash() -> None:
    rule = _only_rule("a\\\\b, c\n")
    assert rule.inputs[0].text == "a\\b"


def test_trailing_backslash_is_kept() -> None:
    rule = _only_rule("x, y\\\n")
    assert rule.inputs[1].text == "y\\"


def test_terms_are_trimmed_of_tabs_and_spaces() -> None:
    rule = _only_rule("\tfoo bar ,  baz\t\n")
    assert [t.text for t in rule.inputs] == ["foo bar", "baz"]


@pytest.mark.parametrize(
    "raw",
    ["a, b => c", "  шкаф-купе ,  шкаф\t=>  купе ", "1\\,5 л, x => y\\=>z", "a\\ , b", ",,a,,b,,=>c"],
)
def test_term_columns_point_at_the_term_as_written(raw: str) -> None:
    rule = _only_rule(raw + "\n")
    for term in rule.terms:
        written = raw[term.start : term.end]
        assert written.strip() == written or written.endswith("\\ ")
        assert term.text == written.replace("\\\\", "\x00").replace("\\", "").replace("\x00", "\\").strip()


def test_every_bad_line_is_reported_with_its_number() -> None:
    dictionary = _parse("a, b\na => b => c\nc, d\n  \ne, f, \n")
    assert [(e.line, e.raw) for e in dictionary.errors] == [(2, "a => b => c"), (4, "  "), (5, "e, f, ")]
    assert [r.line for r in dictionary.rules] == [1, 3]


def test_stop_word_at_the_start_is_an_error_under_the_russian_analyzer() -> None:
    error = _only_error("и стол, мебель\n", "russian")
    assert error.reason == "term: и стол analyzed to a token (стол) with position increment != 1 (got: 2)"


def test_stop_word_at_the_end_is_dropped_silently() -> None:
    rule = _parse("стол и, мебель\n", "russian").rules[0]
    assert rule.inputs[0].tokens == ("стол",)


def test_term_of_stop_words_only_is_eliminated() -> None:
    error = _only_error("и в на, стол\n", "russian")
    assert error.reason == "term: и в на was completely eliminated by analyzer"


def test_expand_makes_every_term_map_to_every_other() -> None:
    rule = _only_rule("a, b, c\n")
    pairs = {(m.input, m.output, m.keep_orig) for m in mappings(rule, expand=True)}
    assert pairs == {(x, y, True) for x in "abc" for y in "abc" if x != y}


def test_without_expand_every_term_maps_to_the_first_including_itself() -> None:
    rule = _only_rule("a, b, c\n")
    assert [(m.input, m.output, m.keep_orig) for m in mappings(rule, expand=False)] == [
        ("a", "a", False),
        ("b", "a", False),
        ("c", "a", False),
    ]


def test_explicit_mapping_replaces_every_input_with_every_output() -> None:
    rule = _only_rule("a, b => c, d\n")
    assert {(m.input, m.output, m.keep_orig) for m in mappings(rule, expand=True)} == {
        (i, o, False) for i in "ab" for o in "cd"
    }


def test_line_breaks_follow_java_readline() -> None:
    assert split_lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]
    assert split_lines("a\n\n") == ["a", ""]


@pytest.mark.parametrize("text", [",,,\n", "a, b =>,,\n", ",,=> c, d\n"])
def test_a_side_of_separators_only_makes_the_line_do_nothing(text: str) -> None:
    dictionary = _parse(text)
    assert dictionary.rules == () and dictionary.errors == ()
