"""Dictionary files on disk: which paths to check, of which kind, and their text.

Paths are shown relative to the current directory (the dictionary repo's root, where
``.synbot.yml`` lives), so findings name files the way GitLab does.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bot.config import RepoConfig
from synonyms.rules import Kind


class InputError(Exception):
    """A path that cannot be read as a dictionary: missing, a directory without files, bad UTF-8."""


@dataclass(frozen=True, slots=True)
class Target:
    """One file to check: where it is, how to name it in findings, and what it holds."""

    file: Path
    path: str
    kind: Kind


def display_path(file: Path, root: Path) -> str:
    """``file`` relative to ``root`` in POSIX form, or as given when it lies outside."""
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file.as_posix()


def kind_from_path(path: str) -> Kind:
    """The kind a path's name suggests when no glob claims it: typos if a part says so."""
    parts = PurePosixPath(path.lower()).parts
    return Kind.TYPOS if any("typo" in part or "опечат" in part for part in parts) else Kind.SYNONYMS


def resolve_targets(
    paths: list[Path], *, config: RepoConfig, root: Path, kind: Kind | None = None
) -> list[Target]:
    """Files named on the command line plus dictionary files found under named directories.

    A named file is always checked (kind: ``kind``, else the globs, else its name). Under a
    directory, only files the globs match count; a glob may match the path relative to
    ``root`` or relative to the directory itself (``synbot check examples/dictionary``).
    """
    targets: dict[str, Target] = {}
    for given in paths:
        if given.is_dir():
            for file in _walk(given):
                name = display_path(file, root)
                relative = file.relative_to(given).as_posix()
                found = config.kind_of(name) or config.kind_of(relative)
                if found is not None:
                    targets.setdefault(name, Target(file, name, kind or found))
        elif given.is_file() or str(given) == "-":
            name = "<stdin>" if str(given) == "-" else display_path(given, root)
            targets.setdefault(
                name, Target(given, name, kind or config.kind_of(name) or kind_from_path(name))
            )
        else:
            raise InputError(f"{given}: no such file or directory")
    return sorted(targets.values(), key=lambda t: t.path)


def _walk(directory: Path) -> list[Path]:
    """Regular files under ``directory``, skipping hidden directories (.git, .venv)."""
    files: list[Path] = []
    for current, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files.extend(Path(current) / name for name in sorted(names))
    return files


def read_text(file: Path) -> str:
    """A file's text as UTF-8 (what Elasticsearch reads); ``-`` is standard input."""
    try:
        data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
    except OSError as exc:
        raise InputError(f"{file}: cannot read: {exc.strerror or exc}") from exc
    return decode(data, name=str(file))


def decode(data: bytes, *, name: str) -> str:
    """UTF-8 text, or an :class:`InputError` naming the line of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{name}: not valid UTF-8 (line {line}, byte 0x{data[exc.start]:02x}); "
            "Elasticsearch reads synonym files as UTF-8: convert it, e.g. iconv -f cp1251 -t utf-8"
        ) from exc
