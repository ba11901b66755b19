"""The python-gitlab adapter against the loopback GitLab stand-in (real HTTP, no mocks)."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.gitlab import (
    AsyncGitLab,
    DiffRefs,
    GitLabNotFound,
    GitLabPermissionError,
    GitLabUnavailable,
    Position,
    PositionRejected,
    build_gitlab,
)
from tests.standins.gitlab_state import unified_hunks

if TYPE_CHECKING:
    from tests.standins.gitlab_server import StandIn

pytest_plugins = ("tests.standins.gitlab_server",)  # fixtures gitlab_server, gitlab_standin

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "gitlab"
BASE = "кроссовки, кеды\nноутбук, лэптоп\n"
HEAD = "кроссовки, кеды\nноутбук, лэптоп\nкросовки => кроссовки\n"
MARKER = "<!-- synbot:fp=0123456789abcdef -->"


def adapter(standin: StandIn, *, token: str = "bot-token", max_retries: int = 3) -> AsyncGitLab:
    settings = Settings(gitlab_url=standin.url, gitlab_token=SecretStr(token))
    return build_gitlab(settings, timeout_s=5, max_retries=max_retries, version_wait_s=0.01)


def open_mr(standin: StandIn, base: str = BASE, head: str = HEAD) -> tuple[int, int]:
    state = standin.state
    project = state.create_project({"synonyms/shoes.txt": base})
    state.commit(project.id, "feature", {"synonyms/shoes.txt": head})
    return project.id, state.create_mr(project.id, source_branch="feature", author=standin.author)


T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def test_versions_give_the_latest_diff_refs(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    refs = run(adapter(gitlab_standin).mr_versions(pid, iid))
    state = gitlab_standin.state
    assert refs.head_sha == state.head(pid, "feature")
    assert refs.base_sha == refs.start_sha == state.head(pid, "main")


def test_versions_are_retried_while_gitlab_computes_the_diff(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    gitlab_standin.state.mr(pid, iid).hide_versions = 2
    refs = run(adapter(gitlab_standin).mr_versions(pid, iid))
    assert refs.head_sha == gitlab_standin.state.head(pid, "feature")


def test_versions_that_never_appear_make_gitlab_unavailable(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    gitlab_standin.state.mr(pid, iid).hide_versions = 100
    with pytest.raises(GitLabUnavailable):
        run(adapter(gitlab_standin).mr_versions(pid, iid))


def test_diffs_follow_pagination(gitlab_standin: StandIn) -> None:
    state = gitlab_standin.state
    project = state.create_project({})
    state.commit(project.id, "feature", {f"synonyms/f{i:03}.txt": f"a{i}, b{i}\n" for i in range(130)})
    iid = state.create_mr(project.id, source_branch="feature", author=gitlab_standin.author)
    gl = adapter(gitlab_standin)
    files = run(gl.mr_diffs(project.id, iid, run(gl.mr_versions(project.id, iid))))
    assert len({f.new_path for f in files}) == 130
    assert all(f.new_file and f.diff.startswith("@@ -0,0 +1 @@") for f in files)
    assert state.calls["GET /api/v4/projects/{pid}/merge_requests/{iid}/diffs"] == 2


def test_a_too_large_diff_is_computed_from_the_files_at_both_shas(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    gitlab_standin.state.too_large_paths.add("synonyms/shoes.txt")
    gl = adapter(gitlab_standin)
    (diff,) = run(gl.mr_diffs(pid, iid, run(gl.mr_versions(pid, iid))))
    assert diff.diff == unified_hunks(BASE, HEAD)
    assert "+кросовки => кроссовки" in diff.diff


def test_a_missing_file_is_none(gitlab_standin: StandIn) -> None:
    pid, _ = open_mr(gitlab_standin)
    gl = adapter(gitlab_standin)
    sha = gitlab_standin.state.head(pid, "feature")
    assert run(gl.file_at(pid, ".synbot.yml", sha)) is None
    assert run(gl.file_at(pid, "synonyms/shoes.txt", sha)) == HEAD


def test_files_at_a_sha_are_listed_from_every_page_of_the_recursive_tree(gitlab_standin: StandIn) -> None:
    state = gitlab_standin.state
    files = {f"synonyms/deep/f{i:03}.txt": f"a{i}, b{i}\n" for i in range(130)}
    project = state.create_project({**files, ".synbot.yml": "expand: true\n", "typos/t.txt": "a => b\n"})
    sha = state.head(project.id, "main")
    state.commit(project.id, "main", {"synonyms/later.txt": "c, d\n"})
    listed = run(adapter(gitlab_standin).list_files(project.id, sha))
    assert sorted(f.path for f in listed) == sorted([*files, ".synbot.yml", "typos/t.txt"])
    assert len({f.blob_id for f in listed}) == len(listed)
    assert state.calls["GET /api/v4/projects/{pid}/repository/tree"] == 2


def test_the_tree_of_an_unknown_sha_is_not_found(gitlab_standin: StandIn) -> None:
    pid, _ = open_mr(gitlab_standin)
    with pytest.raises(GitLabNotFound):
        run(adapter(gitlab_standin).list_files(pid, "0" * 40))


def test_open_mrs_are_listed_with_their_head(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    (mr,) = run(adapter(gitlab_standin).list_open_mrs(pid))
    assert (mr.iid, mr.head_sha, mr.source_branch) == (
        iid,
        gitlab_standin.state.head(pid, "feature"),
        "feature",
    )


def test_a_position_outside_the_diff_is_rejected(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin, base="".join(f"r{i}, s{i}\n" for i in range(20)))
    gl = adapter(gitlab_standin)
    refs = run(gl.mr_versions(pid, iid))
    outside = Position(old_path="synonyms/shoes.txt", new_path="synonyms/shoes.txt", new_line=10)
    with pytest.raises(PositionRejected):
        run(gl.create_draft_note(pid, iid, body=MARKER, position=outside, refs=refs))


def test_drafts_are_published_as_bot_threads_in_one_call(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    gl = adapter(gitlab_standin)
    refs = run(gl.mr_versions(pid, iid))
    added = Position(old_path="synonyms/shoes.txt", new_path="synonyms/shoes.txt", new_line=3)
    context = Position(old_path="synonyms/shoes.txt", new_path="synonyms/shoes.txt", new_line=2, old_line=2)
    run(gl.create_draft_note(pid, iid, body=f"{MARKER}\nadded", position=added, refs=refs))
    run(gl.create_draft_note(pid, iid, body=f"{MARKER}\ncontext", position=context, refs=refs))
    assert run(gl.bot_threads(pid, iid)) == []  # drafts are not visible yet
    run(gl.bulk_publish_drafts(pid, iid))
    threads = run(gl.bot_threads(pid, iid))
    assert sorted((t.path, t.new_line) for t in threads) == [
        ("synonyms/shoes.txt", 2),
        ("synonyms/shoes.txt", 3),
    ]
    assert (
        gitlab_standin.state.calls[
            "POST /api/v4/projects/{pid}/merge_requests/{iid}/draft_notes/bulk_publish"
        ]
        == 1
    )


def test_leftover_drafts_are_discarded(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    gl = adapter(gitlab_standin)
    refs = run(gl.mr_versions(pid, iid))
    added = Position(old_path="synonyms/shoes.txt", new_path="synonyms/shoes.txt", new_line=3)
    run(gl.create_draft_note(pid, iid, body=MARKER, position=added, refs=refs))
    assert run(gl.discard_drafts(pid, iid)) == 1
    assert gitlab_standin.state.mr(pid, iid).drafts == []


def test_threads_of_other_users_are_not_bot_threads(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    state = gitlab_standin.state
    state.add_note(state.mr(pid, iid), gitlab_standin.author, f"{MARKER} copied by a human", None)
    assert run(adapter(gitlab_standin).bot_threads(pid, iid)) == []


def test_edit_and_resolve_a_thread(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    gl = adapter(gitlab_standin)
    refs = run(gl.mr_versions(pid, iid))
    added = Position(old_path="synonyms/shoes.txt", new_path="synonyms/shoes.txt", new_line=3)
    discussion_id = run(gl.create_thread(pid, iid, body=f"{MARKER}\nold", position=added, refs=refs))
    (thread,) = run(gl.bot_threads(pid, iid))
    assert thread.discussion_id == discussion_id and not thread.resolved
    run(gl.edit_note(pid, iid, discussion_id=discussion_id, note_id=thread.note_id, body=f"{MARKER}\nnew"))
    run(gl.resolve_thread(pid, iid, discussion_id=discussion_id))
    (thread,) = run(gl.bot_threads(pid, iid))
    assert thread.body.endswith("new")
    assert thread.resolved and thread.resolved_by_id == gitlab_standin.bot.id


def test_summary_note_is_found_and_edited_in_place(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    gl = adapter(gitlab_standin)
    assert run(gl.find_summary(pid, iid)) is None
    created = run(gl.create_summary(pid, iid, "<!-- synbot:summary key=1 -->\nfirst"))
    run(gl.edit_summary(pid, iid, note_id=created.note_id, body="<!-- synbot:summary key=2 -->\nsecond"))
    found = run(gl.find_summary(pid, iid))
    assert found is not None and found.note_id == created.note_id and found.body.endswith("second")


def test_commit_status_round_trip(gitlab_standin: StandIn) -> None:
    pid, _ = open_mr(gitlab_standin)
    gl = adapter(gitlab_standin)
    sha = gitlab_standin.state.head(pid, "feature")
    assert run(gl.get_status(pid, sha)) is None
    run(gl.set_status(pid, sha, state="running", description="проверка"))
    run(gl.set_status(pid, sha, state="failed", description="1 ошибка"))
    status = run(gl.get_status(pid, sha))
    assert status is not None and (status.state, status.description) == ("failed", "1 ошибка")


def test_rate_limit_is_waited_out_as_retry_after_says(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    gitlab_standin.state.fail_next(429, retry_after=1)
    started = time.monotonic()
    refs = run(adapter(gitlab_standin).mr_versions(pid, iid))
    assert time.monotonic() - started >= 1.0
    assert isinstance(refs, DiffRefs)


def test_transient_server_errors_are_retried(gitlab_standin: StandIn) -> None:
    pid, _ = open_mr(gitlab_standin)
    gitlab_standin.state.fail_next(500, times=2)
    assert run(adapter(gitlab_standin).file_at(pid, "synonyms/shoes.txt", "feature")) == HEAD


def test_persistent_server_errors_make_gitlab_unavailable(gitlab_standin: StandIn) -> None:
    pid, _ = open_mr(gitlab_standin)
    gitlab_standin.state.fail_next(502, times=50)
    with pytest.raises(GitLabUnavailable):
        run(adapter(gitlab_standin, max_retries=2).file_at(pid, "synonyms/shoes.txt", "feature"))


def test_a_wrong_token_is_a_permission_error(gitlab_standin: StandIn) -> None:
    with pytest.raises(GitLabPermissionError):
        run(adapter(gitlab_standin, token="wrong").current_user())


def test_a_read_only_token_names_the_missing_scope(
    gitlab_standin: StandIn, caplog: pytest.LogCaptureFixture
) -> None:
    pid, _ = open_mr(gitlab_standin)
    gitlab_standin.state.add_user("reader", "read-token", scopes=("read_api",))
    sha = gitlab_standin.state.head(pid, "feature")
    with caplog.at_level(logging.ERROR), pytest.raises(GitLabPermissionError):
        run(
            adapter(gitlab_standin, token="read-token").set_status(pid, sha, state="running", description="x")
        )
    assert "scope `api`" in caplog.text
    assert "read-token" not in caplog.text


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_standin_payloads_carry_every_field_of_the_captured_gitlab_payload(
    gitlab_standin: StandIn, sample: Path
) -> None:
    pid, iid = open_mr(gitlab_standin)
    gl = adapter(gitlab_standin)
    refs = run(gl.mr_versions(pid, iid))
    added = Position(old_path="synonyms/shoes.txt", new_path="synonyms/shoes.txt", new_line=3)
    run(gl.create_thread(pid, iid, body=MARKER, position=added, refs=refs))
    run(gl.create_draft_note(pid, iid, body=MARKER, position=added, refs=refs))
    run(gl.set_status(pid, refs.head_sha, state="running", description="x"))
    state, mr = gitlab_standin.state, gitlab_standin.state.mr(pid, iid)
    produced = {
        "discussion": mr.discussions[0].json(mr),
        "draft_note": mr.drafts[0].json(mr),
        "version": mr.versions[-1].json(mr),
        "diff": state.diffs(mr)[0],
        "commit_status": state.statuses[(pid, refs.head_sha)][0],
        "merge_request": mr.json(),
    }[sample.stem]
    captured = json.loads(sample.read_text(encoding="utf-8"))
    assert _missing_keys(captured, produced) == []


def _missing_keys(captured: object, produced: object, prefix: str = "") -> list[str]:
    if isinstance(captured, dict) and isinstance(produced, dict):
        missing = [prefix + key for key in captured if key not in produced]
        for key in captured:
            if key in produced:
                missing += _missing_keys(captured[key], produced[key], f"{prefix}{key}.")
        return missing
    if isinstance(captured, list) and isinstance(produced, list) and captured and produced:
        return _missing_keys(captured[0], produced[0], prefix + "0.")
    return []
