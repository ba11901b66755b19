"""LLM providers: thin adapters that move bytes through an injected ``httpx.AsyncClient``."""

from bot.llm.providers.gigachat import GigaChatProvider
from bot.llm.providers.openai import OpenAIProvider

__all__ = ["GigaChatProvider", "OpenAIProvider"]
