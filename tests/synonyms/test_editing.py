"""Edits that keep a dictionary file's order and style: only new and extended lines change."""

from __future__ import annotations

from synonyms.analysis import WhitespaceAnalyzer
from synonyms.editing import FileStyle, apply_edits, detect_style, extend_group
from synonyms.parser import parse, parse_line
from synonyms.rules import Rule


def style_of(text: str) -> FileStyle:
    return detect_style(parse(text, analyzer=WhitespaceAnalyzer(), path="f.txt"), text)


def rule(text: str) -> Rule:
    parsed = parse_line(text, path="f.txt", line=1, analyzer=WhitespaceAnalyzer())
    assert isinstance(parsed, Rule)
    return parsed


def test_a_sorted_file_gets_new_lines_at_their_sorted_place() -> None:
    text = "# header\nарбуз, кавун\nбрюки, штаны\nкеды, сникерсы\nюбка, скирт\n"
    style = style_of(text)
    assert style.is_sorted
    edited = apply_edits(text, style=style, additions=["ведро, бадья", "яблоко, apple"], header="# mined")
    assert edited.text == (
        "# header\nарбуз, кавун\nбрюки, штаны\nведро, бадья\nкеды, сникерсы\nюбка, скирт\nяблоко, apple\n"
    )
    assert edited.added == (4, 7)


def test_sorting_ignores_case_and_treats_yo_as_e() -> None:
    text = "Ёлка, ель\nжук, жучок\nзонт, зонтик\n"
    assert style_of(text).is_sorted


def test_an_unsorted_file_gets_new_lines_at_the_end_under_the_header() -> None:
    text = "кеды, сникерсы\nарбуз, кавун\nюбка, скирт\n"
    style = style_of(text)
    assert not style.is_sorted
    edited = apply_edits(text, style=style, additions=["ведро, бадья"], header="# --- mined ---")
    assert edited.text == text + "\n# --- mined ---\nведро, бадья\n"
    assert edited.added == (6,)


def test_crlf_and_a_missing_final_newline_are_kept() -> None:
    text = "кеды, сникерсы\r\nарбуз, кавун\r\nюбка, скирт"
    style = style_of(text)
    assert style.newline == "\r\n" and not style.final_newline
    edited = apply_edits(text, style=style, additions=["ведро, бадья"])
    assert edited.text == "кеды, сникерсы\r\nарбуз, кавун\r\nюбка, скирт\r\nведро, бадья"


def test_untouched_lines_keep_their_own_line_endings() -> None:
    text = "кеды, сникерсы\r\nарбуз, кавун\nюбка, скирт\r\n"
    edited = apply_edits(text, style=style_of(text), replacements={2: "арбуз, кавун, гарбуз"})
    assert edited.text == "кеды, сникерсы\r\nарбуз, кавун, гарбуз\nюбка, скирт\r\n"
    assert edited.extended == {2: 2}


def test_new_rules_are_written_with_the_files_separators() -> None:
    text = "кеды,сникерсы\nтв=>телевизор\nарбуз,кавун\n"
    style = style_of(text)
    assert (style.separator, style.arrow) == (",", "=>")
    assert style.render(rule("ведро ,  бадья => таз, ушат")) == "ведро,бадья=>таз,ушат"


def test_default_style_for_an_empty_file() -> None:
    style = style_of("")
    assert (style.separator, style.arrow, style.newline, style.final_newline) == (", ", " => ", "\n", True)
    edited = apply_edits("", style=style, additions=["ведро, бадья"], header="# mined")
    assert edited.text == "# mined\nведро, бадья\n"


def test_escapes_survive_rendering() -> None:
    assert FileStyle().render(rule("ноутбук 15\\,6, ноутбук 15.6")) == "ноутбук 15\\,6, ноутбук 15.6"


def test_extending_a_group_appends_after_its_last_term_and_keeps_the_rest() -> None:
    assert (
        extend_group(rule("кеды, сникерсы  "), ["кеды низкие"], FileStyle())
        == "кеды, сникерсы, кеды низкие  "
    )


def test_a_file_of_groups_is_recognised_as_group_style() -> None:
    assert style_of("кеды, сникерсы\nарбуз, кавун\nтв => телевизор\n").groups
    assert not style_of("кросовки => кроссовки\nтв => телевизор\nарбуз, кавун\n").groups
