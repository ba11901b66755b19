from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.llm.batching import halves, plan_batches
from bot.llm.tokens import estimate_tokens


def test_batches_respect_the_cap() -> None:
    assert [len(b) for b in plan_batches([1] * 7, budget=100, cap=3)] == [3, 3, 1]


def test_batches_respect_the_token_budget() -> None:
    assert plan_batches([40, 40, 40, 10], budget=90, cap=50) == [[0, 1], [2, 3]]


def test_an_item_above_the_budget_still_gets_its_own_batch() -> None:
    assert plan_batches([5, 500, 5], budget=100, cap=50) == [[0], [1], [2]]


@given(st.lists(st.integers(1, 200), max_size=80), st.integers(1, 400), st.integers(1, 60))
def test_every_item_is_planned_exactly_once_in_order(costs: list[int], budget: int, cap: int) -> None:
    batches = plan_batches(costs, budget=budget, cap=cap)
    assert [i for b in batches for i in b] == list(range(len(costs)))
    for batch in batches:
        assert len(batch) <= cap
        assert len(batch) == 1 or sum(costs[i] for i in batch) <= budget


def test_halves_split_a_failing_batch_in_two() -> None:
    assert halves([1, 2, 3]) == ([1, 2], [3])


def test_cyrillic_costs_more_tokens_per_character_than_latin() -> None:
    russian, english = "холодильник", "refrigerator"
    assert estimate_tokens(russian) / len(russian) > estimate_tokens(english) / len(english)
    assert estimate_tokens("") == 0
    assert estimate_tokens('{"id": 1, "rule": "кросы => кроссовки"}') > 10
