"""Input and output models of the shipped scenarios (pydantic: they cross the LLM boundary)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SynonymClass = Literal["valid", "too_broad", "too_narrow", "wrong_meaning", "one_way", "translit"]
TypoClass = Literal["valid", "slang", "not_a_typo", "wrong_correction"]
EsciClass = Literal["exact", "substitute", "complement", "irrelevant"]

SYNONYM_CLASSES: tuple[str, ...] = SynonymClass.__args__  # type: ignore[attr-defined]
TYPO_CLASSES: tuple[str, ...] = TypoClass.__args__  # type: ignore[attr-defined]
ESCI_CLASSES: tuple[str, ...] = EsciClass.__args__  # type: ignore[attr-defined]

REASON_LIMIT = 300


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    confidence: float = Field(ge=0.0, le=1.0)
    reason: str = ""

    @field_validator("reason", mode="before")
    @classmethod
    def _short_reason(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip()[:REASON_LIMIT]
        return "" if value is None else value

    @field_validator("verdict", "label", mode="before", check_fields=False)
    @classmethod
    def _lower_label(cls, value: object) -> object:
        return value.strip().lower().replace("-", "_").replace(" ", "_") if isinstance(value, str) else value


class RuleItem(BaseModel):
    """A dictionary rule as written in the file."""

    model_config = ConfigDict(frozen=True)
    rule: str


class PairItem(BaseModel):
    """A query × product title pair."""

    model_config = ConfigDict(frozen=True)
    query: str
    title: str


class SynonymVerdict(_Answer):
    verdict: SynonymClass
    fixed_rule: str | None = None
    added_term: str | None = None


class TypoVerdict(_Answer):
    verdict: TypoClass
    fixed_rule: str | None = None


class EsciVerdict(_Answer):
    label: EsciClass
