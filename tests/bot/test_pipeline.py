"""Where a review's findings go: a thread on a diff line, or the summary (pure, no GitLab)."""

from __future__ import annotations

from bot.pipeline import DictionaryFile, Snapshot, check_snapshot, place_findings
from synonyms.analysis import get_analyzer
from synonyms.checks import CheckOptions
from synonyms.diff import parse_diff
from synonyms.findings import Finding, Severity
from synonyms.rules import Kind
from tests.standins.gitlab_state import unified_hunks

ANALYZER = get_analyzer("whitespace")
OLD = "телик, телевизор\nноутбук, лэптоп\n"
NEW = "ноутбук, лэптоп\n"
REFERRING = "тв => телик\n"


def snapshot(diff: str, texts: dict[str, str | None], untouched: dict[str, str]) -> Snapshot:
    diffs = parse_diff(diff, kind_of=lambda _path: Kind.SYNONYMS, analyzer=ANALYZER)
    others = [DictionaryFile(path, Kind.SYNONYMS, text) for path, text in untouched.items()]
    return Snapshot(diffs=diffs, texts=texts, untouched=others)


def test_a_removed_rule_still_relied_upon_gets_a_thread_on_its_removed_line_of_a_renamed_file() -> None:
    diff = (
        "diff --git a/synonyms/tv.txt b/synonyms/video.txt\nsimilarity index 80%\n"
        "rename from synonyms/tv.txt\nrename to synonyms/video.txt\n"
        "--- a/synonyms/tv.txt\n+++ b/synonyms/video.txt\n" + unified_hunks(OLD, NEW)
    )
    snap = snapshot(diff, {"synonyms/video.txt": NEW}, {"synonyms/other.txt": REFERRING})
    checked = check_snapshot(snap, analyzer=ANALYZER, options=CheckOptions())
    (removed,) = checked.removed
    placement = place_findings(checked.findings, checked.removed, snap, analyzer=ANALYZER, language="ru")
    (thread,) = placement.wanted
    assert removed.code == "removed-rule-referenced" and "synonyms/other.txt:1" in removed.message
    assert (thread.position.old_path, thread.position.new_path) == ("synonyms/tv.txt", "synonyms/video.txt")
    assert (thread.position.old_line, thread.position.new_line) == (1, None)
    assert thread.suggestion is None and placement.not_posted == []


def test_a_removed_rule_finding_no_removed_line_shows_goes_to_the_summary() -> None:
    diff = "--- a/synonyms/tv.txt\n+++ b/synonyms/tv.txt\n" + unified_hunks(OLD, NEW)
    snap = snapshot(diff, {"synonyms/tv.txt": NEW}, {})
    finding = Finding(
        path="synonyms/tv.txt",
        line=2,  # line 2 of the old file is unchanged context, not a removed line
        severity=Severity.WARNING,
        code="removed-rule-referenced",
        message="m",
        rule="ноутбук, лэптоп",
    )
    placement = place_findings([], [finding], snap, analyzer=ANALYZER, language="ru")
    assert placement.wanted == [] and placement.not_posted == [(finding, "removed")]
