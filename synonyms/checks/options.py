"""What the checks need to know about the target index and the team's preferences."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from synonyms.findings import Severity

Language = Literal["ru", "en"]


@dataclass(frozen=True, slots=True)
class CheckOptions:
    expand: bool = True
    language: Language = "ru"
    max_group_size: int = 10
    severities: dict[str, Severity] = field(default_factory=dict)
    disabled: frozenset[str] = frozenset()
