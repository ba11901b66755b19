"""``synbot check``: exit codes, inputs, overrides and every output format, through the real CLI."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner, Result

from bot.cli import app

if TYPE_CHECKING:
    from tests.standins.es_server import ElasticsearchStandIn

pytest_plugins = ("tests.standins.es_server",)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty dictionary repo as the current directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(root: Path, path: str, text: str | bytes) -> Path:
    file = root / path
    file.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        file.write_bytes(text)
    else:
        file.write_text(text, encoding="utf-8")
    return file


def run(*args: str) -> Result:
    return CliRunner().invoke(app, ["check", *args])


def findings(result: Result) -> list[dict[str, object]]:
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def test_a_clean_file_exits_0_with_an_empty_json_array(repo: Path) -> None:
    write(repo, "synonyms/food.txt", "помидор, томат\nкартофель, картошка\n")
    result = run("synonyms/food.txt", "--format", "json")
    assert result.exit_code == 0, result.output
    assert findings(result) == []


def test_a_line_elasticsearch_rejects_exits_1_and_names_its_line(repo: Path) -> None:
    write(repo, "synonyms/tv.txt", "# тв\nтелик, телевизор\nтв => телик => телевизор\n")
    result = run("synonyms/tv.txt", "--format", "json")
    assert result.exit_code == 1
    (error,) = [f for f in findings(result) if f["severity"] == "error"]
    assert (error["path"], error["line"], error["end_line"]) == ("synonyms/tv.txt", 3, 3)
    assert error["source"] == "check"


def test_warnings_alone_exit_0(repo: Path) -> None:
    write(repo, "synonyms/food.txt", "помидор, томат\nкартофель, картошка\nпомидор, томат\n")
    result = run("synonyms/food.txt", "--format", "json")
    assert result.exit_code == 0
    assert {f["severity"] for f in findings(result)} == {"warning"}


def test_a_missing_file_exits_2_with_a_message_not_a_traceback(repo: Path) -> None:
    result = run("synonyms/nope.txt")
    assert result.exit_code == 2
    assert "synonyms/nope.txt" in result.stderr and "no such file" in result.stderr
    assert "Traceback" not in result.output


def test_a_cp1251_file_exits_2_naming_utf8_and_the_line(repo: Path) -> None:
    write(repo, "synonyms/food.txt", "помидор, томат\n".encode() + "картофель, картошка\n".encode("cp1251"))
    result = run("synonyms/food.txt")
    assert result.exit_code == 2
    assert "UTF-8" in result.stderr and "line 2" in result.stderr


def test_a_broken_synbot_yml_exits_2(repo: Path) -> None:
    write(repo, ".synbot.yml", "analyzer: klingon\n")
    write(repo, "synonyms/food.txt", "помидор, томат\n")
    result = run("synonyms/food.txt")
    assert result.exit_code == 2 and ".synbot.yml" in result.stderr


def test_a_directory_is_walked_with_the_globs(repo: Path) -> None:
    write(repo, ".synbot.yml", 'synonyms: ["dict/syn/*.txt"]\ntypos: ["dict/typos/*.txt"]\n')
    write(repo, "dict/syn/a.txt", "тв => телик => телевизор\n")
    write(repo, "dict/typos/t.txt", "кросовки, кроссовки\n")
    write(repo, "dict/notes.txt", "тв => телик => телевизор\n")  # outside the globs
    write(repo, ".git/x.txt", "тв => телик => телевизор\n")
    result = run(".", "--format", "json")
    assert result.exit_code == 1
    assert {f["path"] for f in findings(result)} == {"dict/syn/a.txt", "dict/typos/t.txt"}
    assert "typo-not-one-way" in {f["code"] for f in findings(result)}


def test_globs_also_match_relative_to_the_walked_directory(repo: Path) -> None:
    write(repo, "examples/dict/synonyms/a.txt", "тв => телик => телевизор\n")
    result = run("examples/dict", "--format", "json")
    assert result.exit_code == 1
    assert {f["path"] for f in findings(result)} == {"examples/dict/synonyms/a.txt"}


def test_a_directory_without_dictionaries_exits_2(repo: Path) -> None:
    write(repo, "docs/readme.txt", "hello\n")
    result = run("docs")
    assert result.exit_code == 2 and "no dictionary files" in result.stderr


def test_kind_flag_overrides_the_globs(repo: Path) -> None:
    write(repo, "typos/t.txt", "кросовки, кроссовки\n")
    as_typos = run("typos/t.txt", "--format", "json")
    as_synonyms = run("typos/t.txt", "--format", "json", "--kind", "synonyms")
    assert "typo-not-one-way" in {f["code"] for f in findings(as_typos)}
    assert "typo-not-one-way" not in {f["code"] for f in findings(as_synonyms)}


def test_analyzer_flag_overrides_synbot_yml(repo: Path) -> None:
    write(repo, ".synbot.yml", "analyzer: whitespace\n")
    write(repo, "synonyms/a.txt", "и, также\n")  # "и" is a Russian stop word: the term vanishes
    assert run("synonyms/a.txt").exit_code == 0
    assert run("synonyms/a.txt", "--analyzer", "russian").exit_code == 1


def test_analyzer_comes_from_synbot_yml(repo: Path) -> None:
    write(repo, ".synbot.yml", "analyzer: russian\n")
    write(repo, "synonyms/a.txt", "и, также\n")
    assert run("synonyms/a.txt").exit_code == 1


def test_an_unknown_analyzer_is_bad_usage(repo: Path) -> None:
    write(repo, "synonyms/a.txt", "a, b\n")
    assert run("synonyms/a.txt", "--analyzer", "klingon").exit_code == 2


def test_codequality_format_is_gitlab_shaped(repo: Path) -> None:
    write(repo, "synonyms/tv.txt", "тв => телик => телевизор\nтелик, телевизор\nтелик, телевизор\n")
    result = run("synonyms/tv.txt", "--format", "codequality")
    issues = json.loads(result.stdout)
    assert result.exit_code == 1 and len(issues) >= 2
    for issue in issues:
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["path"] == "synonyms/tv.txt"
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert issue["description"] and issue["check_name"] and len(issue["fingerprint"]) == 64
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_junit_format_has_a_failure_per_error(repo: Path) -> None:
    write(repo, "synonyms/tv.txt", "тв => телик => телевизор\n")
    write(repo, "synonyms/ok.txt", "помидор, томат\n")
    result = run("synonyms", "--format", "junit")
    root = ET.fromstring(result.stdout)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"synonyms/tv.txt", "synonyms/ok.txt"}
    assert suites["synonyms/tv.txt"].get("failures") == "1"
    assert suites["synonyms/ok.txt"].get("failures") == "0"


def test_text_format_groups_findings_under_their_file(repo: Path) -> None:
    write(repo, "synonyms/b.txt", "тв => телик => телевизор\n")
    write(repo, "synonyms/a.txt", "a, b\na, b\n")
    result = run("synonyms")
    lines = result.stdout.splitlines()
    assert lines.index("synonyms/a.txt") < lines.index("synonyms/b.txt")
    assert "2 file(s) checked: 1 error(s), 1 warning(s), 0 info" in result.stdout


def test_one_run_writes_codequality_and_junit_and_prints_text(repo: Path) -> None:
    write(repo, "synonyms/tv.txt", "тв => телик => телевизор\n")
    result = run("synonyms", "--report", "codequality=out/cq.json", "--report", "junit=out/junit.xml")
    assert result.exit_code == 1
    assert "synonyms/tv.txt" in result.stdout and "1 error(s)" in result.stdout
    assert json.loads((repo / "out/cq.json").read_text(encoding="utf-8"))[0]["severity"] == "critical"
    assert ET.parse(repo / "out/junit.xml").getroot().get("failures") == "1"


def test_output_writes_the_format_to_a_file_and_prints_text(repo: Path) -> None:
    write(repo, "synonyms/tv.txt", "тв => телик => телевизор\n")
    result = run("synonyms", "--format", "json", "--output", "report.json")
    assert json.loads((repo / "report.json").read_text(encoding="utf-8"))[0]["line"] == 1
    assert "1 error(s)" in result.stdout


def test_a_malformed_report_option_is_bad_usage(repo: Path) -> None:
    write(repo, "synonyms/a.txt", "a, b\n")
    assert run("synonyms", "--report", "sarif=x.json").exit_code == 2
    assert run("synonyms", "--report", "junit").exit_code == 2


def test_findings_are_in_english_when_synbot_yml_says_so(repo: Path) -> None:
    write(repo, ".synbot.yml", "language: en\n")
    write(repo, "synonyms/tv.txt", "тв => телик => телевизор\n")
    (finding,) = findings(run("synonyms", "--format", "json"))
    assert str(finding["message"]).isascii()


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "dictionary"


def test_the_example_dictionary_shows_exactly_its_documented_mistakes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(EXAMPLE)
    rows = [
        line.split("|")[1:5]
        for line in (EXAMPLE / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| synonyms/") or line.startswith("| typos/")
    ]
    documented = {(path.strip(), int(line), code.strip()) for path, line, _rule, code in rows}
    result = run(".", "--format", "json")
    reported = {(f["path"], f["line"], f["code"]) for f in findings(result) if f["severity"] != "info"}
    assert reported == documented
    assert result.exit_code == 1


def test_a_dash_reads_standard_input(repo: Path) -> None:
    result = CliRunner().invoke(
        app, ["check", "-", "--format", "json"], input="a, b\nтв => телик => телевизор\n"
    )
    assert result.exit_code == 1
    assert [(f["path"], f["line"]) for f in findings(result)] == [("<stdin>", 2)]


class _Analyze(BaseHTTPRequestHandler):
    """``_analyze`` of a cluster whose analyzer lowercases and drops the stop word «и»."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        words = str(body["text"]).lower().split()
        tokens = [{"token": w, "position": i} for i, w in enumerate(words) if w != "и"]
        data = json.dumps({"tokens": tokens}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass


@pytest.fixture
def elasticsearch() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Analyze)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/products/_analyze"
    server.shutdown()
    server.server_close()


