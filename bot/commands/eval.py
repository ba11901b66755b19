"""``synbot eval DATASET.jsonl``: how well the checks and the configured model label known rules.

Prints accuracy, per-class precision and recall, the confusion matrix, calls, tokens and
time; ``--compare model=NAME`` or ``--compare prompt=v2`` runs a second setup side by side.
The deterministic checks' figures (valid vs problem) are always included. Verdicts are not
read from or written to the shared cache, so the figures count real calls.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot.commands.options import ANALYZER_OPTION, AnalyzerChoice, fail
from bot.config import Settings
from bot.eval import DatasetError, EvalResult, LabeledRule, load_dataset, render_text
from synonyms.analysis import get_analyzer
from synonyms.checks import CheckOptions
from synonyms.rules import Kind

if TYPE_CHECKING:
    from bot.llm.evaluate import ModelSetup


def command(
    dataset: Path = typer.Argument(..., help="Labeled rules, JSON Lines (see datasets/README.md)."),
    compare: str | None = typer.Option(
        None,
        "--compare",
        metavar="SPEC",
        help="Second setup side by side: 'model=NAME', 'prompt=v2' or both.",
    ),
    model: str | None = typer.Option(None, "--model", help="Model to evaluate (default SYNBOT_LLM_MODEL)."),
    prompt_version: str | None = typer.Option(
        None, "--prompt-version", help="Prompt version (default newest)."
    ),
    kind: Kind | None = typer.Option(None, "--kind", help="Only rules of this kind."),
    checks_only: bool = typer.Option(False, "--checks-only", help="Deterministic checks only, no LLM."),
    analyzer: AnalyzerChoice | None = ANALYZER_OPTION,
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Measure the checks and the configured model against labeled rules."""
    # imported here: every other synbot command would pay for the LLM's httpx and redis at start-up
    from bot.llm.evaluate import evaluate_checks

    if fmt not in ("text", "json"):
        fail(f"--format {fmt!r}: expected text or json")
    try:
        rows = load_dataset(dataset.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"{dataset}: cannot read: {exc.strerror or exc}")
    except DatasetError as exc:
        fail(f"{dataset}: {exc}")
    rows = [r for r in rows if kind is None or r.kind is kind]
    if not rows:
        fail(f"{dataset}: no labeled rules")
    chosen = get_analyzer(analyzer.value if analyzer is not None else "whitespace")
    results = evaluate_checks(rows, analyzer=chosen, options=CheckOptions())
    settings = Settings()
    if not checks_only:
        if settings.llm_provider == "none":
            typer.echo("LLM: SYNBOT_LLM_PROVIDER is none; deterministic figures only", err=True)
        else:
            setups = _setups(settings, model=model, prompt_version=prompt_version, compare=compare)
            results += asyncio.run(_run_models(rows, settings=settings, setups=setups))
    if fmt == "json":
        typer.echo(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2))
    else:
        typer.echo(render_text(results))


def _setups(
    settings: Settings, *, model: str | None, prompt_version: str | None, compare: str | None
) -> list[ModelSetup]:
    from bot.llm.evaluate import ModelSetup
    from bot.llm.prompts import PromptError, load_prompt

    base_model = model or settings.llm_model or ("GigaChat" if settings.llm_provider == "gigachat" else "")
    if not base_model:
        fail("set SYNBOT_LLM_MODEL or --model")
    first = ModelSetup(name="A", model=base_model, prompt_version=prompt_version)
    setups = [first]
    if compare:
        fields: dict[str, str] = {}
        for part in compare.split(","):
            key, sep, value = part.strip().partition("=")
            if not sep or key not in ("model", "prompt") or not value:
                fail(f"--compare {compare!r}: expected model=NAME and/or prompt=VERSION")
            fields[key] = value
        setups.append(
            ModelSetup(
                name="B",
                model=fields.get("model", first.model),
                prompt_version=fields.get("prompt", first.prompt_version),
            )
        )
    for setup in setups:
        for scenario in ("synonym_validation", "typo_validation"):
            try:
                load_prompt(scenario, setup.prompt_version)
            except PromptError as exc:
                fail(str(exc))
    return setups


async def _run_models(
    rows: list[LabeledRule], *, settings: Settings, setups: list[ModelSetup]
) -> list[EvalResult]:
    from bot.llm.cache import SQLiteVerdictCache
    from bot.llm.evaluate import evaluate_model
    from bot.llm.factory import LLMConfigError, build_engine

    try:
        engine = build_engine(settings, cache=SQLiteVerdictCache(":memory:"))
    except LLMConfigError as exc:
        fail(str(exc))
    assert engine is not None  # provider "none" is handled by the caller
    results: list[EvalResult] = []
    async with engine:
        for setup in setups:
            results += await evaluate_model(rows, engine=engine, setup=setup)
    return results
