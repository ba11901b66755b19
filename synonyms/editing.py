"""Text edits of a dictionary file that look as if its maintainers had made them.

A mined batch must produce a diff a reviewer can read: only the new lines and the group
lines that gained a term change. So new lines follow the file's own habits (``", "`` or
``","`` between terms, ``" => "`` or ``"=>"``), a sorted file stays sorted, an unsorted one
gets the new lines at the end (under a header comment when given), and every untouched
line keeps its exact bytes, line ending included; a missing final newline stays missing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from synonyms.rules import Dictionary, Rule, Term

_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")
MIN_SORTED_RULES = 3  # fewer rule lines say nothing about an order


@dataclass(frozen=True, slots=True)
class FileStyle:
    """How a file writes its rules, and whether its rule lines are sorted."""

    newline: str = "\n"
    final_newline: bool = True
    separator: str = ", "
    arrow: str = " => "
    is_sorted: bool = False
    groups: bool = False  # two-way groups (``a, b, c``) outnumber one-way mappings

    def render(self, rule: Rule) -> str:
        """The rule's terms, as written (escapes kept), joined the way this file joins them."""
        left = self.separator.join(_written(rule, t) for t in rule.inputs)
        if not rule.outputs:
            return left
        return left + self.arrow + self.separator.join(_written(rule, t) for t in rule.outputs)


@dataclass(frozen=True, slots=True)
class Edited:
    """The new text and where things landed in it (1-based line numbers)."""

    text: str
    added: tuple[int, ...]  # line of each added text, in the order given
    extended: Mapping[int, int]  # old line number -> its line in the new text


def _written(rule: Rule, term: Term) -> str:
    return rule.raw[term.start : term.end]


def _lines(text: str) -> list[tuple[str, str]]:
    """``(content, ending)`` pairs; the last line's ending is ``""`` when the file has none."""
    pairs = [(m.group(1), m.group(2)) for m in _LINE.finditer(text)]
    if pairs and pairs[-1] == ("", ""):
        pairs.pop()
    return pairs


def sort_key(line: str) -> str:
    """Order of a sorted dictionary: case-insensitive, ё sorted with е."""
    return line.strip().casefold().replace("ё", "е")


def detect_style(dictionary: Dictionary, text: str) -> FileStyle:
    """The habits of one file; an empty file gets the common defaults."""
    endings = Counter(ending for _, ending in _lines(text) if ending)
    separators: Counter[str] = Counter()
    arrows: Counter[str] = Counter()
    for rule in dictionary.rules:
        for side in (rule.inputs, rule.outputs):
            for before, after in pairwise(side):
                separators[rule.raw[before.end : after.start]] += 1
        if rule.outputs:
            arrows[rule.raw[rule.inputs[-1].end : rule.outputs[0].start]] += 1
    keys = [sort_key(rule.raw) for rule in dictionary.rules]
    groups = sum(1 for r in dictionary.rules if not r.outputs and len(r.inputs) > 1)
    return FileStyle(
        newline=endings.most_common(1)[0][0] if endings else "\n",
        final_newline=not text or text.endswith(("\n", "\r")),
        separator=_commonest(separators, ", ", (", ", ",")),
        arrow=_commonest(arrows, " => ", ("=>", " => ")),
        is_sorted=len(keys) >= MIN_SORTED_RULES and keys == sorted(keys),
        groups=groups > 0 and groups >= len(dictionary.rules) - groups,
    )


def _commonest(counts: Counter[str], default: str, allowed: tuple[str, ...]) -> str:
    for value, _ in counts.most_common():
        if value in allowed:
            return value
    return default


def extend_group(rule: Rule, terms: Sequence[str], style: FileStyle) -> str:
    """The group line with ``terms`` (as written) appended after its last term."""
    end = rule.inputs[-1].end
    return rule.raw[:end] + "".join(style.separator + t for t in terms) + rule.raw[end:]


def apply_edits(
    text: str,
    *,
    style: FileStyle,
    additions: Sequence[str] = (),
    replacements: Mapping[int, str] | None = None,
    header: str | None = None,
) -> Edited:
    """Replace whole lines (1-based, ending kept) and add new lines where the style wants them."""
    replacements = replacements or {}
    # each entry: (content, ending, old line number or 0, added index or -1)
    rows: list[tuple[str, str, int, int]] = [
        (replacements.get(n, content), ending, n, -1) for n, (content, ending) in enumerate(_lines(text), 1)
    ]
    if rows and not rows[-1][1] and additions:
        content, _, number, index = rows[-1]
        rows[-1] = (content, style.newline, number, index)
    if style.is_sorted:
        for index, line in enumerate(additions):
            rows.insert(_sorted_position(rows, line), (line, style.newline, 0, index))
    elif additions:
        if header is not None:
            if rows and rows[-1][0].strip():
                rows.append(("", style.newline, 0, -1))
            rows.append((header, style.newline, 0, -1))
        rows.extend((line, style.newline, 0, index) for index, line in enumerate(additions))
    if rows and additions and not style.final_newline:
        content, _, number, index = rows[-1]
        rows[-1] = (content, "", number, index)
    added = [0] * len(additions)
    extended: dict[int, int] = {}
    for position, (_, _, number, index) in enumerate(rows, 1):
        if index >= 0:
            added[index] = position
        elif number in replacements:
            extended[number] = position
    return Edited("".join(c + e for c, e, _, _ in rows), tuple(added), extended)


def _is_rule_line(content: str) -> bool:
    return bool(content.strip()) and not content.startswith("#")


def _sorted_position(rows: list[tuple[str, str, int, int]], line: str) -> int:
    """After the last rule line that sorts before or with ``line``; before the first rule otherwise."""
    key = sort_key(line)
    after = None
    first = None
    for position, (content, _, _, _) in enumerate(rows):
        if not _is_rule_line(content):
            continue
        if first is None:
            first = position
        if sort_key(content) <= key:
            after = position
    if after is not None:
        return after + 1
    return first if first is not None else len(rows)
