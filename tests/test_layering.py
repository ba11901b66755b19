"""The domain library stays pure: no I/O libraries, no service code, no environment."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_SYNONYMS = {"bot", "gitlab", "httpx", "fastapi", "requests", "huey", "redis", "uvicorn"}


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", _modules("synonyms"), ids=lambda p: str(p.relative_to(ROOT)))
def test_synonyms_imports_no_service_or_network_code(path: Path) -> None:
    assert not (_imported_roots(path) & FORBIDDEN_IN_SYNONYMS)


@pytest.mark.parametrize("path", _modules("synonyms"), ids=lambda p: str(p.relative_to(ROOT)))
def test_synonyms_never_reads_the_environment(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "os.environ" not in text and "getenv" not in text


def test_only_the_gitlab_adapter_imports_python_gitlab() -> None:
    importers = [
        p.relative_to(ROOT).as_posix() for p in _modules("bot") if "gitlab" in _imported_roots(p)
    ]
    assert importers in ([], ["bot/gitlab.py"])


def test_only_config_reads_the_environment() -> None:
    readers = [
        p.relative_to(ROOT).as_posix()
        for p in _modules("bot")
        if "os.environ" in p.read_text(encoding="utf-8") or "getenv(" in p.read_text(encoding="utf-8")
    ]
    assert set(readers) <= {"bot/config.py"}
