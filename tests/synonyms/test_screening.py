"""Screening mined candidates: duplicates dropped with reasons, group merges, checks as in a review."""

from __future__ import annotations

from synonyms.analysis import get_analyzer
from synonyms.candidates import Candidate
from synonyms.checks import CheckOptions
from synonyms.parser import parse
from synonyms.rules import Kind
from synonyms.screening import Rejection, Screening, Target, screen

ANALYZER = get_analyzer("standard")
CLOTHES = "# Одежда\nкроссовки, кроссы\nбрюки, штаны\nджинсы, джинсовые брюки\nплащ => плащ, тренч\n"
TYPOS = "кросовки => кроссовки\nтелевзор => телевизор\n"


def candidates(*rules: str, kind: Kind | None = None) -> list[Candidate]:
    return [Candidate(rule, line, kind) for line, rule in enumerate(rules, 1)]


def run(
    rules: list[Candidate],
    *,
    path: str = "synonyms/clothes.txt",
    text: str = CLOTHES,
    kind: Kind = Kind.SYNONYMS,
    others: dict[str, tuple[str, Kind]] | None = None,
    options: CheckOptions | None = None,
) -> Screening:
    parsed = [parse(t, analyzer=ANALYZER, path=p, kind=k) for p, (t, k) in (others or {}).items()]
    return screen(
        rules,
        target=Target(path, kind, text, parsed),
        analyzer=ANALYZER,
        options=options or CheckOptions(),
        header="# mined",
    )


def rejected(result: Screening) -> dict[str, str]:
    return {r.candidate.rule: r.code for r in result.rejected}


def test_a_candidate_the_dictionary_already_has_is_rejected_with_where() -> None:
    result = run(candidates("штаны, брюки", "Брюки, Штаны"))
    assert rejected(result) == {"штаны, брюки": "already-covered", "Брюки, Штаны": "already-covered"}
    assert "synonyms/clothes.txt:3" in result.rejected[0].reason
    assert not result.changed


def test_a_subset_of_an_existing_group_is_covered_too() -> None:
    text = "кеды, сникерсы, слипоны\nарбуз, кавун\n"
    assert rejected(run(candidates("слипоны, кеды"), text=text)) == {"слипоны, кеды": "already-covered"}


def test_a_candidate_repeating_an_earlier_one_is_rejected_with_its_input_line() -> None:
    result = run(candidates("сарафан, летнее платье", "летнее платье, сарафан"))
    assert [a.candidate.rule for a in result.accepted] == ["сарафан, летнее платье"]
    (rejection,) = result.rejected
    assert rejection.code == "duplicate-candidate" and "1" in rejection.reason


def test_a_synonym_sharing_a_term_with_one_group_joins_that_group() -> None:
    result = run(candidates("кроссы, кросы"))
    (accepted,) = result.accepted
    assert accepted.merged and accepted.line == 2
    assert result.new_text.splitlines()[1] == "кроссовки, кроссы, кросы"
    assert len(result.new_text.splitlines()) == len(CLOTHES.splitlines())


def test_candidates_sharing_a_new_group_become_one_line() -> None:
    result = run(candidates("сарафан, летнее платье", "сарафан, платье-сарафан"))
    assert result.new_text.endswith("# mined\nсарафан, летнее платье, платье-сарафан\n")
    assert [a.line for a in result.accepted] == [8, 8]


def test_a_candidate_bridging_two_groups_is_rejected() -> None:
    result = run(candidates("штаны, джинсовые брюки"))
    assert rejected(result) == {"штаны, джинсовые брюки": "spans-several-groups"}


def test_a_file_of_one_way_rules_gets_a_new_line_instead_of_a_merge() -> None:
    text = "плащ => плащ, тренч\nкуртка => куртка, пуховик\nшуба, манто\n"
    result = run(candidates("шуба, доха"), text=text)
    assert rejected(result) == {"шуба, доха": "term-in-several-groups"}


def test_a_rule_elasticsearch_refuses_is_rejected_with_the_specific_code() -> None:
    result = run(candidates("a => b => c", "кеды, , ", "# комментарий"))
    assert rejected(result) == {
        "a => b => c": "multiple-arrows",
        "кеды, , ": "empty-term",
        "# комментарий": "not-a-rule",
    }


def test_a_candidate_of_the_other_kind_is_rejected() -> None:
    result = run(candidates("кросовки => кроссовки", kind=Kind.TYPOS))
    assert rejected(result) == {"кросовки => кроссовки": "kind-mismatch"}


def test_a_term_grouped_in_another_file_is_not_grouped_again_here() -> None:
    others = {"synonyms/shoes.txt": ("кеды, сникерсы\n", Kind.SYNONYMS)}
    result = run(candidates("кеды, слипоны"), others=others)
    assert rejected(result) == {"кеды, слипоны": "term-in-other-file"}


def test_typo_candidates_are_checked_like_typo_rules() -> None:
    result = run(
        candidates("халадильник => холодильник", "телевзор => телевизор", "утюк, утюг", "плита => плитка"),
        path="typos/typos.txt",
        text=TYPOS,
        kind=Kind.TYPOS,
    )
    assert [a.candidate.rule for a in result.accepted] == ["халадильник => холодильник"]
    assert rejected(result) == {
        "телевзор => телевизор": "already-covered",
        "утюк, утюг": "typo-not-one-way",
        "плита => плитка": "typo-is-real-word",
    }


def test_of_two_candidates_that_clash_the_later_one_is_rejected() -> None:
    result = run(candidates("тв => телик", "телик => телевизор"), path="synonyms/tv.txt", text="")
    assert [a.candidate.rule for a in result.accepted] == ["тв => телик"]
    assert rejected(result) == {"телик => телевизор": "chained-mapping"}


def test_a_merge_that_makes_a_group_too_large_is_rejected_and_the_group_kept() -> None:
    text = "a1, a2, a3\nb1, b2\n"
    result = run(candidates("a1, a4", "a1, a5"), text=text, options=CheckOptions(max_group_size=4))
    assert rejected(result) == {"a1, a5": "group-too-large"}
    assert result.new_text == "a1, a2, a3, a4\nb1, b2\n"


def test_accepted_lines_are_reported_where_they_land_and_as_rules_for_the_llm() -> None:
    result = run(candidates("сарафан, летнее платье", "кроссы, кросы"))
    assert [(a.candidate.rule, a.line) for a in result.accepted] == [
        ("сарафан, летнее платье", 8),
        ("кроссы, кросы", 2),
    ]
    assert [(r.line, r.raw) for r in result.rules] == [
        (2, "кроссовки, кроссы, кросы"),
        (8, "сарафан, летнее платье"),
    ]


def test_vetoes_from_outside_reject_a_candidate_and_free_its_line() -> None:
    rules = candidates("сарафан, летнее платье")
    first = run(rules)
    veto = Rejection(rules[0], "llm-wrong-meaning", "термины различаются по смыслу")
    again = screen(
        rules,
        target=Target("synonyms/clothes.txt", Kind.SYNONYMS, CLOTHES),
        analyzer=ANALYZER,
        options=CheckOptions(),
        vetoes={1: veto},
    )
    assert first.changed and not again.changed
    assert again.rejected == (veto,)
