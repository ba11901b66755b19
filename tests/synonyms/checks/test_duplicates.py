"""Duplicates family: repeats, overlaps, chains and cycles across the dictionary."""

from __future__ import annotations

from synonyms.analysis import get_analyzer
from synonyms.checks import CheckOptions, check_changed, check_dictionaries, check_removed
from synonyms.index import DictionaryIndex
from synonyms.parser import parse, parse_line
from synonyms.rules import Dictionary, Kind, Rule
from tests.synonyms.checks.helpers import check_text, codes

WS = get_analyzer("whitespace")


def _dict(path: str, text: str, kind: Kind = Kind.SYNONYMS) -> Dictionary:
    return parse(text, analyzer=WS, path=path, kind=kind)


def _rule(raw: str, *, path: str = "synonyms/a.txt", line: int = 99) -> Rule:
    rule = parse_line(raw, path=path, line=line, analyzer=WS)
    assert isinstance(rule, Rule)
    return rule


def test_a_repeated_line_is_reported_once_on_the_later_line_with_a_delete() -> None:
    [finding] = check_text("кеды, сникерсы\nтелик, телевизор\nкеды, сникерсы\n")
    assert (finding.code, finding.line, finding.suggestion) == ("duplicate-line", 3, "")
    assert "synonyms/s.txt:1" in finding.message


def test_a_rule_repeated_in_another_file_is_reported_without_a_suggestion() -> None:
    dicts = [_dict("synonyms/a.txt", "кеды, сникерсы\n"), _dict("synonyms/b.txt", "сникерсы, кеды\n")]
    [finding] = check_dictionaries(dicts, analyzer=WS, options=CheckOptions())
    assert (finding.path, finding.code, finding.suggestion) == ("synonyms/b.txt", "duplicate-rule", None)


def test_a_synonym_rule_and_a_typo_rule_with_the_same_text_are_not_duplicates() -> None:
    dicts = [
        _dict("synonyms/a.txt", "тв => телевизор\n"),
        _dict("typos/a.txt", "тв => телевизор\n", Kind.TYPOS),
    ]
    assert "duplicate-line" not in codes(check_dictionaries(dicts, analyzer=WS, options=CheckOptions()))


def test_a_term_in_two_groups_is_reported_once_on_the_later_group() -> None:
    [finding] = check_text("кеды, сникерсы\nтелик, тв\nкеды, кроссовки\n")
    assert (finding.code, finding.line) == ("term-in-several-groups", 3)


def test_a_mapping_into_a_mapped_term_is_a_chain() -> None:
    [finding] = check_text("тв => телик\nтелик => телевизор\n")
    assert (finding.code, finding.line) == ("chained-mapping", 1)


def test_a_mapping_into_a_group_member_is_a_chain() -> None:
    assert codes(check_text("тв => телик\nтелик, телевизор\n")) == ["chained-mapping"]


def test_a_typo_correction_that_a_synonym_rule_expands_is_not_a_chain() -> None:
    dicts = [
        _dict("typos/t.txt", "телек => телик\n", Kind.TYPOS),
        _dict("synonyms/s.txt", "телик, телевизор\n"),
    ]
    assert "chained-mapping" not in codes(check_dictionaries(dicts, analyzer=WS, options=CheckOptions()))


def test_a_cycle_is_one_error_on_its_second_rule() -> None:
    [finding] = check_text("телик => телевизор\nтелевизор => телик\n")
    assert (finding.code, finding.line) == ("mapping-cycle", 2)


def test_a_repeated_term_is_dropped_in_the_suggestion() -> None:
    [finding] = check_text("тв, телик => телевизор, телевизор\n")
    assert (finding.code, finding.suggestion) == ("duplicate-term", "тв, телик => телевизор")


def test_a_changed_rule_is_compared_with_every_other_rule_but_not_itself() -> None:
    head = _dict("synonyms/a.txt", "кеды, сникерсы\nтелик, телевизор\nкеды, сникерсы\n")
    index = DictionaryIndex.build([head])
    options = CheckOptions()
    first, _, third = head.rules
    assert codes(check_changed([first], index=index, analyzer=WS, options=options)) == ["duplicate-line"]
    assert codes(check_changed([third], index=index, analyzer=WS, options=options)) == ["duplicate-line"]
    assert check_changed([head.rules[1]], index=index, analyzer=WS, options=options) == []


def test_a_changed_rule_that_continues_an_existing_mapping_is_a_chain() -> None:
    index = DictionaryIndex.build([_dict("synonyms/a.txt", "тв => телик\n")])
    findings = check_changed([_rule("телик => телевизор")], index=index, analyzer=WS, options=CheckOptions())
    assert codes(findings) == ["chained-mapping"]
    assert "synonyms/a.txt:1" in findings[0].message


def test_a_changed_rule_that_closes_a_cycle_is_an_error() -> None:
    index = DictionaryIndex.build([_dict("synonyms/a.txt", "телик => телевизор\n")])
    findings = check_changed([_rule("телевизор => телик")], index=index, analyzer=WS, options=CheckOptions())
    assert codes(findings) == ["mapping-cycle"]


def test_removing_a_group_that_a_mapping_still_leads_to_is_reported() -> None:
    index = DictionaryIndex.build([_dict("synonyms/a.txt", "тв => телик\n")])
    removed = _rule("телик, телевизор", line=2)
    [finding] = check_removed([removed], index=index, options=CheckOptions())
    assert (finding.code, finding.line, finding.path) == ("removed-rule-referenced", 2, "synonyms/a.txt")


def test_removing_a_group_whose_terms_another_rule_still_expands_is_fine() -> None:
    index = DictionaryIndex.build([_dict("synonyms/a.txt", "тв => телик\nтелик, телек\n")])
    assert check_removed([_rule("телик, телевизор", line=3)], index=index, options=CheckOptions()) == []


def test_removing_a_rule_nobody_maps_to_is_fine() -> None:
    index = DictionaryIndex.build([_dict("synonyms/a.txt", "кеды, сникерсы\n")])
    assert check_removed([_rule("телик, телевизор")], index=index, options=CheckOptions()) == []
