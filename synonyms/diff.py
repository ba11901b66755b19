"""Unified diffs of dictionary files: which rules an MR adds, removes and changes, and where.

Two inputs, one result (:class:`FileDiff`):

* :func:`parse_diff` reads a whole ``git diff`` (headers, renames, deletions, binary files);
* :func:`parse_file_diff` reads one file's hunks as GitLab's MR ``diffs`` API gives them
  (no ``---``/``+++`` header; the paths and flags come separately).

Changed lines are parsed with the Lucene-exact parser, so a bad added line is a
:class:`~synonyms.rules.LineError` at its new line number. A *changed* rule is a removed line
paired with an added line in the same block of changes (the n-th removed with the n-th added).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from unidiff.errors import UnidiffParseError
from unidiff.patch import Hunk, PatchedFile, PatchSet

from synonyms.analysis import Analyzer
from synonyms.parser import parse_line
from synonyms.rules import Kind, LineError, Rule

KindResolver = Callable[[str], Kind | None]
"""Tells the kind of a repo-relative path, or ``None`` for a file that is not a dictionary."""

Parsed = Rule | LineError


class DiffError(ValueError):
    """The text is not a unified diff (a truncated hunk, a hunk header that lies about its length)."""


class LineKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CONTEXT = "context"


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class FileStatus(StrEnum):
    ADDED = "added"
    DELETED = "deleted"
    RENAMED = "renamed"
    MODIFIED = "modified"


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One line of a hunk; ``old_line``/``new_line`` are ``None`` on the side it is absent from."""

    kind: LineKind
    text: str
    old_line: int | None
    new_line: int | None


@dataclass(frozen=True, slots=True)
class RuleChange:
    """A rule (or bad line) that appeared, disappeared or was rewritten.

    ``old.line`` is its number in the old file, ``new.line`` in the new one.
    """

    kind: ChangeKind
    old: Parsed | None
    new: Parsed | None

    @property
    def new_line(self) -> int | None:
        return self.new.line if self.new is not None else None

    @property
    def old_line(self) -> int | None:
        return self.old.line if self.old is not None else None


@dataclass(frozen=True)
class FileDiff:
    """What a diff does to one dictionary file."""

    old_path: str | None
    new_path: str | None
    status: FileStatus
    kind: Kind
    lines: tuple[DiffLine, ...]
    changes: tuple[RuleChange, ...]

    @property
    def path(self) -> str:
        """The path findings use: the new one, or the old one for a deleted file."""
        return self.new_path or self.old_path or ""

    @cached_property
    def added_lines(self) -> frozenset[int]:
        """New-file line numbers the diff adds."""
        return frozenset(ln.new_line for ln in self.lines if ln.kind is LineKind.ADDED and ln.new_line)

    @cached_property
    def visible_lines(self) -> frozenset[int]:
        """New-file line numbers the diff shows (added and context): where a comment may go."""
        return frozenset(ln.new_line for ln in self.lines if ln.new_line is not None)

    @cached_property
    def _old_of_new(self) -> dict[int, int]:
        return {
            ln.new_line: ln.old_line
            for ln in self.lines
            if ln.kind is LineKind.CONTEXT and ln.new_line is not None and ln.old_line is not None
        }

    def old_line_of(self, new_line: int) -> int | None:
        """The old line number of an unchanged line the diff shows, ``None`` for others."""
        return self._old_of_new.get(new_line)

    @property
    def new_rules(self) -> tuple[Rule, ...]:
        """Valid rules the new version adds or rewrites, with new line numbers."""
        return tuple(c.new for c in self.changes if isinstance(c.new, Rule))

    @property
    def new_errors(self) -> tuple[LineError, ...]:
        """Bad lines the new version adds or rewrites, with new line numbers."""
        return tuple(c.new for c in self.changes if isinstance(c.new, LineError))

    @property
    def removed_rules(self) -> tuple[Rule, ...]:
        """Rules the diff deletes outright (not rewritten), with old line numbers."""
        return tuple(c.old for c in self.changes if c.kind is ChangeKind.REMOVED and isinstance(c.old, Rule))


def parse_diff(text: str, *, kind_of: KindResolver, analyzer: Analyzer) -> list[FileDiff]:
    """Every dictionary file a ``git diff`` touches; binary and non-dictionary files are left out."""
    result: list[FileDiff] = []
    for patched in _patches(text):
        if patched.is_binary_file:
            continue
        old_path, new_path = _paths(patched)
        kind = kind_of(new_path) if new_path is not None else kind_of(old_path or "")
        if kind is None:
            continue
        status = _status(old_path, new_path)
        result.append(
            _file_diff(
                patched, old_path=old_path, new_path=new_path, status=status, kind=kind, analyzer=analyzer
            )
        )
    return result


def parse_file_diff(
    hunks: str,
    *,
    old_path: str,
    new_path: str,
    kind: Kind,
    analyzer: Analyzer,
    new_file: bool = False,
    deleted_file: bool = False,
) -> FileDiff:
    """One file's hunks without headers, as GitLab's ``merge_requests/:iid/diffs`` entries carry them."""
    header = "--- a/old\n+++ b/new\n"
    patches = _patches(header + hunks) if hunks.strip() else []
    old = None if new_file else old_path
    new = None if deleted_file else new_path
    status = _status(old, new)
    if not patches:
        return FileDiff(old, new, status, kind, (), ())
    return _file_diff(patches[0], old_path=old, new_path=new, status=status, kind=kind, analyzer=analyzer)


