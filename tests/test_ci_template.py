"""The dictionary repo's CI template and pre-commit hook, run as GitLab and pre-commit would run them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "ci" / "dictionary.gitlab-ci.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
EXAMPLE = ROOT / "examples" / "dictionary"
CODEQUALITY_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def job() -> dict[str, Any]:
    data = load(TEMPLATE)
    assert isinstance(data["synbot-check"], dict)
    return data["synbot-check"]


def run_job(workdir: Path) -> int:
    """The job's script lines in ``bash -e``, as a GitLab runner runs them, with synbot preinstalled."""
    env = {
        **os.environ,
        **{k: str(v) for k, v in load(TEMPLATE)["variables"].items()},
        "CI_PROJECT_DIR": str(workdir),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    script = [line for line in job()["script"] if not line.startswith("pip install")]
    assert len(script) < len(job()["script"]), "the template installs synbot with pip"
    done = subprocess.run(["bash", "-ec", "\n".join(script)], cwd=workdir, env=env, timeout=120)
    return done.returncode


@pytest.fixture
def dictionary_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "dictionary"
    shutil.copytree(EXAMPLE, repo)
    return repo


def test_the_job_uploads_both_reports_even_when_it_fails() -> None:
    artifacts = job()["artifacts"]
    assert artifacts["when"] == "always"
    assert set(artifacts["reports"]) == {"codequality", "junit"}


def test_the_job_fails_on_the_example_and_writes_valid_code_quality(dictionary_repo: Path) -> None:
    assert run_job(dictionary_repo) == 1
    report = dictionary_repo / job()["artifacts"]["reports"]["codequality"]
    issues = json.loads(report.read_text(encoding="utf-8"))
    assert isinstance(issues, list) and issues
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["severity"] in CODEQUALITY_SEVERITIES
        assert (dictionary_repo / issue["location"]["path"]).is_file()
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert "critical" in {i["severity"] for i in issues}


def test_the_job_writes_valid_junit(dictionary_repo: Path) -> None:
    run_job(dictionary_repo)
    root = ET.parse(dictionary_repo / job()["artifacts"]["reports"]["junit"]).getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert {s.get("name") for s in suites} >= {"synonyms/food.txt", "typos/typos.txt"}
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "0")) == len(cases) >= 1
        failures = [c for c in cases if c.find("failure") is not None]
        assert int(suite.get("failures", "-1")) == len(failures)
        assert all(c.get("name") and c.get("classname") for c in cases)
    assert int(root.get("failures", "0")) >= 1


def test_the_job_passes_on_a_clean_dictionary(tmp_path: Path) -> None:
    (tmp_path / "synonyms").mkdir()
    (tmp_path / "synonyms" / "food.txt").write_text("помидор, томат\n", encoding="utf-8")
    assert run_job(tmp_path) == 0
    assert json.loads((tmp_path / "gl-code-quality.json").read_text(encoding="utf-8")) == []


def test_pre_commit_hook_runs_synbot_check_on_dictionary_files() -> None:
    hooks = load(HOOKS)
    assert isinstance(hooks, list)
    (hook,) = [h for h in hooks if h["id"] == "synbot-check"]
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert hook["entry"] == "synbot check" and hook["language"] == "python"
    files = re.compile(hook["files"])
    assert files.search("synonyms/food.txt") and files.search("dict/typos/typos.txt")
    assert not files.search("README.md") and not files.search("synonyms/notes.md")


def test_the_project_pipeline_runs_the_developer_commands() -> None:
    pipeline = load(ROOT / ".gitlab-ci.yml")
    scripts = {
        name: " ".join(job.get("script", [])) for name, job in pipeline.items() if isinstance(job, dict)
    }
    assert "make lint" in scripts["lint"]
    assert ".ci/run" in scripts["test"] and "make demo" in scripts["demo"]
    assert pipeline["test"]["artifacts"]["reports"]["junit"] == "reports/pytest.xml"
