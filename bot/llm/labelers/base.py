"""A labeler is one scenario: input model, output model, prompt template, post-processing.

Everything here is pure: turning items into a chat request and an answer's entries into
verdicts. The engine does the calling, caching and retrying for every labeler alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from bot.llm.prompts import PromptTemplate, load_prompt
from bot.llm.wire import ChatRequest

In = TypeVar("In", bound=BaseModel)
Out = TypeVar("Out", bound=BaseModel)

_SPACES = re.compile(r"\s+")
_COMMA = re.compile(r"\s*,\s*")
_ARROW = re.compile(r"\s*=>\s*")


def normalize_rule(text: str) -> str:
    """The rule as the cache sees it: one space after commas and around ``=>``, no runs of spaces."""
    text = _SPACES.sub(" ", text.strip())
    text = _COMMA.sub(", ", text)
    return _ARROW.sub(" => ", text)


class Labeler(Generic[In, Out]):
    """Base of the scenarios; subclasses set the class attributes and may refine hooks."""

    scenario: ClassVar[str]
    input_model: type[In]
    output_model: type[Out]
    label_field: ClassVar[str] = "verdict"
    output_tokens_per_item: ClassVar[int] = 60  # rough answer size, part of the batch budget

    def __init__(self, prompt: PromptTemplate | None = None, *, version: str | None = None) -> None:
        self.prompt = prompt or load_prompt(self.scenario, version)

    @property
    def version(self) -> str:
        return self.prompt.version

    def normalize(self, item: In) -> In:
        """Canonical form of an item, before rendering and caching."""
        return item

    def render_item(self, item_id: int, item: In) -> str:
        """One numbered line of the user message."""
        return json.dumps({"id": item_id, **item.model_dump(mode="json")}, ensure_ascii=False)

    def cache_text(self, item: In) -> str:
        """The item part of the cache key."""
        return json.dumps(self.normalize(item).model_dump(mode="json"), ensure_ascii=False, sort_keys=True)

    def answer_schema(self) -> dict[str, Any]:
        """JSON Schema of the whole answer: ``{"items": [{"id": n, ...verdict}]}``."""
        entry = self.output_model.model_json_schema()
        properties = {"id": {"type": "integer"}, **entry.get("properties", {})}
        required = ["id", *entry.get("required", [])]
        item_schema: dict[str, Any] = {"type": "object", "properties": properties, "required": required}
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {"items": {"type": "array", "items": item_schema}},
            "required": ["items"],
        }
        if "$defs" in entry:
            schema["$defs"] = entry["$defs"]
        return schema

    def build_request(self, numbered: Sequence[tuple[int, In]], *, model: str) -> ChatRequest:
        """The chat request for a batch of (id, item) pairs."""
        block = "\n".join(self.render_item(i, self.normalize(item)) for i, item in numbered)
        return ChatRequest(
            model=model,
            messages=self.prompt.messages(block),
            schema_name=self.scenario,
            schema=self.answer_schema(),
            max_tokens=256 + self.output_tokens_per_item * 2 * len(numbered),
        )

    def postprocess(self, item: In, verdict: Out) -> Out:
        """Clean a validated verdict (drop no-op fixes and the like)."""
        return verdict

    def label_of(self, verdict: Out) -> str:
        return str(getattr(verdict, self.label_field))

    def confidence_of(self, verdict: Out) -> float:
        return float(getattr(verdict, "confidence", 1.0))
