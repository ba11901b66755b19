"""Diff parsing on real ``git diff`` output: made live in temporary repos, and as committed samples."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synonyms.analysis import WhitespaceAnalyzer
from synonyms.diff import ChangeKind, DiffError, FileDiff, FileStatus, parse_diff, parse_file_diff
from synonyms.rules import Kind, LineError, Rule

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "diffs"
ANALYZER = WhitespaceAnalyzer()


def kind_of(path: str) -> Kind | None:
    if path.startswith("typos/") and path.endswith(".txt"):
        return Kind.TYPOS
    if path.startswith("synonyms/") and path.endswith(".txt"):
        return Kind.SYNONYMS
    return None


class Repo:
    """A throwaway git repository: write files, commit, diff the working tree against HEAD."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "-q")
        self.git("config", "user.email", "test@example.com")
        self.git("config", "user.name", "test")
        self.git("config", "core.autocrlf", "false")

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, check=True, capture_output=True)
        return done.stdout.decode("utf-8")

    def write(self, path: str, content: bytes) -> None:
        file = self.root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(content)

    def commit(self) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "change")

    def diff(self, *extra: str) -> str:
        self.git("add", "-A")
        return self.git("diff", "--cached", "-M", *extra)


def _by_path(diffs: list[FileDiff]) -> dict[str, FileDiff]:
    return {d.path: d for d in diffs}


def make_mr(repo: Repo) -> str:
    """One MR touching every case: edits, a Cyrillic rename, a deletion, CRLF, no final newline, binary."""
    repo.write("synonyms/food.txt", "томат, помидор\nайфон, iphone\n# фрукты\nкеды, кеды\n".encode())
    repo.write("synonyms/еда.txt", b"one, two\nthree, four\nfive, six\n")
    repo.write("synonyms/old.txt", "чайник, электрочайник\nутюг, отпариватель\n".encode())
    repo.write("synonyms/crlf.txt", b"a, b\r\nc, d\r\ne, f\r\n")
    repo.write("typos/typos.txt", "тамат => томат".encode())
    repo.write("synonyms/pic.txt", b"\x00\x01\x02")
    repo.write("README.md", b"hello\n")
    repo.commit()
    repo.write(
        "synonyms/food.txt",
        "томат, помидор, томаты\nайфон, iphone\n# фрукты и овощи\nнаушники => a => b\nкеды, кеды\n".encode(),
    )
    repo.git("mv", "synonyms/еда.txt", "synonyms/food2.txt")
    repo.write("synonyms/food2.txt", b"one, two\nthree, four\nfive, seven\n")
    (repo.root / "synonyms/old.txt").unlink()
    repo.write("synonyms/crlf.txt", b"a, b\r\nc, e\r\ne, f\r\n")
    repo.write("typos/typos.txt", "тамат => томат\nтомт => томат".encode())
    repo.write("synonyms/new.txt", "пылесос, робот-пылесос\n".encode())
    repo.write("synonyms/pic.txt", b"\x00\x01\x03")
    repo.write("README.md", b"hello, world\n")
    return repo.diff()


