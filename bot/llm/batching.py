"""Batch planning: as many items per request as the token budget and the cap allow."""

from __future__ import annotations

from collections.abc import Sequence


def plan_batches(costs: Sequence[int], *, budget: int, cap: int) -> list[list[int]]:
    """Split item indices, in order, into batches whose summed cost stays within ``budget``.

    An item that alone exceeds the budget still gets a batch of its own: refusing it would
    silently drop a rule from the review.
    """
    cap = max(1, cap)
    batches: list[list[int]] = []
    current: list[int] = []
    used = 0
    for index, cost in enumerate(costs):
        if current and (len(current) >= cap or used + cost > budget):
            batches.append(current)
            current, used = [], 0
        current.append(index)
        used += cost
    if current:
        batches.append(current)
    return batches


def halves(items: Sequence[int]) -> tuple[list[int], list[int]]:
    """Split a failing batch in two, for the retry after repeated failure."""
    middle = (len(items) + 1) // 2
    return list(items[:middle]), list(items[middle:])
