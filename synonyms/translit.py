"""Loose Russian ↔ Latin transliteration, to recognise ``айфон``/``iphone`` as one word.

There is no single standard (``й`` is ``j``, ``y`` or ``i``; ``iphone`` is spelled by sound),
so both sides are reduced to a phonetic skeleton: Cyrillic is romanised, common Latin
spellings are folded (``ph``→``f``, ``ck``/``c``/``q``→``k``, ``w``→``v``, ``y``/``j``→``i``),
doubled letters collapse, and a trailing silent ``e`` goes. Two words are transliterations of
each other when their skeletons are equal, or nearly so for long words.
"""

from __future__ import annotations

import functools

from rapidfuzz.distance import DamerauLevenshtein

_ROMAN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch",
    "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
_FOLDS = (("ph", "f"), ("ck", "k"), ("qu", "kv"), ("q", "k"), ("x", "ks"), ("w", "v"), ("c", "k"),
          ("y", "i"), ("j", "i"), ("ee", "i"), ("oo", "u"), ("ou", "u"), ("kh", "h"))  # fmt: skip
_VOWELS = frozenset("aeiou")


def has_cyrillic(text: str) -> bool:
    return any("а" <= ch <= "я" or ch == "ё" for ch in text.lower())


def has_latin(text: str) -> bool:
    return any("a" <= ch <= "z" for ch in text.lower())


@functools.lru_cache(maxsize=65536)
def skeleton(text: str) -> str:
    """A phonetic key of a word, comparable across the two scripts."""
    roman = "".join(_ROMAN.get(ch, ch) for ch in text.lower() if ch.isalnum())
    for spelled, sound in _FOLDS:
        roman = roman.replace(spelled, sound)
    collapsed: list[str] = []
    for ch in roman:
        if not collapsed or collapsed[-1] != ch:
            collapsed.append(ch)
    if len(collapsed) > 3 and collapsed[-1] == "e" and collapsed[-2] not in _VOWELS:
        collapsed.pop()
    return "".join(collapsed)


def is_transliteration(a: str, b: str) -> bool:
    """``a`` and ``b`` are written in different scripts and sound alike."""
    if not ((has_cyrillic(a) and has_latin(b)) or (has_latin(a) and has_cyrillic(b))):
        return False
    ka, kb = skeleton(a), skeleton(b)
    if ka == kb:
        return True
    consonants_a = "".join(ch for ch in ka if ch not in _VOWELS)
    consonants_b = "".join(ch for ch in kb if ch not in _VOWELS)
    if consonants_a and consonants_a == consonants_b:
        return True
    longest = max(len(ka), len(kb))
    return longest >= 5 and DamerauLevenshtein.distance(ka, kb) <= longest // 5
