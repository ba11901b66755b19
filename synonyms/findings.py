"""Findings: plain data every check produces and every reporter reads."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Source(StrEnum):
    CHECK = "check"
    LLM = "llm"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place.

    ``suggestion`` is the full replacement text for lines ``line..end_line`` when the fix is
    certain: ``None`` means no suggestion, ``""`` means delete the line(s).
    ``message`` is in the language the caller asked for; ``message_en`` is kept so that
    machine consumers and logs have a stable English text.
    """

    path: str
    line: int
    severity: Severity
    code: str
    message: str
    suggestion: str | None = None
    end_line: int | None = None
    source: Source = Source.CHECK
    rule: str = ""

    @property
    def last_line(self) -> int:
        return self.end_line if self.end_line is not None else self.line

    def to_json(self) -> dict[str, object]:
        """The JSON shape pinned in DESIGN.md."""
        return {
            "path": self.path,
            "line": self.line,
            "end_line": self.last_line,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "suggestion": self.suggestion,
            "source": self.source.value,
        }
