"""Labelers: one scenario each, sharing batching, caching and retries through the engine."""

from bot.llm.labelers.base import Labeler, normalize_rule
from bot.llm.labelers.models import (
    ESCI_CLASSES,
    SYNONYM_CLASSES,
    TYPO_CLASSES,
    EsciVerdict,
    PairItem,
    RuleItem,
    SynonymVerdict,
    TypoVerdict,
)
from bot.llm.labelers.scenarios import EsciLabeler, SynonymLabeler, TypoLabeler

__all__ = [
    "ESCI_CLASSES",
    "SYNONYM_CLASSES",
    "TYPO_CLASSES",
    "EsciLabeler",
    "EsciVerdict",
    "Labeler",
    "PairItem",
    "RuleItem",
    "SynonymLabeler",
    "SynonymVerdict",
    "TypoLabeler",
    "TypoVerdict",
    "normalize_rule",
]
