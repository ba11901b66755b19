"""Evaluation figures: a labeled dataset, predictions, and the metrics a team compares.

Pure computation and rendering; running the checks or a model is :mod:`bot.llm.evaluate`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, ValidationError

from synonyms.rules import Kind

NO_ANSWER = "no_answer"


class DatasetError(ValueError):
    """A dataset line is not a labeled rule."""


class LabeledRule(BaseModel):
    """One line of a dataset JSONL file (see ``datasets/README.md``)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    kind: Kind
    rule: str
    label: str
    domain: str = ""
    fixed_rule: str | None = None
    added_term: str | None = None


def load_dataset(text: str) -> list[LabeledRule]:
    """Parse JSON Lines; blank lines are skipped, a bad line is an error with its number."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(LabeledRule.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise DatasetError(f"line {number}: not a labeled rule ({exc})") from exc
    return rows


@dataclass(frozen=True, slots=True)
class ClassFigures:
    precision: float
    recall: float
    support: int


@dataclass(frozen=True, slots=True)
class Metrics:
    total: int
    accuracy: float
    per_class: dict[str, ClassFigures]
    confusion: dict[str, dict[str, int]]  # gold -> predicted -> count
    labels: tuple[str, ...]


def compute_metrics(gold: Sequence[str], predicted: Sequence[str]) -> Metrics:
    """Accuracy, per-class precision and recall, and the confusion matrix."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    labels = tuple(sorted(set(gold) | set(predicted), key=lambda x: (x == NO_ANSWER, x)))
    pairs = Counter(zip(gold, predicted, strict=True))
    confusion = {g: {p: pairs.get((g, p), 0) for p in labels} for g in labels}
    per_class = {}
    for label in labels:
        hits = pairs.get((label, label), 0)
        predicted_n = sum(pairs.get((g, label), 0) for g in labels)
        support = sum(pairs.get((label, p), 0) for p in labels)
        per_class[label] = ClassFigures(
            precision=hits / predicted_n if predicted_n else 0.0,
            recall=hits / support if support else 0.0,
            support=support,
        )
    correct = sum(n for (g, p), n in pairs.items() if g == p)
    return Metrics(
        total=len(gold),
        accuracy=correct / len(gold) if gold else 0.0,
        per_class=per_class,
        confusion=confusion,
        labels=labels,
    )


@dataclass(slots=True)
class EvalResult:
    """Figures of one configuration on one kind of rules."""

    name: str
    kind: str
    metrics: Metrics
    calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    seconds: float = 0.0
    unanswered: int = 0
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "kind": self.kind,
            "total": self.metrics.total,
            "accuracy": round(self.metrics.accuracy, 4),
            "per_class": {
                k: {"precision": round(v.precision, 4), "recall": round(v.recall, 4), "support": v.support}
                for k, v in self.metrics.per_class.items()
            },
            "confusion": self.metrics.confusion,
            "calls": self.calls,
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "seconds": round(self.seconds, 3),
            "unanswered": self.unanswered,
            "notes": self.notes,
        }


def render_text(results: Sequence[EvalResult]) -> str:
    """Side by side per kind: one column per configuration."""
    lines: list[str] = []
    for kind in dict.fromkeys(r.kind for r in results):
        group = [r for r in results if r.kind == kind]
        width = max(14, *(len(r.name) + 2 for r in group))
        lines.append(f"== {kind} ({group[0].metrics.total} rules)")
        lines.append("".ljust(24) + "".join(r.name.rjust(width) for r in group))

        def row(title: str, values: Sequence[str]) -> None:
            lines.append(title.ljust(24) + "".join(v.rjust(width) for v in values))  # noqa: B023

        row("accuracy", [f"{r.metrics.accuracy:.1%}" for r in group])
        labels = list(dict.fromkeys(label for r in group for label in r.metrics.labels))
        for label in labels:
            row(
                f"  {label} P/R",
                [
                    f"{f.precision:.2f}/{f.recall:.2f}" if (f := r.metrics.per_class.get(label)) else "-"
                    for r in group
                ],
            )
        row("calls", [str(r.calls) for r in group])
        row("tokens in / out", [f"{r.tokens_in}/{r.tokens_out}" for r in group])
        row("time, s", [f"{r.seconds:.2f}" for r in group])
        row("unanswered", [str(r.unanswered) for r in group])
        for r in group:
            lines.append(f"confusion ({r.name}; rows gold, columns predicted):")
            labels_r = r.metrics.labels
            lines.append("".ljust(18) + "".join(label[:10].rjust(11) for label in labels_r))
            for gold in labels_r:
                lines.append(
                    gold[:16].ljust(18)
                    + "".join(str(r.metrics.confusion[gold][p]).rjust(11) for p in labels_r)
                )
            lines.extend(f"note: {n}" for n in r.notes)
        lines.append("")
    return "\n".join(lines)
