"""The three shipped scenarios: synonym validation, typo validation, ESCI relevance."""

from __future__ import annotations

from typing import ClassVar

from bot.llm.labelers.base import Labeler, normalize_rule
from bot.llm.labelers.models import (
    EsciVerdict,
    PairItem,
    RuleItem,
    SynonymVerdict,
    TypoVerdict,
)


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


class SynonymLabeler(Labeler[RuleItem, SynonymVerdict]):
    """Is an equivalence list or mapping a fair synonym rule?"""

    scenario: ClassVar[str] = "synonym_validation"
    input_model = RuleItem
    output_model = SynonymVerdict

    def normalize(self, item: RuleItem) -> RuleItem:
        return RuleItem(rule=normalize_rule(item.rule))

    def postprocess(self, item: RuleItem, verdict: SynonymVerdict) -> SynonymVerdict:
        fixed = _blank_to_none(verdict.fixed_rule)
        if fixed is not None and normalize_rule(fixed) == normalize_rule(item.rule):
            fixed = None
        added = _blank_to_none(verdict.added_term)
        if added is not None and added.lower() in {
            t.strip().lower() for t in item.rule.replace("=>", ",").split(",")
        }:
            added = None
        if verdict.verdict == "valid":
            fixed, added = None, None
        return verdict.model_copy(update={"fixed_rule": fixed, "added_term": added})


class TypoLabeler(Labeler[RuleItem, TypoVerdict]):
    """Is the left side of ``typo => correction`` really a typo of the right side?"""

    scenario: ClassVar[str] = "typo_validation"
    input_model = RuleItem
    output_model = TypoVerdict
    output_tokens_per_item: ClassVar[int] = 45

    def normalize(self, item: RuleItem) -> RuleItem:
        return RuleItem(rule=normalize_rule(item.rule))

    def postprocess(self, item: RuleItem, verdict: TypoVerdict) -> TypoVerdict:
        fixed = _blank_to_none(verdict.fixed_rule)
        if fixed is not None and normalize_rule(fixed) == normalize_rule(item.rule):
            fixed = None
        if verdict.verdict == "valid":
            fixed = None
        return verdict.model_copy(update={"fixed_rule": fixed})


class EsciLabeler(Labeler[PairItem, EsciVerdict]):
    """ESCI relevance of a product title to a query (Exact, Substitute, Complement, Irrelevant)."""

    scenario: ClassVar[str] = "esci_relevance"
    input_model = PairItem
    output_model = EsciVerdict
    label_field: ClassVar[str] = "label"
    output_tokens_per_item: ClassVar[int] = 35

    def normalize(self, item: PairItem) -> PairItem:
        return PairItem(query=" ".join(item.query.split()), title=" ".join(item.title.split()))
