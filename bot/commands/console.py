"""Terminal output of ``check``: findings grouped by file in colour, and a progress bar for big input."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from bot.files import Target
from synonyms.findings import Finding
from synonyms.reports import TextRole, render_text, text_lines

BIG_INPUT_BYTES = 2 * 1024 * 1024  # below this a run takes about a second: no bar
_STYLE: dict[TextRole, str] = {
    "path": "bold underline",
    "error": "bold red",
    "warning": "yellow",
    "info": "cyan",
    "suggestion": "green",
    "blank": "",
    "clean": "bold green",
    "failed": "bold red",
}


def print_findings(
    findings: Sequence[Finding], *, paths: Sequence[str], console: Console | None = None
) -> None:
    """The text report: coloured line by line on a terminal, written in one piece elsewhere (fast in CI)."""
    out = console or Console(highlight=False, soft_wrap=True)
    if not out.is_terminal:
        out.file.write(render_text(findings, paths=paths))
        return
    for role, line in text_lines(findings, paths=paths):
        out.print(Text(line, style=_STYLE[role]))


@contextmanager
def progress_for(
    targets: Sequence[Target], *, console: Console | None = None
) -> Iterator[Callable[[str], None]]:
    """Yield ``advance(description)``, which closes the previous step and names the next.

    A bar is drawn on stderr only when it is a terminal and the input is big; otherwise
    ``advance`` does nothing, so CI logs and pipes stay clean.
    """
    err = console or Console(stderr=True)
    size = sum(t.file.stat().st_size for t in targets if t.file.is_file())
    if not err.is_terminal or size < BIG_INPUT_BYTES:
        yield lambda _description: None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("", total=len(targets) + 1)
        started = False

        def advance(description: str) -> None:
            nonlocal started
            progress.update(task, description=description, advance=1 if started else 0)
            started = True

        yield advance
