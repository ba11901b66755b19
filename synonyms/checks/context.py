"""What every check family receives: the index, the analyzer, options, and a finding factory.

The factory applies the team's options in one place (language, severity overrides, disabled
codes) and keeps a suggestion only if it parses as a valid rule: a suggestion GitLab would
apply must never introduce a new error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from synonyms.analysis import Analysis, Analyzer
from synonyms.checks.options import CheckOptions
from synonyms.checks.registry import REGISTRY
from synonyms.findings import Finding
from synonyms.index import DictionaryIndex
from synonyms.morphology import Morphology
from synonyms.parser import parse_line
from synonyms.rules import Kind, Rule

MAX_PEERS = 64  # candidates examined per lookup: bounds the work on a term repeated everywhere


@dataclass(frozen=True, slots=True)
class Peers:
    """Which indexed rules a rule is compared with.

    A whole-file check (``own`` set) compares each rule with the rules before it, so a pair
    is reported once, on its later line. A changed-rules check compares with every other
    rule, since the changed line is the one under review; a rule at the same path and line
    is the rule itself.
    """

    own: int | None
    path: str
    line: int

    def select(self, index: DictionaryIndex, refs: Sequence[int], *, earlier_only: bool = True) -> list[int]:
        own = self.own
        if own is not None:
            if earlier_only:
                return [ref for ref in refs[:MAX_PEERS] if ref < own]
            return [ref for ref in refs[:MAX_PEERS] if ref != own]
        selected = []
        for ref in refs[:MAX_PEERS]:
            other = index.rule(ref)
            if other.line != self.line or other.path != self.path:
                selected.append(ref)
        return selected

    @property
    def whole_file(self) -> bool:
        return self.own is not None


@dataclass(slots=True)
class Context:
    index: DictionaryIndex
    analyzer: Analyzer
    options: CheckOptions
    morphology: Morphology
    _analyses: dict[str, Analysis] = field(default_factory=dict)

    def enabled(self, code: str) -> bool:
        return code not in self.options.disabled

    def kind(self, path: str) -> Kind:
        return self.index.kind_of(path) or Kind.SYNONYMS

    def analysis(self, text: str) -> Analysis:
        """The analyzer's output for ``text``, memoized: dictionaries repeat words a lot."""
        found = self._analyses.get(text)
        if found is None:
            found = self._analyses[text] = self.analyzer.analyze(text)
        return found

    def where(self, ref: int) -> str:
        other = self.index.rule(ref)
        return f"{other.path}:{other.line}"

    def valid_suggestion(self, text: str, *, path: str, line: int) -> bool:
        return text == "" or isinstance(parse_line(text, path=path, line=line, analyzer=self.analyzer), Rule)

    def finding(
        self,
        code: str,
        *,
        path: str,
        line: int,
        raw: str,
        suggestion: str | None = None,
        **params: object,
    ) -> Finding | None:
        """A finding for ``code`` as the options want it, or ``None`` when the code is disabled."""
        if code in self.options.disabled:
            return None
        entry = REGISTRY[code]
        if suggestion is not None and (
            suggestion == raw or not self.valid_suggestion(suggestion, path=path, line=line)
        ):
            suggestion = None
        return Finding(
            path=path,
            line=line,
            severity=self.options.severities.get(code, entry.severity),
            code=code,
            message=entry.message(self.options.language, **params),
            suggestion=suggestion,
            rule=raw,
        )

    def on_rule(
        self, code: str, rule: Rule, *, suggestion: str | None = None, **params: object
    ) -> Finding | None:
        return self.finding(
            code, path=rule.path, line=rule.line, raw=rule.raw, suggestion=suggestion, **params
        )


def without_term(rule: Rule, position: int) -> str:
    """The rule's line with the term at ``position`` (in ``rule.terms``) and its separator removed."""
    terms = rule.terms
    term = terms[position]
    side = rule.inputs if position < len(rule.inputs) else rule.outputs
    first_on_side = side[0] is term
    if first_on_side:
        following = terms[position + 1] if position + 1 < len(terms) and terms[position + 1] in side else None
        if following is None:
            return rule.raw
        return rule.raw[: term.start] + rule.raw[following.start :]
    previous = terms[position - 1]
    return rule.raw[: previous.end] + rule.raw[term.end :]
