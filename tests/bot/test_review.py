"""One MR review end to end against the loopback GitLab stand-in (real HTTP, python-gitlab inside)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from pydantic import SecretStr

from bot.config import Settings
from bot.gitlab import AsyncGitLab, Position, build_gitlab
from bot.review import ReviewResult, review_merge_request
from bot.threads import marker_of
from synonyms.analysis import get_analyzer
from synonyms.checks import CheckOptions, check_dictionaries
from synonyms.findings import Severity
from synonyms.parser import parse
from synonyms.rules import Kind

if TYPE_CHECKING:
    from tests.standins.es_server import ElasticsearchStandIn
    from tests.standins.gitlab_server import StandIn

pytest_plugins = ("tests.standins.gitlab_server", "tests.standins.es_server")

PATH = "synonyms/shoes.txt"
FILLER = "".join(f"товар{i}, изделие{i}\n" for i in range(1, 9))
BASE = "кроссовки, кеды\nноутбук, лэптоп\n" + FILLER
BAD = {
    "телефон, смартфон, ": Severity.ERROR,  # empty term -> "телефон, смартфон"
    "   ": Severity.ERROR,  # a line of spaces -> delete
    "куртка, пуховик, куртка": Severity.WARNING,  # repeated term -> "куртка, пуховик"
}
HEAD = BASE + "".join(f"{line}\n" for line in BAD) + "шапка, ушанка\n"
T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def port(standin: StandIn) -> AsyncGitLab:
    return build_gitlab(settings(standin), timeout_s=5, max_retries=3, version_wait_s=0.01)


def settings(standin: StandIn, **kw: Any) -> Settings:
    return Settings(gitlab_url=standin.url, gitlab_token=SecretStr("bot-token"), **kw)


def open_mr(standin: StandIn, head: str = HEAD) -> tuple[int, int]:
    state = standin.state
    project = state.create_project({PATH: BASE})
    state.commit(project.id, "feature", {PATH: head})
    return project.id, state.create_mr(project.id, source_branch="feature", author=standin.author)


def review(standin: StandIn, pid: int, iid: int, *, sha: str | None = None, **kw: Any) -> ReviewResult:
    head = sha or standin.state.head(pid, "feature")
    return run(
        review_merge_request(
            project_id=pid,
            mr_iid=iid,
            head_sha=head,
            gitlab=port(standin),
            settings=settings(standin, **kw),
            llm=None,
        )
    )


def threads(standin: StandIn, pid: int, iid: int) -> list[dict[str, Any]]:
    mr = standin.state.mr(pid, iid)
    return [d.notes[0].json(mr) for d in mr.discussions if marker_of(d.notes[0].body)]


def summary(standin: StandIn, pid: int, iid: int) -> str:
    mr = standin.state.mr(pid, iid)
    (body,) = [n.body for d in mr.discussions for n in d.notes if "synbot:summary" in n.body]
    return body


def status(standin: StandIn, pid: int, sha: str) -> str:
    return str(standin.state.statuses[(pid, sha)][-1]["status"])


def as_author(standin: StandIn, method: str, path: str, **params: Any) -> httpx.Response:
    headers = {"PRIVATE-TOKEN": standin.author.token}
    return httpx.request(method, f"{standin.url}/api/v4{path}", headers=headers, params=params, timeout=5)


def test_every_bad_added_line_gets_one_thread_and_no_position_is_refused(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    result = review(gitlab_standin, pid, iid)
    lines = HEAD.splitlines()
    bad_lines = sorted(lines.index(text) + 1 for text in BAD)
    posted = sorted(t["position"]["new_line"] for t in threads(gitlab_standin, pid, iid))
    assert posted == bad_lines
    assert all(t["position"]["old_line"] is None for t in threads(gitlab_standin, pid, iid))
    assert result.created == len(BAD)
    assert [key for key in gitlab_standin.state.errors if key.endswith(" 400")] == []


def test_threads_go_out_as_drafts_published_in_one_call(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    review(gitlab_standin, pid, iid)
    calls = gitlab_standin.state.calls
    assert calls["POST /api/v4/projects/{pid}/merge_requests/{iid}/draft_notes"] == len(BAD)
    assert calls["POST /api/v4/projects/{pid}/merge_requests/{iid}/draft_notes/bulk_publish"] == 1
    assert calls["POST /api/v4/projects/{pid}/merge_requests/{iid}/discussions"] == 0


def test_a_second_run_on_the_same_sha_only_reads(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    review(gitlab_standin, pid, iid)
    writes, body = gitlab_standin.writes(), summary(gitlab_standin, pid, iid)
    before = dict(gitlab_standin.state.calls)
    again = review(gitlab_standin, pid, iid)
    assert gitlab_standin.writes() == writes
    assert summary(gitlab_standin, pid, iid) == body
    assert (again.created, again.edited, again.resolved, again.reopened) == (0, 0, 0, 0)
    reads = sum(n - before.get(key, 0) for key, n in gitlab_standin.state.calls.items())
    print(f"API calls of a no-op re-run: {reads}; of the first run: {sum(before.values())}")


def test_status_fails_on_errors_and_succeeds_once_they_are_fixed(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    first = gitlab_standin.state.head(pid, "feature")
    review(gitlab_standin, pid, iid)
    assert status(gitlab_standin, pid, first) == "failed"
    fixed = HEAD.replace("телефон, смартфон, \n", "телефон, смартфон\n").replace("   \n", "")
    second = gitlab_standin.state.commit(pid, "feature", {PATH: fixed})
    result = review(gitlab_standin, pid, iid)
    assert status(gitlab_standin, pid, second) == "success"
    assert result.resolved == 2
    by_line = {t["body"].split("`")[1]: t["resolved"] for t in threads(gitlab_standin, pid, iid)}
    assert by_line == {"empty-term": True, "blank-line-with-spaces": True, "duplicate-term": False}


def test_a_stale_job_stops_before_writing(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    old = gitlab_standin.state.head(pid, "feature")
    gitlab_standin.state.commit(pid, "feature", {PATH: HEAD + "шарф, палантин\n"})
    result = review(gitlab_standin, pid, iid, sha=old)
    assert result.superseded and gitlab_standin.writes() == 0


def test_a_changed_finding_edits_its_thread_in_place(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    review(gitlab_standin, pid, iid)
    gitlab_standin.state.commit(pid, "feature", {".synbot.yml": "language: en\n"})
    result = review(gitlab_standin, pid, iid)
    assert (result.created, result.edited) == (0, len(BAD))
    assert all(
        "**Error**" in t["body"] or "**Warning**" in t["body"] for t in threads(gitlab_standin, pid, iid)
    )


def test_a_thread_the_author_resolved_is_not_reopened(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    review(gitlab_standin, pid, iid)
    mr = gitlab_standin.state.mr(pid, iid)
    warning = next(d for d in mr.discussions if "duplicate-term" in d.notes[0].body)
    answer = as_author(
        gitlab_standin,
        "PUT",
        f"/projects/{pid}/merge_requests/{iid}/discussions/{warning.id}",
        resolved="true",
    )
    assert answer.status_code == 200
    gitlab_standin.state.commit(pid, "feature", {PATH: HEAD + "шарф, палантин\n"})
    result = review(gitlab_standin, pid, iid)
    assert warning.notes[0].resolved and warning.notes[0].resolved_by == gitlab_standin.author
    assert result.rejected == 1 and result.created == 0
    assert "Отклонено автором: 1" in summary(gitlab_standin, pid, iid)


def test_applying_every_suggestion_leaves_a_dictionary_without_errors(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    review(gitlab_standin, pid, iid)
    suggestions = [
        s for d in gitlab_standin.state.mr(pid, iid).discussions for n in d.notes for s in n.suggestions
    ]
    assert len(suggestions) == len(BAD)
    for suggestion in sorted(suggestions, key=lambda s: -s.from_line):  # bottom-up keeps line numbers
        assert as_author(gitlab_standin, "PUT", f"/suggestions/{suggestion.id}/apply").status_code == 200
    text = gitlab_standin.state.file(pid, "feature", PATH)
    assert text is not None
    analyzer = get_analyzer("whitespace")
    dictionary = parse(text, analyzer=analyzer, path=PATH, kind=Kind.SYNONYMS)
    findings = check_dictionaries([dictionary], analyzer=analyzer, options=CheckOptions())
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    result = review(gitlab_standin, pid, iid)
    assert result.resolved == len(BAD) and result.applied == len(BAD) and result.state == "success"


def test_findings_beyond_the_thread_cap_are_listed_in_the_summary(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    result = review(gitlab_standin, pid, iid, max_threads=1)
    (only,) = threads(gitlab_standin, pid, iid)
    assert "**Ошибка**" in only["body"]
    assert result.summary_only == len(BAD) - 1
    assert summary(gitlab_standin, pid, iid).count("лимит обсуждений") == len(BAD) - 1


def test_leftover_drafts_of_a_killed_run_are_deleted_not_published(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin)
    gl = port(gitlab_standin)
    refs = run(gl.mr_versions(pid, iid))
    line = HEAD.splitlines().index("шапка, ушанка") + 1
    stray = Position(PATH, PATH, new_line=line)
    run(
        gl.create_draft_note(
            pid, iid, body="<!-- synbot:fp=ffffffffffffffff -->\nstray", position=stray, refs=refs
        )
    )
    review(gitlab_standin, pid, iid)
    assert gitlab_standin.state.mr(pid, iid).drafts == []
    assert all("stray" not in t["body"] for t in threads(gitlab_standin, pid, iid))
    assert len(threads(gitlab_standin, pid, iid)) == len(BAD)


def test_a_clean_mr_gets_a_summary_and_a_success_status_only(gitlab_standin: StandIn) -> None:
    pid, iid = open_mr(gitlab_standin, head=BASE + "шапка, ушанка\n")
    result = review(gitlab_standin, pid, iid)
    assert threads(gitlab_standin, pid, iid) == [] and result.state == "success"
    assert "Проверено строк: 1, файлов: 1." in summary(gitlab_standin, pid, iid)


def test_the_summary_counts_every_changed_line_including_those_that_do_not_parse(
    gitlab_standin: StandIn,
) -> None:
    # four added lines: two rules, an empty term and a line of spaces (neither parses)
    pid, iid = open_mr(gitlab_standin)
    review(gitlab_standin, pid, iid)
    assert len(HEAD.splitlines()) - len(BASE.splitlines()) == 4
    body = summary(gitlab_standin, pid, iid)
    assert "Проверено строк: 4 (из них с ошибкой синтаксиса: 2), файлов: 1." in body


def test_a_new_line_duplicating_a_rule_of_an_untouched_file_gets_a_thread(gitlab_standin: StandIn) -> None:
    state = gitlab_standin.state
    project = state.create_project({"synonyms/food.txt": "помидор, томат\nогурец, корнишон\n"})
    state.commit(project.id, "feature", {"synonyms/new.txt": "томат, помидор\n"})
    iid = state.create_mr(project.id, source_branch="feature", author=gitlab_standin.author)
    result = review(gitlab_standin, project.id, iid)
    (thread,) = threads(gitlab_standin, project.id, iid)
    assert thread["position"]["new_path"] == "synonyms/new.txt" and thread["position"]["new_line"] == 1
    assert "synonyms/food.txt:1" in thread["body"]
    assert {f.path for f in result.findings} == {"synonyms/new.txt"}


def test_untouched_files_outside_the_globs_are_not_read(gitlab_standin: StandIn) -> None:
    state = gitlab_standin.state
    untouched = {f"synonyms/f{i}.txt": f"слово{i}, термин{i}\n" for i in range(12)}
    project = state.create_project({**untouched, "README.md": "томат, помидор\n", "typos/t.txt": "a => b\n"})
    state.commit(project.id, "feature", {"synonyms/new.txt": "томат, помидор\n"})
    iid = state.create_mr(project.id, source_branch="feature", author=gitlab_standin.author)
    result = review(gitlab_standin, project.id, iid)
    raw = state.calls["GET /api/v4/projects/{pid}/repository/files/{path:path}/raw"]
    assert raw == 1 + 1 + len(untouched) + 1  # .synbot.yml, the changed file, every dictionary file
    assert result.findings == () and result.state == "success"
    print(f"API calls of a review over {len(untouched) + 2} dictionary files: {sum(state.calls.values())}")


def open_removal_mr(standin: StandIn) -> tuple[int, int]:
    state = standin.state
    files = {"synonyms/tv.txt": "телик, телевизор\nноутбук, лэптоп\n", "synonyms/other.txt": "тв => телик\n"}
    project = state.create_project(files)
    state.commit(project.id, "feature", {"synonyms/tv.txt": "ноутбук, лэптоп\n"})
    return project.id, state.create_mr(project.id, source_branch="feature", author=standin.author)


def test_a_removed_rule_an_untouched_file_relies_on_gets_a_thread_on_the_removed_line(
    gitlab_standin: StandIn,
) -> None:
    pid, iid = open_removal_mr(gitlab_standin)
    result = review(gitlab_standin, pid, iid)
    (thread,) = threads(gitlab_standin, pid, iid)
    assert (thread["position"]["old_line"], thread["position"]["new_line"]) == (1, None)
    assert "removed-rule-referenced" in thread["body"] and "synonyms/other.txt:1" in thread["body"]
    assert result.created == 1 and result.summary_only == 0


def test_a_removed_rule_finding_without_a_thread_is_listed_in_the_summary(gitlab_standin: StandIn) -> None:
    pid, iid = open_removal_mr(gitlab_standin)
    gitlab_standin.state.commit(
        pid,
        "feature",
        {".synbot.yml": "severities:\n  removed-rule-referenced: error\n"},
    )
    result = review(gitlab_standin, pid, iid, max_threads=0)
    assert threads(gitlab_standin, pid, iid) == []
    body = summary(gitlab_standin, pid, iid)
    assert "`synonyms/tv.txt:1` **Ошибка** `removed-rule-referenced`" in body
    assert result.summary_only == 1 and result.state == "failed"


def es_config(url: str, analyzer: str = "ru_index", *, built_in: str = "whitespace") -> str:
    return f"analyzer: {built_in}\nelasticsearch:\n  url: {url}\n  analyzer: {analyzer}\n"


def test_the_cluster_named_in_synbot_yml_analyzes_the_rules_in_a_few_batched_requests(
    gitlab_standin: StandIn, es_standin: ElasticsearchStandIn
) -> None:
    # the cluster drops «и» and leaves a hole that Elasticsearch refuses; whitespace would not
    pid, iid = open_mr(gitlab_standin, head=BASE + "чай и кофе, напитки\n")
    gitlab_standin.state.commit(pid, "feature", {".synbot.yml": es_config(es_standin.url)})
    result = review(gitlab_standin, pid, iid)
    (thread,) = threads(gitlab_standin, pid, iid)
    assert thread["position"]["new_line"] == len(BASE.splitlines()) + 1
    assert "`stopword-inside-term`" in thread["body"]
    assert result.state == "failed" and "недоступен" not in summary(gitlab_standin, pid, iid)
    terms = {t.strip() for line in [*BASE.splitlines(), "чай и кофе, напитки"] for t in line.split(",")}
    assert es_standin.texts_asked == len(terms) and len(es_standin.requests) == 1
    print(f"_analyze requests for {es_standin.texts_asked} terms: {len(es_standin.requests)}")


def test_an_unreachable_cluster_is_named_in_the_summary_and_the_built_in_analyzer_takes_over(
    gitlab_standin: StandIn,
) -> None:
    pid, iid = open_mr(gitlab_standin)
    es = es_config("http://elastic:s3cret@127.0.0.1:9/products/_analyze", built_in="russian")
    gitlab_standin.state.commit(pid, "feature", {".synbot.yml": es})
    result = review(gitlab_standin, pid, iid)
    body = summary(gitlab_standin, pid, iid)
    assert "Elasticsearch из `.synbot.yml` недоступен" in body and "127.0.0.1:9/products/_analyze" in body
    assert "встроенный анализатор `russian`" in body and "s3cret" not in body
    assert result.created == len(BAD) and result.state == "failed"  # the review still came


def test_a_cluster_that_refuses_the_analyzer_is_named_in_the_summary(
    gitlab_standin: StandIn, es_standin: ElasticsearchStandIn
) -> None:
    pid, iid = open_mr(gitlab_standin)
    gitlab_standin.state.commit(pid, "feature", {".synbot.yml": es_config(es_standin.url, "missing")})
    review(gitlab_standin, pid, iid)
    assert "failed to find analyzer [missing]" in summary(gitlab_standin, pid, iid)


def test_waiting_for_the_cluster_does_not_block_the_event_loop(
    gitlab_standin: StandIn, es_standin: ElasticsearchStandIn
) -> None:
    pid, iid = open_mr(gitlab_standin, head=BASE + "чай и кофе, напитки\n")
    gitlab_standin.state.commit(pid, "feature", {".synbot.yml": es_config(es_standin.url)})
    es_standin.delay_s = 0.5
    head = gitlab_standin.state.head(pid, "feature")

    async def both() -> float:
        job = asyncio.create_task(
            review_merge_request(
                project_id=pid,
                mr_iid=iid,
                head_sha=head,
                gitlab=port(gitlab_standin),
                settings=settings(gitlab_standin),
                llm=None,
            )
        )
        longest, last = 0.0, time.monotonic()
        while not job.done():
            await asyncio.sleep(0.01)
            now = time.monotonic()
            longest, last = max(longest, now - last), now
        assert (await job).state == "failed"
        return longest

    longest = run(both())
    assert es_standin.requests and longest < es_standin.delay_s / 2
