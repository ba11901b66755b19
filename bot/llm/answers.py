"""A batch answer, checked item by item: keyed by id, validated, nothing invented.

The model numbers its verdicts with the ids we sent. An id we did not send is ignored, an
id answered twice is treated as unanswered (we cannot tell which verdict is meant), and an
entry that does not validate is unanswered too; the engine asks again for exactly those.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from bot.llm.errors import LLMAnswerInvalid
from bot.llm.wire import extract_json

Out = TypeVar("Out", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class BatchAnswer(Generic[Out]):
    """Valid verdicts by id, the ids still to ask for, and what was wrong (for logs)."""

    verdicts: Mapping[int, Out]
    missing: tuple[int, ...]
    problems: tuple[str, ...] = field(default=())


def _entries(value: Any) -> list[Any]:
    if isinstance(value, dict):
        for key in ("items", "results", "verdicts", "answers"):
            if isinstance(value.get(key), list):
                return list(value[key])
        if "id" in value:
            return [value]
        raise LLMAnswerInvalid("JSON object without an items list")
    if isinstance(value, list):
        return value
    raise LLMAnswerInvalid("answer is neither a JSON object nor a list")


def _entry_id(entry: Any) -> int | None:
    if not isinstance(entry, dict):
        return None
    raw = entry.get("id")
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    return None


def parse_batch_answer(content: str, *, ids: Collection[int], model: type[Out]) -> BatchAnswer[Out]:
    """Check an answer against the ids sent; an unreadable answer leaves every id missing."""
    try:
        entries = _entries(extract_json(content))
    except LLMAnswerInvalid as exc:
        return BatchAnswer(verdicts={}, missing=tuple(sorted(ids)), problems=(str(exc),))
    expected = set(ids)
    problems: list[str] = []
    counts = Counter(i for i in map(_entry_id, entries) if i is not None)
    verdicts: dict[int, Out] = {}
    for entry in entries:
        item_id = _entry_id(entry)
        if item_id is None:
            problems.append("entry without a numeric id")
            continue
        if item_id not in expected:
            problems.append(f"unknown id {item_id}")
            continue
        if counts[item_id] > 1:
            problems.append(f"id {item_id} answered {counts[item_id]} times")
            continue
        fields = {k: v for k, v in entry.items() if k != "id"}
        try:
            verdicts[item_id] = model.model_validate(fields)
        except ValidationError as exc:
            problems.append(f"id {item_id}: {exc.error_count()} validation errors")
    missing = tuple(sorted(expected - verdicts.keys()))
    return BatchAnswer(verdicts=verdicts, missing=missing, problems=tuple(dict.fromkeys(problems)))
