"""Screening mined candidates: which may enter the target file, where, and why the others may not.

Pure: the caller hands in the target file's text, the rest of the dictionary (parsed), the
analyzer and the team's options. One pass decides per candidate, in input order:

1. it must be a rule of the file's kind that Elasticsearch accepts;
2. it must change something: a candidate whose every mapping the dictionary (or an earlier
   candidate) already makes is a duplicate;
3. in a file written as two-way groups, a synonym group sharing a term with exactly one
   group of the file is merged into that group's line instead of becoming a second group;
4. the edited file is checked like a merge request (``check_changed``): a candidate whose
   line gets an error or a warning the line did not have before is rejected with that
   finding, and the file is planned again without it.

Outside verdicts (the LLM's) come back in as ``vetoes`` for a second call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from synonyms.analysis import Analyzer
from synonyms.candidates import Candidate
from synonyms.checks import CheckOptions, check_changed
from synonyms.checks.registry import REGISTRY
from synonyms.editing import FileStyle, apply_edits, detect_style, extend_group
from synonyms.findings import Finding, Severity
from synonyms.index import DictionaryIndex, Role
from synonyms.parser import mappings, parse, parse_line
from synonyms.rules import Dictionary, Kind, LineError, Rule
from synonyms.rules import Mapping as Map

_MESSAGES: dict[str, tuple[str, str]] = {
    "kind-mismatch": (
        "Кандидат — {kind}, а файл {path} — {file_kind}",
        "The candidate is {kind} but {path} holds {file_kind}",
    ),
    "not-a-rule": ("Это комментарий, а не правило", "This is a comment, not a rule"),
    "duplicate-candidate": (
        "Повторяет кандидата из строки {line} входных данных",
        "Repeats the candidate on input line {line}",
    ),
    "already-covered": ("Словарь уже делает это: {where}", "The dictionary already does this: {where}"),
    "spans-several-groups": (
        "Термины уже стоят в разных группах ({where}): слияние склеило бы разные понятия",
        "The terms are already in different groups ({where}): merging would join different concepts",
    ),
    "term-in-other-file": (
        "«{term}» уже в группе в другом файле ({where}): добавьте кандидата туда",
        "«{term}» is already in a group of another file ({where}): add the candidate there",
    ),
}
_REJECTED_SEVERITIES = (Severity.ERROR, Severity.WARNING)


def mining_message(code: str, language: str, **params: object) -> str:
    ru, en = _MESSAGES[code]
    return (en if language == "en" else ru).format(**params)


@dataclass(frozen=True, slots=True)
class Rejection:
    candidate: Candidate
    code: str
    reason: str


@dataclass(frozen=True, slots=True)
class Acceptance:
    """A candidate that made it: the line it is on in the new text, and whether it joined a group."""

    candidate: Candidate
    line: int
    merged: bool = False


@dataclass(frozen=True, slots=True)
class Screening:
    path: str
    kind: Kind
    old_text: str
    new_text: str
    accepted: tuple[Acceptance, ...]
    rejected: tuple[Rejection, ...]
    rules: tuple[Rule, ...] = ()  # new and extended lines of the new text, for the LLM

    @property
    def changed(self) -> bool:
        return self.new_text != self.old_text


@dataclass(frozen=True, slots=True)
class Target:
    """The target file and the rest of the dictionary, parsed once per run."""

    path: str
    kind: Kind
    text: str
    others: Sequence[Dictionary] = ()


@dataclass(eq=False)
class _Unit:
    """One line the plan writes: a new line, or an existing group line that gains terms."""

    rule: Rule  # as it will be written
    candidates: list[Candidate]
    old_line: int = 0  # the group line it extends; 0: a new line
    baseline: frozenset[str] = frozenset()  # codes the group line had before (blamed on no one)


@dataclass
class _Plan:
    units: list[_Unit] = field(default_factory=list)
    made: dict[Map, Candidate] = field(default_factory=dict)  # mappings planned so far
    rejected: list[Rejection] = field(default_factory=list)


@dataclass(frozen=True)
class _Run:
    """What every planning round shares."""

    dictionary: Dictionary
    index: DictionaryIndex
    style: FileStyle
    analyzer: Analyzer
    options: CheckOptions

    @property
    def language(self) -> str:
        return self.options.language

    def findings(self, rule: Rule | LineError, index: DictionaryIndex | None = None) -> list[Finding]:
        """Errors and warnings for one written line."""
        found = check_changed([rule], index=index or self.index, analyzer=self.analyzer, options=self.options)
        return [f for f in found if f.severity in _REJECTED_SEVERITIES]

    def parse(self, text: str, line: int) -> Rule | LineError | None:
        return parse_line(text, path=self.dictionary.path, line=line, analyzer=self.analyzer)


def screen(
    candidates: Sequence[Candidate],
    *,
    target: Target,
    analyzer: Analyzer,
    options: CheckOptions,
    header: str | None = None,
    vetoes: Mapping[int, Rejection] | None = None,
) -> Screening:
    """Accepted and rejected candidates and the target's new text; ``vetoes`` are keyed by input line."""
    vetoed = dict(vetoes or {})
    dictionary = parse(target.text, analyzer=analyzer, path=target.path, kind=target.kind)
    run = _Run(
        dictionary,
        DictionaryIndex.build([dictionary, *target.others], expand=options.expand),
        detect_style(dictionary, target.text),
        analyzer,
        options,
    )
    while True:
        plan = _plan(candidates, vetoed, run)
        additions = [u for u in plan.units if not u.old_line]
        edited = apply_edits(
            target.text,
            style=run.style,
            additions=[u.rule.raw for u in additions],
            replacements={u.old_line: u.rule.raw for u in plan.units if u.old_line},
            header=header,
        )
        lines = {id(u): line for u, line in zip(additions, edited.added, strict=True)}
        lines.update({id(u): edited.extended[u.old_line] for u in plan.units if u.old_line})
        conflict = _conflict(plan, lines, edited.text, target, run)
        if conflict is None:
            break
        vetoed[conflict.candidate.line] = conflict
    accepted = [
        Acceptance(c, lines[id(u)], merged=bool(u.old_line) or c is not u.candidates[0])
        for u in plan.units
        for c in u.candidates
    ]
    return Screening(
        path=target.path,
        kind=target.kind,
        old_text=target.text,
        new_text=edited.text,
        accepted=tuple(sorted(accepted, key=lambda a: a.candidate.line)),
        rejected=tuple(sorted(plan.rejected, key=lambda r: r.candidate.line)),
        rules=tuple(sorted((replace(u.rule, line=lines[id(u)]) for u in plan.units), key=lambda r: r.line)),
    )


