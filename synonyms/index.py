"""The whole-dictionary index: every rule of every synonym and typo file, by term.

Built once per review from the full files at head, then asked small questions (who else
has this term, who maps to it, is there a rule with the same effect) for each changed rule,
so a 100-line diff against a million-line dictionary costs a few hundred dict lookups.

Memory matters at that size: rules are referred to by their position in one list, a term
that occurs once maps to a bare ``int`` (a list only once it repeats), term keys reuse the
token strings the parser already made, and rule effects are keyed by their hash.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from enum import IntEnum

from synonyms.parser import collector_paused
from synonyms.rules import Dictionary, Kind, Rule, Term

_Refs = int | list[int]


class Role(IntEnum):
    """Where a term sits in its rule."""

    INPUT = 0  # left of ``=>``
    OUTPUT = 1  # right of ``=>``
    GROUP = 2  # member of an equivalence list


def analyzed(term: Term) -> str:
    """``term.analyzed``, as a function for ``map``."""
    return term.analyzed


def rule_effect(rule: Rule, *, expand: bool) -> tuple[object, ...]:
    """What a rule does after analysis; two rules with equal effects are duplicates."""
    if rule.outputs:
        return (
            "=>",
            frozenset([t.analyzed for t in rule.inputs]),
            frozenset([t.analyzed for t in rule.outputs]),
        )
    terms = frozenset([t.analyzed for t in rule.inputs])
    return (",", terms) if expand else (",", rule.inputs[0].analyzed, terms)


def _add(table: dict[str, _Refs], key: str, ref: int) -> None:
    found = table.get(key)
    if found is None:
        table[key] = ref
    elif isinstance(found, int):
        if found != ref:
            table[key] = [found, ref]
    elif found[-1] != ref:
        found.append(ref)


_SHARED_TERM = 1  # flags by ref: another rule has one of this rule's terms in the same role
_SHARED_EFFECT = 2  # another rule's effect has the same hash


def _index_side(
    table: dict[str, _Refs], terms: tuple[Term, ...], ref: int, shared: bytearray
) -> frozenset[str]:
    """Add one side's analyzed terms to ``table`` under ``ref``; the side's keys, for its effect.

    ``ref`` is one int object for the whole rule, so ``is`` tells a fresh entry (or this
    rule's own earlier term) from another rule's.
    """
    keys = [term.analyzed for term in terms]
    setdefault = table.setdefault
    for key in keys:
        found = setdefault(key, ref)
        if found is not ref:
            if found.__class__ is int:
                if found != ref:
                    table[key] = [found, ref]
                    shared[found] |= _SHARED_TERM
                    shared[ref] |= _SHARED_TERM
            elif found[-1] != ref:  # type: ignore[index]
                found.append(ref)  # type: ignore[union-attr]
                shared[ref] |= _SHARED_TERM
    return frozenset(keys)


def _refs(found: _Refs | None) -> Sequence[int]:
    if found is None:
        return ()
    return (found,) if isinstance(found, int) else found


class DictionaryIndex:
    """Analyzed term → rules and effect → rules, built eagerly; exact text and line → rules, lazily."""

    def __init__(self, *, expand: bool = True) -> None:
        self.expand = expand
        self._rules: list[Rule] = []
        self._kinds: dict[str, Kind] = {}
        self._by_role: tuple[dict[str, _Refs], ...] = ({}, {}, {})
        self._by_text: dict[str, _Refs] | None = None  # built on first use: few callers need them
        self._by_line: dict[str, _Refs] | None = None
        self._by_effect: dict[int, _Refs] = {}
        self._effects = array("q")  # hash of each rule's effect, by ref
        self._shared = bytearray()  # _SHARED_* flags, by ref

    @classmethod
    def build(cls, dictionaries: Iterable[Dictionary], *, expand: bool = True) -> DictionaryIndex:
        index = cls(expand=expand)
        for dictionary in dictionaries:
            index.add(dictionary)
        return index

    def add(self, dictionary: Dictionary) -> None:
        """Index one file's rules; files are kept in the order they are added."""
        self._kinds[dictionary.path] = dictionary.kind
        self._by_text = self._by_line = None  # rebuilt on demand
        with collector_paused():
            self._add_rules(dictionary.rules)

    def _add_rules(self, new_rules: Iterable[Rule]) -> None:
        """The hot loop of :meth:`build` (a million rules): lookups inlined, keys built once per term."""
        inputs, outputs, groups = self._by_role
        by_effect, effects, expand = self._by_effect, self._effects, self.expand
        rules, shared = self._rules, self._shared
        for rule in new_rules:
            ref = len(rules)
            rules.append(rule)
            shared.append(0)
            if rule.outputs:
                left = _index_side(inputs, rule.inputs, ref, shared)
                effect: tuple[object, ...] = ("=>", left, _index_side(outputs, rule.outputs, ref, shared))
            else:
                terms = _index_side(groups, rule.inputs, ref, shared)
                effect = (",", terms) if expand else (",", rule.inputs[0].analyzed, terms)
            effect_key = hash(effect)
            effects.append(effect_key)
            found = by_effect.setdefault(effect_key, ref)
            if found is not ref:
                if found.__class__ is int:
                    by_effect[effect_key] = [found, ref]
                    shared[found] |= _SHARED_EFFECT
                else:
                    found.append(ref)  # type: ignore[union-attr]
                shared[ref] |= _SHARED_EFFECT

    def __len__(self) -> int:
        return len(self._rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules)

    def rule(self, ref: int) -> Rule:
        return self._rules[ref]

    def kind_of(self, path: str) -> Kind | None:
        return self._kinds.get(path)

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(self._kinds)

    def shares_terms(self, ref: int) -> bool:
        """Another indexed rule has one of this rule's analyzed terms in the same role.

        ``False`` answers every :meth:`refs_with_term` of the rule's own terms with ``[ref]``
        alone, without a lookup: most rules of a big dictionary share nothing.
        """
        return bool(self._shared[ref] & _SHARED_TERM)

    def shares_effect_key(self, ref: int) -> bool:
        """Another indexed rule's effect has the same hash (``False``: no duplicate of it)."""
        return bool(self._shared[ref] & _SHARED_EFFECT)

    def refs_with_term(self, analyzed: str, role: Role) -> Sequence[int]:
        """Rules (by ref, in index order) where the analyzed term has the given role."""
        found = self._by_role[role].get(analyzed)  # _refs inlined: the checks' most frequent call
        if found is None:
            return ()
        return (found,) if found.__class__ is int else found  # type: ignore[return-value]

    def refs_with_text(self, text: str) -> Sequence[int]:
        """Rules with a term written exactly as ``text`` (after unescaping), any role."""
        if self._by_text is None:
            self._by_text = {}
            for ref, rule in enumerate(self._rules):
                for term in rule.terms:
                    _add(self._by_text, term.text, ref)
        return _refs(self._by_text.get(text))

    def refs_with_line(self, raw: str) -> Sequence[int]:
        """Rules whose line is exactly ``raw`` (surrounding whitespace ignored)."""
        if self._by_line is None:
            self._by_line = {}
            for ref, rule in enumerate(self._rules):
                _add(self._by_line, rule.raw.strip(), ref)
        return _refs(self._by_line.get(raw.strip()))

    def refs_with_effect(self, rule: Rule, *, ref: int | None = None) -> Sequence[int]:
        """Rules that do exactly what ``rule`` does after analysis (pass its ``ref`` if indexed)."""
        effect = rule_effect(rule, expand=self.expand)
        return [other for other in self.effect_candidates(rule, ref=ref) if self.same_effect(other, effect)]

    def effect_candidates(self, rule: Rule, *, ref: int | None = None) -> Sequence[int]:
        """Rules whose effect has the same hash as ``rule``'s: verify with :meth:`same_effect`."""
        key = self._effects[ref] if ref is not None else hash(rule_effect(rule, expand=self.expand))
        return _refs(self._by_effect.get(key))

    def same_effect(self, ref: int, effect: tuple[object, ...]) -> bool:
        return (
            self._effects[ref] == hash(effect) and rule_effect(self._rules[ref], expand=self.expand) == effect
        )

    def same_effect_as(self, ref: int, other: int) -> bool:
        """Two indexed rules do the same thing after analysis."""
        if self._effects[ref] != self._effects[other]:
            return False
        rules, expand = self._rules, self.expand
        return rule_effect(rules[ref], expand=expand) == rule_effect(rules[other], expand=expand)

    def effect_key(self, ref: int) -> int:
        """The hash of an indexed rule's effect: unequal keys mean different effects."""
        return self._effects[ref]

    def rules_with_term(self, analyzed: str, role: Role) -> list[Rule]:
        return [self._rules[ref] for ref in self.refs_with_term(analyzed, role)]
