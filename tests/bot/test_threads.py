"""Markers, note rendering and the pure thread plan (a hand-written fake stands in for GitLab)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from bot.gitlab_port import BotThread, Position
from bot.threads import (
    ActionKind,
    Plan,
    WantedThread,
    fingerprint,
    marker,
    marker_of,
    plan_threads,
    render_note,
    safe_suggestion,
    suggestion_of,
)
from synonyms.analysis import WhitespaceAnalyzer
from synonyms.findings import Finding, Severity

BOT = 1
AUTHOR = 2
PATH = "synonyms/shoes.txt"


def finding(
    line: int, rule: str, *, code: str = "typo", suggestion: str | None = None, **kw: object
) -> Finding:
    return Finding(
        path=PATH,
        line=line,
        severity=kw.pop("severity", Severity.ERROR),  # type: ignore[arg-type]
        code=code,
        message=str(kw.pop("message", "опечатка")),
        suggestion=suggestion,
        rule=rule,
    )


def wanted(f: Finding, *, language: str = "ru") -> WantedThread:
    fp = fingerprint(f.path, f.rule, f.code)
    suggestion = safe_suggestion(f, current=f.rule, analyzer=WhitespaceAnalyzer())
    body = render_note(f, fp=fp, suggestion=suggestion, language=language)
    return WantedThread(fp, f, Position(PATH, PATH, new_line=f.line), body, suggestion)


class FakeGitLab:
    """Applies a plan the way the adapter would, to plain BotThread values."""

    def __init__(self) -> None:
        self.threads: list[BotThread] = []
        self.next_id = 100

    def apply(self, plan: Plan) -> None:
        for action in plan.actions:
            index = self.threads.index(action.thread) if action.thread in self.threads else None
            if action.kind is ActionKind.CREATE and action.wanted:
                self.next_id += 1
                pos = action.wanted.position
                self.threads.append(
                    BotThread(
                        str(self.next_id),
                        self.next_id,
                        action.wanted.body,
                        False,
                        None,
                        pos.new_path,
                        pos.new_line,
                    )
                )
            elif action.kind is ActionKind.EDIT and action.wanted and index is not None:
                self.threads[index] = dataclasses.replace(self.threads[index], body=action.wanted.body)
            elif action.kind is ActionKind.REOPEN and action.wanted and index is not None:
                self.threads[index] = dataclasses.replace(
                    self.threads[index], body=action.wanted.body, resolved=False, resolved_by_id=None
                )
            elif action.kind is ActionKind.RESOLVE and index is not None:
                self.threads[index] = dataclasses.replace(
                    self.threads[index], resolved=True, resolved_by_id=BOT
                )

    def resolve_by_author(self, fp: str) -> None:
        for i, thread in enumerate(self.threads):
            if marker_of(thread.body) == fp:
                self.threads[i] = dataclasses.replace(thread, resolved=True, resolved_by_id=AUTHOR)


def plan(items: Sequence[WantedThread], fake: FakeGitLab, **kw: object) -> Plan:
    return plan_threads(items, fake.threads, bot_user_id=BOT, **kw)  # type: ignore[arg-type]


def kinds(p: Plan) -> list[ActionKind]:
    return sorted(a.kind for a in p.actions)


def test_fingerprint_ignores_the_line_but_not_the_rule_or_code() -> None:
    assert fingerprint(PATH, "a, b", "typo") == fingerprint(PATH, " a, b ", "typo")
    assert fingerprint(PATH, "a, b", "typo") != fingerprint(PATH, "a, c", "typo")
    assert fingerprint(PATH, "a, b", "typo") != fingerprint(PATH, "a, b", "duplicate")


def test_marker_round_trips() -> None:
    fp = fingerprint(PATH, "a, b", "typo")
    assert marker_of(f"text\n{marker(fp)}\nmore") == fp
    assert marker_of("<!-- synbot:summary -->") is None


def test_note_has_marker_reason_and_a_one_line_suggestion() -> None:
    f = finding(3, "кросовки, кеды", suggestion="кроссовки, кеды", message="опечатка в «кросовки»")
    item = wanted(f)
    assert item.body.startswith(marker(item.fp))
    assert "**Ошибка** · `typo`: опечатка в «кросовки»" in item.body
    assert "```suggestion:-0+0\nкроссовки, кеды\n```" in item.body
    assert suggestion_of(item.body) == "кроссовки, кеды"


def test_english_labels_when_the_repo_asks_for_english() -> None:
    assert "**Error**" in wanted(finding(3, "a, b"), language="en").body


def test_an_empty_suggestion_renders_an_empty_block_that_deletes_the_line() -> None:
    item = wanted(finding(3, "a, b", suggestion=""))
    assert "```suggestion:-0+0\n```" in item.body
    assert suggestion_of(item.body) == ""


def test_a_suggestion_that_is_not_a_valid_rule_is_not_rendered() -> None:
    for bad in ("a => b => c", "a, , b => ", "# comment", "```\nrm -rf"):
        item = wanted(finding(3, "a, b", suggestion=bad))
        assert item.suggestion is None and "```suggestion" not in item.body


def test_a_suggestion_spanning_other_lines_is_not_rendered() -> None:
    f = dataclasses.replace(finding(3, "a, b", suggestion="a, c"), end_line=4)
    assert safe_suggestion(f, current="a, b", analyzer=WhitespaceAnalyzer()) is None


def test_a_suggestion_equal_to_the_line_is_not_rendered() -> None:
    assert wanted(finding(3, "a, b", suggestion="a, b")).suggestion is None


def test_first_run_creates_one_thread_per_finding() -> None:
    items = [wanted(finding(3, "a, b")), wanted(finding(5, "c, d"))]
    assert kinds(plan(items, FakeGitLab())) == [ActionKind.CREATE, ActionKind.CREATE]


def test_planning_over_the_applied_result_yields_only_keep() -> None:
    fake = FakeGitLab()
    items = [wanted(finding(n, f"r{n}, s{n}", suggestion=f"r{n}, t{n}")) for n in range(1, 6)]
    fake.apply(plan(items, fake))
    again = plan(items, fake)
    assert set(kinds(again)) == {ActionKind.KEEP} and not again.writes


def test_a_gone_finding_resolves_its_thread() -> None:
    fake = FakeGitLab()
    first, second = wanted(finding(3, "a, b")), wanted(finding(5, "c, d"))
    fake.apply(plan([first, second], fake))
    p = plan([first], fake)
    (resolve,) = p.of(ActionKind.RESOLVE)
    assert resolve.fp == second.fp
    fake.apply(p)
    assert not plan([first], fake).writes


def test_a_changed_message_edits_the_thread_in_place() -> None:
    fake = FakeGitLab()
    fake.apply(plan([wanted(finding(3, "a, b", message="old"))], fake))
    p = plan([wanted(finding(3, "a, b", message="new"))], fake)
    assert kinds(p) == [ActionKind.EDIT]


def test_a_thread_the_author_resolved_is_not_reopened_and_counts_as_rejected() -> None:
    fake = FakeGitLab()
    item = wanted(finding(3, "a, b"))
    fake.apply(plan([item], fake))
    fake.resolve_by_author(item.fp)
    p = plan([item], fake)
    assert kinds(p) == [ActionKind.KEEP] and p.rejected == {item.fp}


def test_a_rejected_finding_without_a_thread_gets_no_new_thread() -> None:
    item = wanted(finding(3, "a, b"))
    p = plan([item], FakeGitLab(), rejected=frozenset({item.fp}))
    assert p.actions == () and p.suppressed == (item,) and p.rejected == {item.fp}


def test_a_finding_back_after_the_bot_resolved_it_reopens_the_thread() -> None:
    fake = FakeGitLab()
    item = wanted(finding(3, "a, b"))
    fake.apply(plan([item], fake))
    fake.apply(plan([], fake))
    assert kinds(plan([item], fake)) == [ActionKind.REOPEN]


def test_a_thread_whose_line_got_the_suggestion_is_recorded_as_applied() -> None:
    fake = FakeGitLab()
    fixed, other = (
        wanted(finding(3, "a, b", suggestion="a, c")),
        wanted(finding(5, "x, y", suggestion="x, z")),
    )
    fake.apply(plan([fixed, other], fake))
    p = plan([], fake, file_lines={PATH: ["1", "2", "a, c", "4", "x, w"]})
    assert p.applied == {fixed.fp}
    assert len(p.of(ActionKind.RESOLVE)) == 2


def test_threads_beyond_the_cap_overflow_errors_first() -> None:
    items = [wanted(finding(n, f"r{n}, s{n}", severity=Severity.WARNING)) for n in range(1, 5)]
    items.append(wanted(finding(9, "e, f", severity=Severity.ERROR)))
    p = plan(items, FakeGitLab(), max_threads=2)
    created = [a.wanted.finding.line for a in p.of(ActionKind.CREATE) if a.wanted]
    assert created == [9, 1]
    assert [o.finding.line for o in p.overflow] == [2, 3, 4]


def test_open_threads_count_against_the_cap() -> None:
    fake = FakeGitLab()
    old = [wanted(finding(n, f"r{n}, s{n}")) for n in (1, 2)]
    fake.apply(plan(old, fake, max_threads=2))
    p = plan([*old, wanted(finding(3, "x, y"))], fake, max_threads=2)
    assert p.of(ActionKind.CREATE) == [] and len(p.overflow) == 1


def test_duplicate_threads_of_one_fingerprint_are_closed() -> None:
    fake = FakeGitLab()
    item = wanted(finding(3, "a, b"))
    fake.apply(plan([item], fake))
    fake.threads.append(dataclasses.replace(fake.threads[0], discussion_id="dup", note_id=999))
    assert kinds(plan([item], fake)) == [ActionKind.KEEP, ActionKind.RESOLVE]
