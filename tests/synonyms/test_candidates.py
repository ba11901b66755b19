"""Reading mined candidates: JSON Lines and TSV, with the input line of every candidate and clear errors."""

from __future__ import annotations

import pytest

from synonyms.candidates import Candidate, CandidateError, parse_candidates
from synonyms.rules import Kind


def test_json_lines_keep_rule_kind_evidence_and_input_line() -> None:
    text = (
        '{"rule": "кросовки => кроссовки", "kind": "typos", "evidence": {"reformulations": 120}}\n'
        "\n"
        '{"rule": "  худи, толстовка  "}\n'
    )
    first, second = parse_candidates(text)
    assert first == Candidate("кросовки => кроссовки", 1, Kind.TYPOS)
    assert first.evidence == {"reformulations": 120}
    assert (second.rule, second.line, second.kind, dict(second.evidence)) == ("худи, толстовка", 3, None, {})


def test_singular_kind_names_are_accepted() -> None:
    (candidate,) = parse_candidates('{"rule": "a, b", "kind": "synonym"}\n')
    assert candidate.kind is Kind.SYNONYMS


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"rule": "a, b"', "not valid JSON"),
        ('["a, b"]', "expected a JSON object"),
        ('{"kind": "typos"}', "no 'rule' key"),
        ('{"rule": 5}', "'rule' must be a string"),
        ('{"rule": "   "}', "'rule' is empty"),
        ('{"rule": "a\\nb"}', "one line"),
        ('{"rule": "a, b", "kind": "stems"}', "neither 'synonyms' nor 'typos'"),
        ('{"rule": "a, b", "evidence": [1]}', "'evidence' must be a JSON object"),
    ],
)
def test_a_bad_json_line_names_its_line_number(line: str, message: str) -> None:
    text = '{"rule": "a, b"}\n' + line + "\n"
    with pytest.raises(CandidateError) as caught:
        parse_candidates(text)
    assert caught.value.line == 2
    assert str(caught.value).startswith("line 2: ") and message in str(caught.value)


def test_tsv_without_header_reads_rule_kind_reformulations_and_queries() -> None:
    (candidate,) = parse_candidates("ноудбук => ноутбук\ttypos\t42\tноудбук асус|ноудбук 15\n")
    assert candidate.rule == "ноудбук => ноутбук" and candidate.kind is Kind.TYPOS
    assert candidate.evidence == {"reformulations": 42, "queries": ["ноудбук асус", "ноудбук 15"]}


def test_tsv_header_names_evidence_columns() -> None:
    text = "rule\tctr\tsource\nкеды, сникерсы\t0.12\tclicks\n"
    (candidate,) = parse_candidates(text)
    assert candidate.line == 2 and candidate.kind is None
    assert candidate.evidence == {"ctr": 0.12, "source": "clicks"}


def test_tsv_with_too_many_columns_is_an_error() -> None:
    with pytest.raises(CandidateError, match=r"^line 1: 5 columns"):
        parse_candidates("a, b\tsynonyms\t1\tq\textra\n")


def test_empty_input_has_no_candidates() -> None:
    assert parse_candidates("\n\n") == []