def test_the_cluster_named_in_synbot_yml_analyzes_the_rules(repo: Path, elasticsearch: str) -> None:
    write(repo, ".synbot.yml", f"elasticsearch:\n  url: {elasticsearch}\n  analyzer: search\n")
    write(repo, "synonyms/a.txt", "Помидор, томат\nчай и кофе, напитки\n")
    result = run("synonyms", "--format", "json")
    assert result.exit_code == 1  # «чай и кофе» has a hole where «и» was: Lucene refuses it
    assert [(f["line"], f["severity"]) for f in findings(result) if f["severity"] == "error"] == [
        (2, "error")
    ]
    assert run("synonyms", "--analyzer", "whitespace").exit_code == 0  # the flag wins over the cluster


def test_an_unreachable_cluster_is_unreadable_input(repo: Path) -> None:
    write(
        repo,
        ".synbot.yml",
        "elasticsearch:\n  url: http://127.0.0.1:9/products/_analyze\n  analyzer: search\n",
    )
    write(repo, "synonyms/a.txt", "помидор, томат\n")
    result = run("synonyms")
    assert result.exit_code == 2
    assert "127.0.0.1:9" in result.stderr and "Traceback" not in result.output


def test_explain_uses_the_cluster_too(repo: Path, elasticsearch: str) -> None:
    write(repo, ".synbot.yml", f"elasticsearch:\n  url: {elasticsearch}\n  analyzer: search\n")
    write(repo, "synonyms/a.txt", "Помидор, томат\n")
    result = CliRunner().invoke(app, ["explain", "synonyms/a.txt", "--format", "lucene"])
    assert result.exit_code == 0
    assert set(result.stdout.splitlines()) == {"помидор => томат\tkeepOrig", "томат => помидор\tkeepOrig"}


def test_a_cluster_is_asked_for_all_terms_in_one_batched_request(
    repo: Path, es_standin: ElasticsearchStandIn
) -> None:
    write(
        repo, ".synbot.yml", f"elasticsearch:\n  url: {es_standin.url}\n  analyzer: {es_standin.analyzer}\n"
    )
    write(
        repo,
        "synonyms/a.txt",
        "".join(f"товар{i}, изделие{i}\n" for i in range(50)) + "чай и кофе, напитки\n",
    )
    result = run("synonyms", "--format", "json")
    assert [(f["line"], f["severity"]) for f in findings(result) if f["severity"] == "error"] == [
        (51, "error")
    ]
    assert len(es_standin.requests) <= 3  # one batch, plus terms a batch cannot settle alone
