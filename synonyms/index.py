"""The whole-dictionary index: every rule of every synonym and typo file, by term.

Built once per review from the full files at head, then asked small questions (who else
has this term, who maps to it, is there a rule with the same effect) for each changed rule,
so a 100-line diff against a million-line dictionary costs a few hundred dict lookups.

Memory matters at that size: rules are referred to by their position in one list, a term
that occurs once maps to a bare ``int`` (a list only once it repeats), term keys reuse the
token strings the parser already made, and rule effects are keyed by their hash.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from enum import IntEnum

from synonyms.rules import Dictionary, Kind, Rule

_Refs = int | list[int]


class Role(IntEnum):
    """Where a term sits in its rule."""

    INPUT = 0  # left of ``=>``
    OUTPUT = 1  # right of ``=>``
    GROUP = 2  # member of an equivalence list


def rule_effect(rule: Rule, *, expand: bool) -> tuple[object, ...]:
    """What a rule does after analysis; two rules with equal effects are duplicates."""
    if rule.is_mapping:
        return ("=>", frozenset(t.analyzed for t in rule.inputs), frozenset(t.analyzed for t in rule.outputs))
    terms = frozenset(t.analyzed for t in rule.inputs)
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


def _refs(found: _Refs | None) -> Sequence[int]:
    if found is None:
        return ()
    return (found,) if isinstance(found, int) else found


class DictionaryIndex:
    """Analyzed term → rules, exact term text → rules, line → rules, effect → rules."""

    def __init__(self, *, expand: bool = True) -> None:
        self.expand = expand
        self._rules: list[Rule] = []
        self._kinds: dict[str, Kind] = {}
        self._by_role: tuple[dict[str, _Refs], ...] = ({}, {}, {})
        self._by_text: dict[str, _Refs] = {}
        self._by_line: dict[str, _Refs] = {}
        self._by_effect: dict[int, _Refs] = {}

    @classmethod
    def build(cls, dictionaries: Iterable[Dictionary], *, expand: bool = True) -> DictionaryIndex:
        index = cls(expand=expand)
        for dictionary in dictionaries:
            index.add(dictionary)
        return index

    def add(self, dictionary: Dictionary) -> None:
        """Index one file's rules; files are kept in the order they are added."""
        self._kinds[dictionary.path] = dictionary.kind
        inputs, outputs, groups = self._by_role
        by_text, by_line, by_effect = self._by_text, self._by_line, self._by_effect
        rules = self._rules
        for rule in dictionary.rules:
            ref = len(rules)
            rules.append(rule)
            if rule.outputs:
                for term in rule.inputs:
                    _add(inputs, term.analyzed, ref)
                    _add(by_text, term.text, ref)
                for term in rule.outputs:
                    _add(outputs, term.analyzed, ref)
                    _add(by_text, term.text, ref)
            else:
                for term in rule.inputs:
                    _add(groups, term.analyzed, ref)
                    _add(by_text, term.text, ref)
            _add(by_line, rule.raw.strip(), ref)
            key = hash(rule_effect(rule, expand=self.expand))
            found = by_effect.get(key)
            if found is None:
                by_effect[key] = ref
            elif isinstance(found, int):
                by_effect[key] = [found, ref]
            else:
                found.append(ref)

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

    def refs_with_term(self, analyzed: str, role: Role) -> Sequence[int]:
        """Rules (by ref, in index order) where the analyzed term has the given role."""
        return _refs(self._by_role[role].get(analyzed))

    def refs_with_text(self, text: str) -> Sequence[int]:
        """Rules with a term written exactly as ``text`` (after unescaping), any role."""
        return _refs(self._by_text.get(text))

    def refs_with_line(self, raw: str) -> Sequence[int]:
        """Rules whose line is exactly ``raw`` (surrounding whitespace ignored)."""
        return _refs(self._by_line.get(raw.strip()))

    def refs_with_effect(self, rule: Rule) -> Sequence[int]:
        """Rules that do exactly what ``rule`` does after analysis."""
        effect = rule_effect(rule, expand=self.expand)
        return [
            ref
            for ref in _refs(self._by_effect.get(hash(effect)))
            if rule_effect(self._rules[ref], expand=self.expand) == effect
        ]

    def rules_with_term(self, analyzed: str, role: Role) -> list[Rule]:
        return [self._rules[ref] for ref in self.refs_with_term(analyzed, role)]
