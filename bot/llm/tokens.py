"""Token estimate for prompts when the provider has no counting endpoint.

Modern BPE vocabularies (GPT-4o's o200k, GigaChat's, Qwen's) spend about 3 characters per
token on Russian (GigaChat's docs: "в среднем в одном токене 3—4 символа") and about 4 on
English; punctuation and JSON syntax cost a token each more often than not. The estimate
rounds every word up, so it errs on the side of smaller batches.
"""

from __future__ import annotations

import math

import regex

_PIECES = regex.compile(r"\p{Cyrillic}+|[\p{L}\p{M}]+|\p{N}+|[^\s\p{L}\p{N}]")
CYRILLIC_CHARS_PER_TOKEN = 3.0
LATIN_CHARS_PER_TOKEN = 4.0
DIGITS_PER_TOKEN = 3.0
MESSAGE_OVERHEAD = 4  # role and separators of one chat message


def estimate_tokens(text: str) -> int:
    """Tokens ``text`` is likely to cost, calibrated for Cyrillic."""
    total = 0
    for piece in _PIECES.findall(text):
        first = piece[0]
        if "\u0400" <= first <= "\u04ff":
            total += math.ceil(len(piece) / CYRILLIC_CHARS_PER_TOKEN)
        elif first.isalpha():
            total += math.ceil(len(piece) / LATIN_CHARS_PER_TOKEN)
        elif first.isdigit():
            total += math.ceil(len(piece) / DIGITS_PER_TOKEN)
        else:
            total += 1
    return total


def estimate_messages(contents: list[str]) -> int:
    """Prompt tokens of a whole chat: the texts plus per-message overhead."""
    return sum(estimate_tokens(c) + MESSAGE_OVERHEAD for c in contents)
