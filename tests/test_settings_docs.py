"""Every setting is documented, and the docs name no setting that does not exist."""

from __future__ import annotations

import re
from pathlib import Path

from bot.config import Settings

ROOT = Path(__file__).resolve().parent.parent
# Variables of the dictionary repo's CI template, not service settings.
CI_TEMPLATE_VARIABLES = {"SYNBOT_PIP_SPEC", "SYNBOT_CHECK_PATHS", "SYNBOT_CHECK_ARGS"}
# `SYNBOT_LLM_*` and the like name a family, not one variable.
NAME = re.compile(r"SYNBOT_[A-Z0-9_]*[A-Z0-9](?!_\*)\b")


def _documented() -> set[str]:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return {name for page in pages for name in NAME.findall(page.read_text(encoding="utf-8"))}


def _settings() -> set[str]:
    return {f"SYNBOT_{name.upper()}" for name in Settings.model_fields}


def test_every_setting_is_named_in_the_readme_or_docs() -> None:
    assert sorted(_settings() - _documented()) == []


def test_the_docs_name_no_setting_that_does_not_exist() -> None:
    assert sorted(_documented() - _settings() - CI_TEMPLATE_VARIABLES) == []
