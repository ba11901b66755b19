"""Render docs/example-review.md from a real review run against the loopback GitLab stand-in.

The project's main branch is examples/dictionary/ as it is; an MR adds a few typical mistakes,
``bot.review.review_merge_request`` reviews it over real HTTP (python-gitlab inside), and this script
writes down what GitLab then holds: the threads, the summary note and the commit status.
Commit SHAs, the summary key and the review time change from run to run of other code, so they are
replaced with placeholders; everything else is exactly what was posted. tests/test_docs.py compares
the output with the committed page, so the page cannot drift from the code.

Run from the repository root::

    .venv/bin/python examples/render_review.py --output docs/example-review.md
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the stand-in lives in tests/, not in the package
    sys.path.insert(0, str(ROOT))

from pydantic import SecretStr  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.gitlab import build_gitlab  # noqa: E402
from bot.review import ReviewResult, review_merge_request  # noqa: E402
from tests.standins.gitlab_server import StandIn, serve  # noqa: E402
from tests.standins.gitlab_state import GitLabState, MergeRequest  # noqa: E402

DICTIONARY = ROOT / "examples" / "dictionary"
BRANCH = "feature/new-rules"
CONTEXT = 3  # diff lines shown above a commented line, as GitLab's discussion view does

# (file, line after which to insert, added lines, what is wrong with them)
EDITS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "synonyms/electronics.txt",
        "чехол для телефона, чехол на телефон",
        ("телефон, смартфон, ", "   ", "лэптоп, laptop, ноутбук"),
    ),
    ("synonyms/home.txt", "чайник, электрочайник", ("пылесоc, вертикальный пылесос",)),
    ("typos/typos.txt", "кроссовок => кроссовки", ("колея => корея",)),
)
WHAT = (
    "`телефон, смартфон, ` ends with a comma and a space: an empty term",
    "a line of three spaces",
    "`лэптоп, laptop, ноутбук` repeats the existing group `ноутбук, лэптоп, laptop` in another order",
    "`пылесоc`: the last letter is a Latin `c` (U+0063), not a Cyrillic `с`",
    '`колея => корея`: a real word (rut) "corrected" into another one (Korea)',
)
_SHA = re.compile(r"\b[0-9a-f]{40}\b")
_KEY = re.compile(r"(synbot:summary key=)[0-9a-f]+")
_TIME = re.compile(r"(Время проверки|Review time): [0-9.]+ s")


@dataclass(frozen=True)
class Run:
    """What one review left in the stand-in, read back from its state."""

    result: ReviewResult
    mr: MergeRequest
    diffs: list[dict[str, Any]]
    statuses: list[dict[str, Any]]
    shas: dict[str, str]  # real sha -> placeholder
    calls: dict[str, int]  # "METHOD /route" -> API calls the review made


def dictionary_files() -> dict[str, str]:
    return {
        p.relative_to(DICTIONARY).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(DICTIONARY.rglob("*"))
        if p.is_file()
    }


def with_mistakes(files: dict[str, str]) -> dict[str, str | None]:
    """The MR's version of each edited file: the new lines inserted after their anchor line."""
    changed: dict[str, str | None] = {}
    for path, anchor, added in EDITS:
        lines = (changed.get(path) or files[path]).split("\n")
        if anchor not in lines:
            raise SystemExit(f"render_review: {path} no longer has the line {anchor!r}; pick another anchor")
        at = lines.index(anchor) + 1
        changed[path] = "\n".join([*lines[:at], *added, *lines[at:]])
    return changed


@contextlib.contextmanager
def standin() -> Iterator[StandIn]:
    holder = StandIn(url="", state=GitLabState(), bot=None, author=None)  # type: ignore[arg-type]
    holder.reset()
    yield from serve(holder)


def run_review() -> Run:
    with standin() as gl:
        state = gl.state
        files = dictionary_files()
        project = state.create_project(files)
        base = state.head(project.id, "main")
        head = state.commit(project.id, BRANCH, with_mistakes(files), "Новые правила")
        iid = state.create_mr(project.id, source_branch=BRANCH, author=gl.author)
        settings = Settings(gitlab_url=gl.url, gitlab_token=SecretStr("bot-token"))
        result = asyncio.run(
            review_merge_request(
                project_id=project.id,
                mr_iid=iid,
                head_sha=head,
                gitlab=build_gitlab(settings, timeout_s=5, max_retries=3, version_wait_s=0.01),
                settings=settings,
                llm=None,
            )
        )
        mr = state.mr(project.id, iid)
        return Run(
            result=result,
            mr=mr,
            diffs=state.diffs(mr),
            statuses=list(state.statuses.get((project.id, head), [])),
            calls=dict(state.calls),
            shas={base: "BASE_SHA", head: "HEAD_SHA"},
        )


def scrub(text: str, shas: dict[str, str]) -> str:
    """Replace what differs between runs: SHAs (full and short), the summary key, the review time."""
    for sha, name in shas.items():
        text = text.replace(sha, name).replace(sha[:8], name)
    text = _SHA.sub("SHA", text)
    text = _KEY.sub(r"\1SUMMARY_KEY", text)
    return _TIME.sub(r"\1: N.N s", text)


def fenced(body: str, info: str = "markdown") -> list[str]:
    """A fence of four or more backticks, longer than any run inside, so a suggestion block stays inside."""
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * max(4 if info == "markdown" else 3, longest + 1)
    return [fence + info, body, fence]


