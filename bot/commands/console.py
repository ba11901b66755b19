"""Terminal output of ``check``: findings grouped by file in colour, and a progress bar for big input."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from bot.files import Target
from synonyms.findings import Finding, Severity
from synonyms.reports import by_path, summary

BIG_INPUT_BYTES = 2 * 1024 * 1024  # below this a run takes about a second: no bar
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_findings(
    findings: Sequence[Finding], *, paths: Sequence[str], console: Console | None = None
) -> None:
    """Findings grouped by file, each with its suggestion; a summary line last."""
    out = console or Console(highlight=False, soft_wrap=True)
    groups = by_path(findings, paths)
    for path, group in groups.items():
        if not group:
            continue
        out.print(Text(path, style="bold underline"))
        for f in group:
            line = Text.assemble(
                (f"  {f.line:>5} ", "dim"),
                (f"{f.severity.value:<7}", _STYLE[f.severity]),
                " ",
                f.message,
                (f"  [{f.code}]", "dim"),
            )
            out.print(line)
            if f.suggestion is not None:
                fix = f.suggestion if f.suggestion else "(удалить строку / delete the line)"
                out.print(Text.assemble(("        → ", "green"), (fix, "green")))
        out.print()
    errors = sum(f.severity is Severity.ERROR for f in findings)
    out.print(Text(summary(findings, files=len(groups)), style="bold red" if errors else "bold green"))


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