def _conflict(
    plan: _Plan, lines: Mapping[int, int], text: str, target: Target, run: _Run
) -> Rejection | None:
    """Candidates fine alone may clash with each other: the latest one of a clash goes."""
    if len(plan.units) < 2:
        return None
    edited = parse(text, analyzer=run.analyzer, path=target.path, kind=target.kind)
    index = DictionaryIndex.build([edited, *target.others], expand=run.options.expand)
    by_line = {r.line: r for r in edited.rules}
    offenders: list[tuple[Candidate, Finding]] = []
    for unit in plan.units:
        rule = by_line.get(lines[id(unit)])
        if rule is None:
            continue
        for finding in run.findings(rule, index):
            if finding.code not in unit.baseline:
                offenders.append((unit.candidates[-1], finding))
                break
    if not offenders:
        return None
    candidate, finding = max(offenders, key=lambda o: o[0].line)
    return _from_finding(candidate, finding)


def _plan(candidates: Sequence[Candidate], vetoed: Mapping[int, Rejection], run: _Run) -> _Plan:
    plan = _Plan()
    for candidate in candidates:
        outcome = vetoed.get(candidate.line) or _place(candidate, plan, run)
        if outcome is not None:
            plan.rejected.append(outcome)
    return plan


def _place(candidate: Candidate, plan: _Plan, run: _Run) -> Rejection | None:
    """Put one candidate into the plan (a new line or a group extension), or say why not."""
    first = _first_look(candidate, run)
    if isinstance(first, Rejection):
        return first
    written = run.parse(run.style.render(first), len(run.dictionary.lines) + 1)
    rule = written if isinstance(written, Rule) else first
    effect = set(mappings(rule, expand=run.index.expand))
    if effect and effect <= plan.made.keys():
        earliest = min((plan.made[m] for m in effect), key=lambda c: c.line)
        return _mining(candidate, "duplicate-candidate", run.language, line=earliest.line)
    covered = _covered_by(rule, effect, run.index, run.dictionary.kind)
    if covered is not None:
        return _mining(candidate, "already-covered", run.language, where=covered)
    proposed, replaced = _Unit(rule=rule, candidates=[candidate]), None
    if run.style.groups and run.dictionary.kind is Kind.SYNONYMS and not rule.outputs:
        merged = _merged(candidate, rule, plan, run)
        if isinstance(merged, Rejection):
            return merged
        if merged is not None:
            proposed, replaced = merged
    own = [f for f in run.findings(proposed.rule) if f.code not in proposed.baseline]
    if own:
        return _from_finding(candidate, own[0])
    if replaced is None:
        plan.units.append(proposed)
    else:
        plan.units[plan.units.index(replaced)] = proposed
    plan.made.update({m: candidate for m in effect if m not in plan.made})
    return None


