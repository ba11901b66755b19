"""Mined candidates: rules a search-log miner proposes, read from JSON Lines or TSV text.

A miner (reformulation pairs, click logs) writes one candidate a line; ``synbot propose``
validates them before any reaches the dictionary. Reading is strict and says where a line
is wrong (``line 7: ...``): a silently skipped candidate would look like a rejected one.

JSON Lines: ``{"rule": "кросовки => кроссовки", "kind": "typos", "evidence": {...}}``
(``kind`` and ``evidence`` optional). TSV: ``rule<TAB>kind<TAB>reformulations<TAB>queries``
(queries separated by ``|``), or any columns named by a header line starting with ``rule``;
columns other than ``rule`` and ``kind`` become evidence.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from synonyms.parser import split_lines
from synonyms.rules import Kind

TSV_COLUMNS = ("rule", "kind", "reformulations", "queries")
_KINDS = {
    "synonyms": Kind.SYNONYMS,
    "synonym": Kind.SYNONYMS,
    "typos": Kind.TYPOS,
    "typo": Kind.TYPOS,
}


class CandidateError(ValueError):
    """A candidates line that cannot be read; the message starts with its line number."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass(frozen=True, slots=True)
class Candidate:
    """One proposed rule, where it came from (``line`` of the input) and why it was mined."""

    rule: str
    line: int
    kind: Kind | None = None
    evidence: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)


def parse_candidates(text: str) -> list[Candidate]:
    """Every candidate of a JSON Lines or TSV text, in input order; the first bad line raises."""
    lines = split_lines(text.removeprefix("\ufeff"))
    first = next((ln for ln in lines if ln.strip()), "")
    if first.lstrip().startswith("{"):
        return [_json_candidate(raw, number) for number, raw in enumerate(lines, 1) if raw.strip()]
    return _tsv_candidates(lines)


def _kind(value: object, line: int) -> Kind | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().lower() in _KINDS:
        return _KINDS[value.strip().lower()]
    raise CandidateError(line, f"kind {value!r} is neither 'synonyms' nor 'typos'")


def _rule(value: object, line: int) -> str:
    if not isinstance(value, str):
        raise CandidateError(line, "'rule' must be a string with the rule text")
    rule = value.strip()
    if not rule:
        raise CandidateError(line, "'rule' is empty")
    if "\n" in rule or "\r" in rule:
        raise CandidateError(line, "'rule' must be one line (it contains a line break)")
    return rule


def _json_candidate(raw: str, line: int) -> Candidate:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CandidateError(line, f"not valid JSON ({exc.msg}, column {exc.colno})") from None
    if not isinstance(data, dict):
        raise CandidateError(line, 'expected a JSON object such as {"rule": "a => b"}')
    if "rule" not in data:
        raise CandidateError(line, "no 'rule' key")
    evidence = data.get("evidence", {})
    if evidence is None:
        evidence = {}
    if not isinstance(evidence, dict):
        raise CandidateError(line, "'evidence' must be a JSON object")
    return Candidate(_rule(data["rule"], line), line, _kind(data.get("kind"), line), evidence)


def _tsv_candidates(lines: list[str]) -> list[Candidate]:
    columns: tuple[str, ...] = TSV_COLUMNS
    candidates: list[Candidate] = []
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        cells = raw.split("\t")
        if not candidates and columns is TSV_COLUMNS and cells[0].strip().lower() == "rule":
            columns = tuple(c.strip().lower() for c in cells)
            continue
        if len(cells) > len(columns):
            raise CandidateError(number, f"{len(cells)} columns, expected at most {len(columns)}")
        row = dict(zip(columns, cells, strict=False))
        evidence = {
            name: _tsv_value(name, value)
            for name, value in row.items()
            if name not in ("rule", "kind") and value
        }
        candidates.append(
            Candidate(_rule(row.get("rule"), number), number, _kind(row.get("kind"), number), evidence)
        )
    return candidates


def _tsv_value(name: str, value: str) -> object:
    value = value.strip()
    if name == "queries":
        return [q.strip() for q in value.split("|") if q.strip()]
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return value
