"""Versioned prompt templates from the ``prompts`` package (``<scenario>.<version>.txt``).

A template has sections started by ``=== name`` lines: ``system``, any number of
``example_user``/``example_assistant`` pairs (few-shot turns) and ``user``, whose
``{items}`` placeholder receives the numbered items. Lines starting with ``#`` before the
first section are metadata comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from bot.llm.wire import Message

_SECTION = re.compile(r"^=== (system|example_user|example_assistant|user)\s*$")
_FILE = re.compile(r"^(?P<scenario>[a-z_]+)\.(?P<version>v\d+)\.txt$")
ITEMS_PLACEHOLDER = "{items}"


class PromptError(ValueError):
    """A template is missing or malformed."""


@dataclass(frozen=True, slots=True)
class PromptTemplate:
    scenario: str
    version: str
    system: str
    examples: tuple[Message, ...]
    user: str

    def messages(self, items_block: str) -> tuple[Message, ...]:
        """The whole chat for one batch."""
        return (
            Message("system", self.system),
            *self.examples,
            Message("user", self.user.replace(ITEMS_PLACEHOLDER, items_block)),
        )

    def fixed_parts(self) -> list[str]:
        """Texts every request repeats (for the per-request token overhead)."""
        return [self.system, *(m.content for m in self.examples), self.user.replace(ITEMS_PLACEHOLDER, "")]


def parse_template(text: str, *, scenario: str, version: str) -> PromptTemplate:
    """Split a template file into its sections."""
    sections: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        match = _SECTION.match(line)
        if match:
            sections.append((match.group(1), []))
        elif sections:
            sections[-1][1].append(line)
    bodies = [(name, "\n".join(lines).strip()) for name, lines in sections]
    system = [body for name, body in bodies if name == "system"]
    user = [body for name, body in bodies if name == "user"]
    if len(system) != 1 or len(user) != 1 or ITEMS_PLACEHOLDER not in user[0]:
        raise PromptError(f"{scenario}.{version}: needs one system and one user section with {{items}}")
    examples = tuple(
        Message("user" if name == "example_user" else "assistant", body)
        for name, body in bodies
        if name.startswith("example_")
    )
    return PromptTemplate(
        scenario=scenario, version=version, system=system[0], examples=examples, user=user[0]
    )


def available_versions(scenario: str) -> list[str]:
    """Versions shipped for a scenario, oldest first."""
    versions = []
    for entry in resources.files("prompts").iterdir():
        match = _FILE.match(entry.name)
        if match and match.group("scenario") == scenario:
            versions.append(match.group("version"))
    return sorted(versions, key=lambda v: int(v[1:]))


def load_prompt(scenario: str, version: str | None = None) -> PromptTemplate:
    """The template of ``scenario`` at ``version`` (the newest when ``None``)."""
    versions = available_versions(scenario)
    if not versions:
        raise PromptError(f"no prompt template for scenario {scenario!r}")
    chosen = version or versions[-1]
    if chosen not in versions:
        raise PromptError(f"{scenario}: no prompt version {chosen!r} (have {', '.join(versions)})")
    text = resources.files("prompts").joinpath(f"{scenario}.{chosen}.txt").read_text(encoding="utf-8")
    return parse_template(text, scenario=scenario, version=chosen)
