"""The whole-dictionary index answers term, line and effect lookups across files."""

from __future__ import annotations

from synonyms.analysis import get_analyzer
from synonyms.index import DictionaryIndex, Role
from synonyms.parser import parse
from synonyms.rules import Kind


def _index(
    *files: tuple[str, str, Kind], analyzer: str = "whitespace", expand: bool = True
) -> DictionaryIndex:
    a = get_analyzer(analyzer)
    return DictionaryIndex.build(
        [parse(text, analyzer=a, path=p, kind=k) for p, text, k in files], expand=expand
    )


def test_terms_are_found_by_role_across_files() -> None:
    index = _index(
        ("synonyms/a.txt", "кеды, сникерсы\nтв => телик\n", Kind.SYNONYMS),
        ("typos/b.txt", "сникрсы => сникерсы\n", Kind.TYPOS),
    )
    assert [r.line for r in index.rules_with_term("сникерсы", Role.GROUP)] == [1]
    assert [(r.path, r.line) for r in index.rules_with_term("сникерсы", Role.OUTPUT)] == [("typos/b.txt", 1)]
    assert [r.raw for r in index.rules_with_term("тв", Role.INPUT)] == ["тв => телик"]
    assert index.rules_with_term("телик", Role.INPUT) == []
    assert index.kind_of("typos/b.txt") is Kind.TYPOS
    assert len(index) == 3


def test_lookups_use_analyzed_terms_and_exact_text_separately() -> None:
    index = _index(("synonyms/a.txt", "Шкаф-Купе, гардероб\n", Kind.SYNONYMS), analyzer="standard")
    assert [index.rule(r).line for r in index.refs_with_term("шкаф купе", Role.GROUP)] == [1]
    assert list(index.refs_with_text("Шкаф-Купе")) == [0]
    assert list(index.refs_with_text("шкаф купе")) == []


def test_a_term_repeated_in_many_rules_lists_every_rule_once() -> None:
    index = _index(("synonyms/a.txt", "кеды, кеды\nкеды, сникерсы\nкеды, кроссовки\n", Kind.SYNONYMS))
    assert [index.rule(r).line for r in index.refs_with_term("кеды", Role.GROUP)] == [1, 2, 3]


def test_rules_with_the_same_effect_are_found_whatever_their_order() -> None:
    index = _index(("synonyms/a.txt", "кеды, сникерсы\nсникерсы, кеды\nкеды => сникерсы\n", Kind.SYNONYMS))
    first = index.rule(0)
    assert [index.rule(r).line for r in index.refs_with_effect(first)] == [1, 2]


def test_without_expand_the_first_term_of_a_group_matters_for_its_effect() -> None:
    index = _index(("synonyms/a.txt", "кеды, сникерсы\nсникерсы, кеды\n", Kind.SYNONYMS), expand=False)
    assert [index.rule(r).line for r in index.refs_with_effect(index.rule(0))] == [1]


def test_exact_lines_are_found_ignoring_surrounding_spaces() -> None:
    index = _index(("synonyms/a.txt", "кеды, сникерсы\n  кеды, сникерсы  \n", Kind.SYNONYMS))
    assert [index.rule(r).line for r in index.refs_with_line("кеды, сникерсы")] == [1, 2]
