"""Differential test: generated dictionaries through our parser and through Lucene itself.

Hypothesis writes a batch of lines (realistic Russian/English e-commerce terms plus the
characters that matter to the Solr format and to Unicode word breaking) into one file, and
the reference tool parses it once per analyzer: a JVM start costs ~0.3 s, so batching keeps
the whole test within about half a minute. Lucene stops at a bad line; the tool is rerun
past the first few errors (blanking the lines before them) to compare those verdicts too.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synonyms.analysis import ANALYZER_NAMES, get_analyzer
from synonyms.parser import mappings, parse
from tests.vectors.generate import run_tool

_REPO = Path(__file__).resolve().parents[2]
_TOOL_CANDIDATES = (
    _REPO.parent / "shared" / "tools" / "lucene-synonyms" / "run",
    Path("/work/shared/tools/lucene-synonyms/run"),
)
TOOL = next((p for p in _TOOL_CANDIDATES if p.exists()), None)
HAVE_LUCENE = (
    TOOL is not None
    and shutil.which("java") is not None
    and any(Path("/usr/share/java").glob("lucene-core-8*.jar"))
)

pytestmark = [
    pytest.mark.lucene,
    pytest.mark.skipif(not HAVE_LUCENE, reason="needs java, liblucene8-java and the reference tool"),
]


def _words(*chunks: str) -> tuple[str, ...]:
    return tuple(" ".join(chunks).split())


WORDS = _words(
    "стол Стол СТОЛ ёлка Ёлки елка ёж Чёрный черный шкаф-купе шкаф купе помидор томаты телевизоры",
    "быстрее красивейший кроссовки кросовки айфон про макс и в на не для с без по от или",
    "iPhone Pro MAX wi-fi Wi-Fi c++ C# e.g. don't USB-C 15 1.5 3,5 1\\,5 л мм 10% $5 №5 x² ½",
    "🍎 👍🏽 🇷🇺 ❤️ © 日本 カタカナ ภาษาไทย İstanbul ΣΑΣ Straße ﬁ a_b _ __init__ foo@bar.ru a:b a·b",
    "… — - ' \" / & + ( ) [ ] ! ? ; : . # * ~",
)
GLUE = (" ", "  ", "\t", "-", "", ".", "'", "_", "\u00a0", "\u2009", "\u3000", "/", ":")
SEPARATORS = (",", ", ", " ,", ",,", " , ", ",\t")
RAW_CHARS = "ab ёЯ1,=>\\#\t.-'\u00a0\r"


@st.composite
def terms(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
    text = words[0]
    for word in words[1:]:
        text += draw(st.sampled_from(GLUE)) + word
    return text


@st.composite
def rule_lines(draw: st.DrawFn) -> str:
    def side() -> str:
        if draw(st.integers(0, 19)) == 0:
            return draw(st.sampled_from([",", ",,", ", ,"]))
        items = draw(st.lists(terms(), min_size=1, max_size=4))
        text = items[0]
        for item in items[1:]:
            text += draw(st.sampled_from(SEPARATORS)) + item
        return text

    shape = draw(st.integers(0, 9))
    if shape < 5:
        return side()
    if shape < 8:
        return f"{side()}{draw(st.sampled_from([' => ', '=>', ' =>', '=> ']))}{side()}"
    if shape < 9:
        return "#" + side()
    return draw(st.text(alphabet=RAW_CHARS, max_size=12)).replace("\r", "")


def _ours(text: str, *, analyzer: str, expand: bool) -> tuple[list[tuple[int, str]], list[str]]:
    dictionary = parse(text, analyzer=get_analyzer(analyzer))
    produced = [
        (rule.line, f"{m.input} => {m.output}\t{'keepOrig' if m.keep_orig else 'replace'}")
        for rule in dictionary.rules
        for m in mappings(rule, expand=expand)
    ]
    return produced, [f"ERROR line {e.line}: {e.reason}" for e in dictionary.errors]


def _compare(text: str, *, analyzer: str, expand: bool, max_errors: int = 2) -> None:
    assert TOOL is not None
    expected = run_tool(TOOL, text.encode("utf-8"), analyzer=analyzer, expand=expand, max_errors=max_errors)
    expected_errors = [line for line in expected if line.startswith("ERROR line ")]
    produced, errors = _ours(text, analyzer=analyzer, expand=expand)
    assert errors[: len(expected_errors)] == expected_errors
    # After the last error compared, Lucene's verdicts are unknown: compare mappings up to it.
    last = int(expected_errors[-1].split()[2].rstrip(":")) if len(expected_errors) == max_errors else None
    ours = Counter(line for number, line in produced if last is None or number < last)
    assert ours == Counter(line for line in expected if not line.startswith("ERROR line "))
    if last is None:
        assert len(errors) == len(expected_errors)


@settings(
    max_examples=int(os.environ.get("SYNBOT_LUCENE_EXAMPLES", "16")),
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(lines=st.lists(rule_lines(), min_size=50, max_size=150), expand=st.booleans())
def test_generated_dictionaries_parse_exactly_as_lucene_does(lines: list[str], expand: bool) -> None:
    text = "\n".join(lines) + "\n"
    for analyzer in ANALYZER_NAMES:
        _compare(text, analyzer=analyzer, expand=expand)