def quoted(body: str) -> list[str]:
    return [f"> {line}".rstrip() for line in body.split("\n")]


def hunk_excerpt(diff: str, new_line: int) -> str:
    """The lines of a GitLab per-file diff up to ``new_line`` of the new file, as a discussion shows them."""
    shown: list[tuple[int | None, str]] = []
    new_no = 0
    for line in diff.splitlines():
        match = re.match(r"^@@ -\d+(?:,\d+)? \+(\d+)", line)
        if match:
            new_no = int(match.group(1))
            continue
        shown.append((None if line.startswith("-") else new_no, line))
        if not line.startswith("-"):
            new_no += 1
    numbered = [i for i, (n, _) in enumerate(shown) if n == new_line]
    if not numbered:
        return ""
    at = numbered[0]
    return "\n".join(text for _, text in shown[max(0, at - CONTEXT) : at + 1])


def posting(calls: dict[str, int]) -> str:
    """How the threads went out, read from the stand-in's call counts."""
    route = "/api/v4/projects/{pid}/merge_requests/{iid}"
    drafts = calls.get(f"POST {route}/draft_notes", 0)
    published = calls.get(f"POST {route}/draft_notes/bulk_publish", 0)
    direct = calls.get(f"POST {route}/discussions", 0)
    if drafts and not direct:
        return f"{drafts} draft notes, published with {published} bulk-publish call (one notification)"
    return f"{direct} discussions created one by one, {drafts} draft notes"


def render(run: Run) -> str:
    threads = sorted(
        (d.notes[0] for d in run.mr.discussions if d.notes[0].position),
        key=lambda n: (n.position["new_path"], n.position["new_line"]) if n.position else ("", 0),
    )
    summaries = [n for d in run.mr.discussions for n in d.notes if n.position is None]
    diffs = {d["new_path"]: d["diff"] for d in run.diffs}
    out = [
        "# Example review",
        "",
        "<!-- Generated by `.venv/bin/python examples/render_review.py --output docs/example-review.md`;",
        "     tests/test_docs.py fails when this page and the code disagree. Do not edit by hand. -->",
        "",
        "What a merge request in the example dictionary repository looks like after synbot reviewed it.",
        "Nothing here is written by hand: `examples/render_review.py` starts the loopback GitLab stand-in",
        "(`tests/standins/`), pushes `examples/dictionary/` as the project's `main`, opens an MR from",
        f"`{BRANCH}` that adds five lines, runs `bot.review.review_merge_request` against it over real",
        "HTTP (LLM off), and prints what GitLab then holds. Commit SHAs, the summary key and the review",
        "time are replaced with placeholders (`BASE_SHA`, `HEAD_SHA`, `SUMMARY_KEY`, `N.N`).",
        "",
        "The added lines and what is wrong with them:",
        "",
        *(f"- {what}" for what in WHAT),
        "",
        "## The merge request's diff",
        "",
        "As GitLab's `GET …/merge_requests/:iid/diffs` returns it, file by file:",
        "",
    ]
    for path, diff in diffs.items():
        out += [f"`{path}`", "", *fenced(diff.rstrip("\n"), "diff"), ""]
    out += [
        "## Threads",
        "",
        f"synbot opened {len(threads)} threads, one per finding on an added line:",
        f"{posting(run.calls)}.",
        "Each note starts with a hidden fingerprint marker, so the next run edits, resolves or keeps its",
        "own threads instead of posting them again. Where the fix is known the note carries a suggestion",
        "block that replaces the commented line (an empty block deletes it); the author applies it with",
        "one click.",
        "",
    ]
    for number, note in enumerate(threads, 1):
        position = note.position or {}
        body = scrub(note.body, run.shas)
        out += [
            f"### {number}. `{position['new_path']}`, line {position['new_line']}",
            "",
            "Position: `new_line` "
            f"{position['new_line']}, `old_line` {position['old_line'] or 'null'} (an added line).",
            "",
            *fenced(hunk_excerpt(diffs[position["new_path"]], position["new_line"]), "diff"),
            "",
            "The note as posted:",
            "",
            *fenced(body),
            "",
            "As GitLab renders it:",
            "",
            *quoted(body),
            "",
        ]
    out += ["## Summary note", "", "One note on the MR, edited in place by later runs:", ""]
    for note in summaries:
        body = scrub(note.body, run.shas)
        out += [*fenced(body), "", "As GitLab renders it:", "", *quoted(body), ""]
    out += [
        "## Commit status",
        "",
        "`POST /projects/:id/statuses/HEAD_SHA`, in the order they were posted:",
        "",
        "| name | state | description |",
        "| --- | --- | --- |",
        *(f"| `{s['name']}` | `{s['status']}` | {s['description']} |" for s in run.statuses),
        "",
        f"The final state is `{run.result.state}`: `failed` while an error finding stands, `success`",
        "otherwise. Once the author applies the suggestions and fixes the rest, the next review (the push",
        "arrives as an `update` hook) resolves the threads whose problem is gone and sets `success`.",
    ]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--output", type=Path, help="write here instead of standard output")
    args = parser.parse_args(argv)
    page = render(run_review())
    if args.output is None:
        sys.stdout.write(page)
    else:
        args.output.write_text(page, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
