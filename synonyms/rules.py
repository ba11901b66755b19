"""Rule model: a dictionary line as Lucene's SolrSynonymParser understands it.

Every term keeps its columns in the raw line so that later stages can point at, and
rewrite, exactly one term.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What a dictionary file holds."""

    SYNONYMS = "synonyms"
    TYPOS = "typos"


@dataclass(frozen=True, slots=True)
class Term:
    """One comma-separated term of a rule.

    ``text`` is the unescaped, trimmed term Lucene hands to the analyzer; ``start``/``end``
    are 0-based columns of the trimmed raw text in the line (``raw[start:end]`` is the term
    as written, escapes included). ``tokens`` is what the analyzer made of it.
    """

    text: str
    start: int
    end: int
    tokens: tuple[str, ...]

    @property
    def analyzed(self) -> str:
        """The term as Lucene stores it: tokens joined by single spaces."""
        return " ".join(self.tokens)


@dataclass(frozen=True, slots=True)
class Rule:
    """One valid rule line.

    An equivalence list (``a, b, c``) has ``outputs == ()``; an explicit mapping
    (``a, b => c``) has both sides.
    """

    path: str
    line: int
    raw: str
    inputs: tuple[Term, ...]
    outputs: tuple[Term, ...] = ()

    @property
    def is_mapping(self) -> bool:
        return bool(self.outputs)

    @property
    def terms(self) -> tuple[Term, ...]:
        return self.inputs + self.outputs


@dataclass(frozen=True, slots=True)
class LineError:
    """A line Elasticsearch would refuse, with Lucene's reason."""

    path: str
    line: int
    raw: str
    reason: str
    code: str = "syntax-error"


@dataclass(frozen=True, slots=True)
class Dictionary:
    """The rules and bad lines of one file, in file order."""

    path: str
    kind: Kind
    rules: tuple[Rule, ...] = ()
    errors: tuple[LineError, ...] = ()
    lines: tuple[str, ...] = field(default=(), repr=False)


@dataclass(frozen=True, slots=True)
class Mapping:
    """One ``input => output`` pair as Lucene's SynonymMap.Builder receives it."""

    input: str
    output: str
    keep_orig: bool
