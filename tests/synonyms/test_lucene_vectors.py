"""Our parser and analyzers against Lucene's own output, recorded in ``tests/vectors``.

Each vector is the reference tool's verdict on one input file for one analyzer and one
``expand`` flag (see ``tests/vectors/generate.py``); no Java is needed to run these tests.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from synonyms.analysis import get_analyzer
from synonyms.parser import mappings, parse

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
EXPECTED = sorted((VECTORS / "expected").glob("*.txt"))


def _lines(text: str) -> list[str]:
    return text.split("\n")[:-1]


def _ours(source: Path, *, analyzer: str, expand: bool) -> tuple[Counter[str], list[str]]:
    dictionary = parse(source.read_bytes().decode("utf-8"), analyzer=get_analyzer(analyzer), path=source.name)
    produced = Counter(
        f"{m.input} => {m.output}\t{'keepOrig' if m.keep_orig else 'replace'}"
        for rule in dictionary.rules
        for m in mappings(rule, expand=expand)
    )
    return produced, [f"ERROR line {e.line}: {e.reason}" for e in dictionary.errors]


def test_vectors_cover_every_input_analyzer_and_expand_flag() -> None:
    inputs = sorted((VECTORS / "inputs").glob("*.txt"))
    assert len(EXPECTED) == len(inputs) * 4 * 2


@pytest.mark.parametrize("vector", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_parser_matches_lucene(vector: Path) -> None:
    stem, analyzer, flag = vector.stem.split(".")
    expected = _lines(vector.read_bytes().decode("utf-8"))
    produced, errors = _ours(
        VECTORS / "inputs" / f"{stem}.txt", analyzer=analyzer, expand=flag == "expand-true"
    )
    assert errors == [line for line in expected if line.startswith("ERROR line ")]
    assert produced == Counter(line for line in expected if not line.startswith("ERROR line "))
