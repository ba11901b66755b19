"""ЙЦУКЕН ↔ QWERTY: text typed with the wrong keyboard layout switched on.

``ghbdtn`` is ``привет`` typed on the Latin layout; ``фвшвфы`` is ``adidas`` typed on the
Cyrillic one. Punctuation keys matter: the Latin ``,`` key is Cyrillic ``б`` and ``.`` is
``ю``, so a layout slip of ``ноутбук`` is ``yjen,er``, whose comma Solr reads as a separator.
"""

from __future__ import annotations

_LATIN_KEYS = "`qwertyuiop[]asdfghjkl;'zxcvbnm,./"
_CYRILLIC_KEYS = "ёйцукенгшщзхъфывапролджэячсмитьбю."

_TO_CYRILLIC = str.maketrans(_LATIN_KEYS, _CYRILLIC_KEYS)
_TO_LATIN = str.maketrans(_CYRILLIC_KEYS, _LATIN_KEYS)

# Latin keys whose Cyrillic letter Solr would read as syntax if left unescaped.
SEPARATOR_KEYS = frozenset(",")


def to_cyrillic(text: str) -> str:
    """What ``text`` typed on the Latin layout was meant to be on the Cyrillic one."""
    return text.lower().translate(_TO_CYRILLIC)


def to_latin(text: str) -> str:
    """What ``text`` typed on the Cyrillic layout was meant to be on the Latin one."""
    return text.lower().translate(_TO_LATIN)


def is_layout_slip(typo: str, correction: str) -> bool:
    """``typo`` is ``correction`` typed with the other layout switched on (case ignored)."""
    typo, correction = typo.lower(), correction.lower()
    if typo == correction:
        return False
    return to_cyrillic(typo) == correction or to_latin(typo) == correction
