from __future__ import annotations

import json

from bot.llm.answers import parse_batch_answer
from bot.llm.labelers import SynonymVerdict


def _answer(*entries: dict[str, object]) -> str:
    return json.dumps({"items": list(entries)}, ensure_ascii=False)


def _ok(i: object, verdict: str = "valid") -> dict[str, object]:
    return {"id": i, "verdict": verdict, "confidence": 0.9, "reason": "ок"}


def test_every_id_answered_once_gives_every_verdict() -> None:
    answer = parse_batch_answer(_answer(_ok(1), _ok(2, "too_broad")), ids=[1, 2], model=SynonymVerdict)
    assert answer.missing == ()
    assert answer.verdicts[2].verdict == "too_broad"


def test_a_missing_id_is_reported_missing() -> None:
    answer = parse_batch_answer(_answer(_ok(1)), ids=[1, 2, 3], model=SynonymVerdict)
    assert answer.missing == (2, 3)


def test_an_unknown_id_is_ignored_not_assigned() -> None:
    answer = parse_batch_answer(_answer(_ok(1), _ok(7)), ids=[1, 2], model=SynonymVerdict)
    assert set(answer.verdicts) == {1}
    assert answer.missing == (2,)
    assert any("unknown id 7" in p for p in answer.problems)


def test_an_id_answered_twice_counts_as_unanswered() -> None:
    twice = _answer(_ok(1), _ok(1, "wrong_meaning"), _ok(2))
    answer = parse_batch_answer(twice, ids=[1, 2], model=SynonymVerdict)
    assert answer.missing == (1,)
    assert set(answer.verdicts) == {2}


def test_an_entry_that_does_not_validate_is_unanswered() -> None:
    bad = {"id": 1, "verdict": "maybe", "confidence": 0.9}
    worse = {"id": 2, "verdict": "valid", "confidence": 7}
    answer = parse_batch_answer(_answer(bad, worse, _ok(3)), ids=[1, 2, 3], model=SynonymVerdict)
    assert answer.missing == (1, 2)


def test_string_ids_and_a_bare_list_are_accepted() -> None:
    answer = parse_batch_answer(json.dumps([_ok("1"), _ok(" 2 ")]), ids=[1, 2], model=SynonymVerdict)
    assert answer.missing == ()


def test_a_garbled_answer_leaves_every_id_missing() -> None:
    answer = parse_batch_answer('{"items": [{"id": 1, "verdict": ', ids=[1, 2], model=SynonymVerdict)
    assert answer.missing == (1, 2)
    assert answer.verdicts == {}
