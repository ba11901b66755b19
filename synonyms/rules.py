"""Rule model: a dictionary line as Lucene's SolrSynonymParser understands it.

Every term keeps its columns in the raw line so that later stages can point at, and
rewrite, exactly one term.
"""

from __future__ import annotations

from collections.abc import Callable
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
    as written, escapes included). ``tokens`` is what the analyzer made of it, and ``analyzed``
    the term as Lucene stores it: the tokens joined by single spaces (kept rather than joined on
    each use: the index and every check read it for every term).
    """

    text: str
    start: int
    end: int
    tokens: tuple[str, ...]
    analyzed: str


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


# The parser makes millions of terms and rules: these build them without the frozen dataclass
# ``__init__``'s ``object.__setattr__`` call per field (about half the cost of each), setting
# the same slots. Equal to ``Term(...)`` / ``Rule(...)`` in every way.
_new = object.__new__


def _slot_setter(cls: type, name: str) -> Callable[[object, object], None]:
    setter: Callable[[object, object], None] = cls.__dict__[name].__set__
    return setter


_term_text, _term_start, _term_end, _term_tokens, _term_analyzed = (
    _slot_setter(Term, name) for name in ("text", "start", "end", "tokens", "analyzed")
)
_rule_path, _rule_line, _rule_raw, _rule_inputs, _rule_outputs = (
    _slot_setter(Rule, name) for name in ("path", "line", "raw", "inputs", "outputs")
)


def new_term(text: str, start: int, end: int, tokens: tuple[str, ...], analyzed: str) -> Term:
    """``Term(text, start, end, tokens, analyzed)``, faster."""
    term: Term = _new(Term)
    _term_text(term, text)
    _term_start(term, start)
    _term_end(term, end)
    _term_tokens(term, tokens)
    _term_analyzed(term, analyzed)
    return term


def new_rule(
    path: str, line: int, raw: str, inputs: tuple[Term, ...], outputs: tuple[Term, ...] = ()
) -> Rule:
    """``Rule(path, line, raw, inputs, outputs)``, faster."""
    rule: Rule = _new(Rule)
    _rule_path(rule, path)
    _rule_line(rule, line)
    _rule_raw(rule, raw)
    _rule_inputs(rule, inputs)
    _rule_outputs(rule, outputs)
    return rule