def _patches(text: str) -> PatchSet:
    try:
        return PatchSet(text)
    except UnidiffParseError as exc:
        raise DiffError(f"not a valid unified diff: {exc}") from exc


def _file_diff(
    patched: PatchedFile,
    *,
    old_path: str | None,
    new_path: str | None,
    status: FileStatus,
    kind: Kind,
    analyzer: Analyzer,
) -> FileDiff:
    lines: list[DiffLine] = []
    changes: list[RuleChange] = []
    for hunk in patched:
        hunk_lines = list(_lines(hunk))
        lines.extend(hunk_lines)
        changes.extend(
            _changes(
                hunk_lines, old_path=old_path or new_path or "", new_path=new_path or "", analyzer=analyzer
            )
        )
    return FileDiff(old_path, new_path, status, kind, tuple(lines), tuple(changes))


_LINE_KINDS = {"+": LineKind.ADDED, "-": LineKind.REMOVED, " ": LineKind.CONTEXT}


def _lines(hunk: Hunk) -> Iterator[DiffLine]:
    for line in hunk:
        kind = _LINE_KINDS.get(line.line_type)
        if kind is None:  # "\ No newline at end of file" and stray empty lines
            continue
        yield DiffLine(kind, _strip_eol(line.value), line.source_line_no, line.target_line_no)


def _strip_eol(value: str) -> str:
    """Drop the line break as Java's ``readLine`` does (``\\r\\n``, ``\\n`` or ``\\r``)."""
    if value.endswith("\n"):
        value = value[:-1]
    return value[:-1] if value.endswith("\r") else value


def _changes(
    lines: list[DiffLine], *, old_path: str, new_path: str, analyzer: Analyzer
) -> Iterator[RuleChange]:
    """Pair each block of removed lines with the added lines that follow it."""
    removed: list[DiffLine] = []
    added: list[DiffLine] = []
    for line in (*lines, None):
        if line is not None and line.kind is LineKind.REMOVED and not added:
            removed.append(line)
        elif line is not None and line.kind is LineKind.ADDED:
            added.append(line)
        else:
            yield from _pair(removed, added, old_path=old_path, new_path=new_path, analyzer=analyzer)
            removed, added = ([line] if line is not None and line.kind is LineKind.REMOVED else []), []


def _pair(
    removed: list[DiffLine], added: list[DiffLine], *, old_path: str, new_path: str, analyzer: Analyzer
) -> Iterator[RuleChange]:
    for i in range(max(len(removed), len(added))):
        old_line = removed[i] if i < len(removed) else None
        new_line = added[i] if i < len(added) else None
        if old_line is not None and new_line is not None and old_line.text == new_line.text:
            continue  # only the line ending changed (CRLF, newline at end of file)
        old = _parse(old_line, path=old_path, analyzer=analyzer, new=False)
        new = _parse(new_line, path=new_path, analyzer=analyzer, new=True)
        if old is not None and new is not None:
            yield RuleChange(ChangeKind.CHANGED, old, new)
        elif new is not None:
            yield RuleChange(ChangeKind.ADDED, None, new)
        elif old is not None:
            yield RuleChange(ChangeKind.REMOVED, old, None)


def _parse(line: DiffLine | None, *, path: str, analyzer: Analyzer, new: bool) -> Parsed | None:
    if line is None:
        return None
    number = line.new_line if new else line.old_line
    assert number is not None
    return parse_line(line.text, path=path, line=number, analyzer=analyzer)


def _status(old_path: str | None, new_path: str | None) -> FileStatus:
    if old_path is None:
        return FileStatus.ADDED
    if new_path is None:
        return FileStatus.DELETED
    return FileStatus.RENAMED if old_path != new_path else FileStatus.MODIFIED


_NO_FILE = "/dev/null"
_GIT_PREFIX = re.compile(r"^[abciwo]/")
_OCTAL = re.compile(rb"\\([0-7]{3}|.)")
_C_ESCAPES = {b"a": b"\a", b"b": b"\b", b"t": b"\t", b"n": b"\n", b"v": b"\v", b"f": b"\f", b"r": b"\r"}


def _paths(patched: PatchedFile) -> tuple[str | None, str | None]:
    """Old and new repo-relative paths (``None`` for ``/dev/null``), unquoted, prefixes removed."""
    source = _unquote(patched.source_file)
    target = _unquote(patched.target_file)
    if (source == _NO_FILE or _GIT_PREFIX.match(source)) and (
        target == _NO_FILE or _GIT_PREFIX.match(target)
    ):
        source = source if source == _NO_FILE else source[2:]
        target = target if target == _NO_FILE else target[2:]
    return (None if source == _NO_FILE else source), (None if target == _NO_FILE else target)


def _unquote(path: str) -> str:
    """Git's C-style quoting of unusual paths (``"a/\\320\\265.txt"``), e.g. Cyrillic names."""
    if not (len(path) >= 2 and path.startswith('"') and path.endswith('"')):
        return path

    def one(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if len(code) == 3:
            return bytes([int(code, 8)])
        return _C_ESCAPES.get(code, code)

    return _OCTAL.sub(one, path[1:-1].encode("utf-8")).decode("utf-8", errors="replace")