@pytest.fixture(scope="module")
def live_diff(tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_mr(Repo(tmp_path_factory.mktemp("repo")))


@pytest.fixture(params=["live", "sample"])
def mr(request: pytest.FixtureRequest, live_diff: str) -> dict[str, FileDiff]:
    text = live_diff if request.param == "live" else (SAMPLES / "mr.diff").read_text(encoding="utf-8")
    return _by_path(parse_diff(text, kind_of=kind_of, analyzer=ANALYZER))


def test_only_text_dictionary_files_are_kept(mr: dict[str, FileDiff]) -> None:
    assert set(mr) == {
        "synonyms/food.txt",
        "synonyms/food2.txt",
        "synonyms/old.txt",
        "synonyms/crlf.txt",
        "typos/typos.txt",
        "synonyms/new.txt",
    }
    assert mr["typos/typos.txt"].kind is Kind.TYPOS


def test_a_rewritten_line_is_a_changed_rule_with_both_line_numbers(mr: dict[str, FileDiff]) -> None:
    food = mr["synonyms/food.txt"]
    changed = [c for c in food.changes if c.kind is ChangeKind.CHANGED]
    assert [(c.old_line, c.new_line) for c in changed] == [(1, 1)]
    assert isinstance(changed[0].new, Rule)
    assert [t.text for t in changed[0].new.inputs] == ["томат", "помидор", "томаты"]
    assert isinstance(changed[0].old, Rule) and changed[0].old.raw == "томат, помидор"


def test_a_bad_added_line_is_an_error_at_its_new_line(mr: dict[str, FileDiff]) -> None:
    food = mr["synonyms/food.txt"]
    assert [(e.line, e.raw) for e in food.new_errors] == [(4, "наушники => a => b")]
    assert isinstance(food.new_errors[0], LineError)


def test_comment_edits_are_not_rule_changes(mr: dict[str, FileDiff]) -> None:
    food = mr["synonyms/food.txt"]
    assert {c.new_line for c in food.changes} == {1, 4}
    assert food.added_lines == {1, 3, 4}


def test_context_lines_are_visible_and_keep_their_old_numbers(mr: dict[str, FileDiff]) -> None:
    food = mr["synonyms/food.txt"]
    assert food.visible_lines == {1, 2, 3, 4, 5}
    assert food.old_line_of(5) == 4
    assert food.old_line_of(2) == 2
    assert food.old_line_of(4) is None  # an added line has no old number


def test_a_renamed_file_uses_the_new_path_and_unquotes_the_old(mr: dict[str, FileDiff]) -> None:
    renamed = mr["synonyms/food2.txt"]
    assert renamed.status is FileStatus.RENAMED
    assert renamed.old_path == "synonyms/еда.txt"
    assert [(r.path, r.line, r.raw) for r in renamed.new_rules] == [("synonyms/food2.txt", 3, "five, seven")]


def test_a_deleted_file_has_only_removed_rules(mr: dict[str, FileDiff]) -> None:
    old = mr["synonyms/old.txt"]
    assert old.status is FileStatus.DELETED and old.new_path is None
    assert old.new_rules == () and old.added_lines == frozenset()
    assert [(r.line, r.raw) for r in old.removed_rules] == [
        (1, "чайник, электрочайник"),
        (2, "утюг, отпариватель"),
    ]


def test_a_new_file_is_all_added(mr: dict[str, FileDiff]) -> None:
    new = mr["synonyms/new.txt"]
    assert new.status is FileStatus.ADDED and new.old_path is None
    assert [c.kind for c in new.changes] == [ChangeKind.ADDED]


def test_crlf_line_endings_are_not_part_of_the_rule(mr: dict[str, FileDiff]) -> None:
    crlf = mr["synonyms/crlf.txt"]
    (change,) = crlf.changes
    assert isinstance(change.new, Rule) and change.new.raw == "c, e" and change.new_line == 2
    assert [t.text for t in change.new.terms] == ["c", "e"]


def test_adding_a_final_newline_does_not_change_the_last_rule(mr: dict[str, FileDiff]) -> None:
    typos = mr["typos/typos.txt"]
    assert [(c.kind, c.new_line) for c in typos.changes] == [(ChangeKind.ADDED, 2)]
    assert typos.added_lines == {1, 2}  # git shows line 1 as rewritten: it may carry a comment


def test_zero_context_hunks_do_not_pair_across_hunks(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("synonyms/a.txt", b"a, b\nc, d\ne, f\ng, h\n")
    repo.commit()
    repo.write("synonyms/a.txt", b"c, d\ne, f\ng, h\nx, y\n")
    (diff,) = parse_diff(repo.diff("-U0"), kind_of=kind_of, analyzer=ANALYZER)
    assert [(c.kind, c.old_line, c.new_line) for c in diff.changes] == [
        (ChangeKind.REMOVED, 1, None),
        (ChangeKind.ADDED, None, 4),
    ]


def test_converting_a_file_to_crlf_changes_no_rule(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("synonyms/a.txt", b"a, b\nc, d\n")
    repo.commit()
    repo.write("synonyms/a.txt", b"a, b\r\nc, d\r\n")
    (diff,) = parse_diff(repo.diff(), kind_of=kind_of, analyzer=ANALYZER)
    assert diff.changes == () and diff.added_lines == {1, 2}


def test_a_pure_rename_has_no_changes(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("synonyms/a.txt", b"a, b\nc, d\n")
    repo.commit()
    (repo.root / "typos").mkdir()
    repo.git("mv", "synonyms/a.txt", "typos/a.txt")
    (diff,) = parse_diff(repo.diff(), kind_of=kind_of, analyzer=ANALYZER)
    assert (diff.old_path, diff.new_path, diff.kind) == ("synonyms/a.txt", "typos/a.txt", Kind.TYPOS)
    assert diff.status is FileStatus.RENAMED and diff.changes == ()


def _gitlab_entries() -> list[dict[str, object]]:
    data = json.loads((SAMPLES / "gitlab_mr_diffs.json").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def _from_gitlab(entry: dict[str, object]) -> FileDiff:
    return parse_file_diff(
        str(entry["diff"]),
        old_path=str(entry["old_path"]),
        new_path=str(entry["new_path"]),
        kind=kind_of(str(entry["new_path"])) or Kind.SYNONYMS,
        analyzer=ANALYZER,
        new_file=bool(entry["new_file"]),
        deleted_file=bool(entry["deleted_file"]),
    )


def test_gitlab_per_file_hunks_give_what_the_full_diff_gives(mr: dict[str, FileDiff]) -> None:
    entries = [e for e in _gitlab_entries() if e["diff"] and kind_of(str(e["new_path"]))]
    assert entries
    for entry in entries:
        gitlab = _from_gitlab(entry)
        full = mr[gitlab.path]
        assert (gitlab.old_path, gitlab.new_path, gitlab.status) == (
            full.old_path,
            full.new_path,
            full.status,
        )
        assert gitlab.changes == full.changes
        assert gitlab.visible_lines == full.visible_lines


def test_gitlab_entry_without_hunks_has_no_changes() -> None:
    diff = parse_file_diff(
        "", old_path="synonyms/a.txt", new_path="synonyms/b.txt", kind=Kind.SYNONYMS, analyzer=ANALYZER
    )
    assert diff.status is FileStatus.RENAMED and diff.changes == () and diff.lines == ()


_LINES = st.sampled_from(
    [
        "томат, помидор",
        "айфон, iphone",
        "# раздел",
        "",
        "a => b => c",
        "кеды, сникерсы",
        "тв, телик => телевизор",
    ]
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old=st.lists(_LINES, max_size=12), new=st.lists(_LINES, max_size=12), crlf=st.booleans())
def test_every_change_points_at_its_own_line_in_either_version(
    tmp_path_factory: pytest.TempPathFactory, old: list[str], new: list[str], crlf: bool
) -> None:
    repo = Repo(tmp_path_factory.mktemp("prop"))
    eol = "\r\n" if crlf else "\n"
    repo.write("synonyms/a.txt", "".join(line + eol for line in old).encode())
    repo.commit()
    repo.write("synonyms/a.txt", "".join(line + eol for line in new).encode())
    diffs = parse_diff(repo.diff(), kind_of=kind_of, analyzer=ANALYZER)
    if old == new:
        assert diffs == []
        return
    (diff,) = diffs
    for change in diff.changes:
        if change.new is not None:
            assert change.new.raw == new[change.new.line - 1]
        if change.old is not None:
            assert change.old.raw == old[change.old.line - 1]
        if change.kind is ChangeKind.CHANGED:
            assert change.new is not None and change.old is not None and change.new.raw != change.old.raw
    assert diff.added_lines <= diff.visible_lines <= set(range(1, len(new) + 1))
    for line in diff.visible_lines - diff.added_lines:
        old_line = diff.old_line_of(line)
        assert old_line is not None and old[old_line - 1] == new[line - 1]
    rule_lines = {i + 1 for i, text in enumerate(new) if text and not text.startswith("#")}
    assert {c.new_line for c in diff.changes if c.new is not None} <= rule_lines & diff.added_lines


def test_a_truncated_hunk_is_a_diff_error() -> None:
    with pytest.raises(DiffError, match="not a valid unified diff"):
        parse_diff(
            "--- a/synonyms/a.txt\n+++ b/synonyms/a.txt\n@@ -1,3 +1,1 @@\n-a, b\n",
            kind_of=kind_of,
            analyzer=ANALYZER,
        )
    with pytest.raises(DiffError):
        parse_file_diff(
            "@@ -1,2 +1,2 @@\n-a, b\n", old_path="a", new_path="a", kind=Kind.SYNONYMS, analyzer=ANALYZER
        )


def test_text_without_any_file_header_has_no_files() -> None:
    assert parse_diff("nothing to see\n", kind_of=kind_of, analyzer=ANALYZER) == []
