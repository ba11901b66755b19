"""The LLM validation engine: providers, labelers, batching, cache, cascade.

Callers need three names: :func:`build_engine` (``None`` for provider ``none``),
:func:`validate_rules` and :class:`LLMReport`.
"""

from bot.llm.engine import EngineConfig, LabelRun, LLMEngine, RunStats
from bot.llm.factory import LLMConfigError, build_engine
from bot.llm.validator import LLMReport, combine, validate_rules

__all__ = [
    "EngineConfig",
    "LLMConfigError",
    "LLMEngine",
    "LLMReport",
    "LabelRun",
    "RunStats",
    "build_engine",
    "combine",
    "validate_rules",
]