def _terms(rule: Rule) -> set[str]:
    return {t.analyzed for t in rule.inputs}


def _merged(
    candidate: Candidate, rule: Rule, plan: _Plan, run: _Run
) -> tuple[_Unit, _Unit | None] | Rejection | None:
    """The one group (of the file, or planned) the candidate shares a term with, grown by its new terms.

    Returns the grown unit and the planned unit it replaces (``None``: a file group not yet
    touched), or ``None`` when the candidate shares no term with any group (a new line).
    """
    written = {t.analyzed: rule.raw[t.start : t.end] for t in rule.inputs}
    groups: dict[int, _Unit] = {}
    for analyzed, text in written.items():
        for ref in run.index.refs_with_term(analyzed, Role.GROUP):
            other = run.index.rule(ref)
            if run.index.kind_of(other.path) is not Kind.SYNONYMS:
                continue
            if other.path != run.dictionary.path:
                where = f"{other.path}:{other.line}"
                return _mining(candidate, "term-in-other-file", run.language, term=text, where=where)
            if other.line not in groups:
                groups[other.line] = _unit_of(other, plan, run)
    for unit in plan.units:
        if not unit.old_line and not unit.rule.outputs and _terms(unit.rule) & written.keys():
            groups.setdefault(-id(unit), unit)
    if not groups:
        return None
    if len(groups) > 1:
        where = ", ".join(
            f"{run.dictionary.path}:{u.old_line}" if u.old_line else f"«{u.rule.raw}»"
            for u in groups.values()
        )
        return _mining(candidate, "spans-several-groups", run.language, where=where)
    (base,) = groups.values()
    new_terms = [text for analyzed, text in written.items() if analyzed not in _terms(base.rule)]
    grown = run.parse(extend_group(base.rule, new_terms, run.style), base.rule.line)
    if not isinstance(grown, Rule):
        return None
    proposed = _Unit(grown, [*base.candidates, candidate], old_line=base.old_line, baseline=base.baseline)
    return proposed, (base if base in plan.units else None)


def _unit_of(group: Rule, plan: _Plan, run: _Run) -> _Unit:
    """The planned unit for a file group line, or a fresh one that knows the line's own findings."""
    for unit in plan.units:
        if unit.old_line == group.line:
            return unit
    baseline = frozenset(f.code for f in run.findings(group))
    return _Unit(group, [], old_line=group.line, baseline=baseline)


def _mining(candidate: Candidate, code: str, language: str, **params: object) -> Rejection:
    return Rejection(candidate, code, mining_message(code, language, **params))


def _from_finding(candidate: Candidate, finding: Finding) -> Rejection:
    return Rejection(candidate, finding.code, finding.message)


def _first_look(candidate: Candidate, run: _Run) -> Rule | Rejection:
    """The candidate as a rule of the target, or why it cannot be one whatever the dictionary holds."""
    dictionary, language = run.dictionary, run.language
    if candidate.kind is not None and candidate.kind is not dictionary.kind:
        return _mining(
            candidate,
            "kind-mismatch",
            language,
            kind=candidate.kind.value,
            path=dictionary.path,
            file_kind=dictionary.kind.value,
        )
    parsed = run.parse(candidate.rule, len(dictionary.lines) + 1)
    if parsed is None:
        return _mining(candidate, "not-a-rule", language)
    if isinstance(parsed, LineError):
        found = run.findings(parsed)
        if found:
            return _from_finding(candidate, found[0])
        reason = REGISTRY["syntax-error"].message(language, reason=parsed.reason)
        return Rejection(candidate, "syntax-error", reason)
    return parsed


def _covered_by(rule: Rule, effect: set[Map], index: DictionaryIndex, kind: Kind) -> str | None:
    """``path:line`` of a rule of the same kind that already makes every mapping of ``rule``."""
    if not effect:
        return None
    existing: set[Map] = set()
    where = ""
    for term in rule.inputs:
        for role in (Role.INPUT, Role.GROUP):
            for other in index.rules_with_term(term.analyzed, role):
                if index.kind_of(other.path) is not kind:
                    continue
                made = set(mappings(other, expand=index.expand))
                if made & effect:
                    existing |= made
                    where = where or f"{other.path}:{other.line}"
    return where if effect <= existing else None
