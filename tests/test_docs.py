"""Docs that must stay true to the code: the example review is regenerated, the module map is complete."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT / "docs" / "architecture.md"
EXAMPLE = ROOT / "docs" / "example-review.md"
RENDERER = ROOT / "examples" / "render_review.py"


def _renderer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render_review", RENDERER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _modules(package: str) -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / package).rglob("*.py"))


def test_example_review_page_is_what_the_renderer_prints_today(tmp_path: Path) -> None:
    out = tmp_path / "example-review.md"
    assert _renderer().main(["--output", str(out)]) == 0
    expected = EXAMPLE.read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == expected, (
        "docs/example-review.md is stale: run "
        "`.venv/bin/python examples/render_review.py --output docs/example-review.md` and review the diff"
    )


def test_example_review_shows_every_thread_with_its_suggestion() -> None:
    page = EXAMPLE.read_text(encoding="utf-8")
    threads = re.findall(r"^### \d+\. ", page, flags=re.MULTILINE)
    assert threads and page.count("<!-- synbot:fp=") == 2 * len(threads)  # posted body + rendered copy
    assert "```suggestion:-0+0" in page and "<!-- synbot:summary" in page


@pytest.mark.parametrize("module", _modules("synonyms") + _modules("bot"))
def test_architecture_page_names_every_module(module: str) -> None:
    assert f"`{module}`" in ARCHITECTURE.read_text(encoding="utf-8"), (
        f"docs/architecture.md does not mention `{module}`: add a line saying what it does"
    )
