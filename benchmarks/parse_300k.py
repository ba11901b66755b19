"""Parse speed against Lucene: a 300,000-line synonym file, our parser vs the reference tool.

Generates a deterministic e-commerce-like dictionary (Russian and English product words,
brands, models, units; two-way lists and one-way typo lines) into a temporary directory,
runs the reference tool's ``--count`` (Lucene's parse + SynonymMap build) and times our
``parse`` + ``mappings`` on the same file, per analyzer.

    .venv/bin/python benchmarks/parse_300k.py [--lines 300000] [--analyzer russian ...]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synonyms.analysis import get_analyzer
from synonyms.parser import mappings, parse

TOOL = Path("/work/shared/tools/lucene-synonyms/run")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_NOUNS = _words(
    "телевизор тв телик смартфон телефон мобильник ноутбук лэптоп планшет наушники гарнитура колонка "
    "холодильник морозилка пылесос робот-пылесос чайник электрочайник микроволновка свч духовка плита "
    "кроссовки кеды ботинки сапоги туфли куртка пуховик пальто джинсы брюки футболка майка худи толстовка "
    "шкаф-купе шкаф комод тумба кровать диван софа кресло стул табурет стол матрас подушка одеяло плед "
    "помидор томат огурец картофель картошка морковь свекла лук чеснок яблоко груша банан апельсин "
    "молоко кефир йогурт творог сыр масло хлеб батон булка печенье шоколад конфеты чай кофе сок вода "
    "ёлка ёлочка гирлянда игрушка конструктор кукла машинка мяч велосипед самокат ролики коньки лыжи"
)
_ADJECTIVES = _words(
    "беспроводной беспроводные большой маленький детский женский мужской зимний летний красный "
    "чёрный черный белый синий кожаный игровой умный складной встроенный портативный новый"
)
_BRANDS = _words(
    "apple iphone samsung galaxy xiaomi redmi huawei honor sony lg bosch philips nike adidas puma "
    "lego ikea dyson asus lenovo acer hp dell айфон самсунг сяоми хуавей хонор сони найк адидас пума лего"
)
_MODELS = ("pro", "max", "mini", "ultra", "lite", "plus", "про", "макс", "мини", "ультра", "лайт", "плюс")
_UNITS = ("л", "кг", "г", "мл", "см", "мм", "гб", "tb", "вт", "дюймов")


def _typo(word: str, rnd: random.Random) -> str:
    """A plausible misspelling: a dropped, doubled or swapped letter."""
    if len(word) < 4:
        return word + word[-1]
    i = rnd.randrange(1, len(word) - 1)
    kind = rnd.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _phrase(rnd: random.Random) -> str:
    shape = rnd.randrange(10)
    noun = rnd.choice(_NOUNS)
    if shape < 4:
        return noun
    if shape < 6:
        return f"{rnd.choice(_ADJECTIVES)} {noun}"
    if shape < 8:
        return f"{rnd.choice(_BRANDS)} {rnd.randrange(1, 40)} {rnd.choice(_MODELS)}"
    if shape < 9:
        return f"{noun} {rnd.choice(_NOUNS)}"
    return f"{noun} {rnd.randrange(1, 10)}\\,{rnd.randrange(10)} {rnd.choice(_UNITS)}"


def generate(lines: int, *, seed: int = 20240601) -> str:
    """A deterministic dictionary: 60% two-way lists, 30% one-way typo lines, 10% comments/blank."""
    rnd = random.Random(seed)
    out: list[str] = []
    for n in range(lines):
        kind = rnd.random()
        if kind < 0.6:
            terms = [_phrase(rnd) for _ in range(rnd.randrange(2, 5))]
            if rnd.random() < 0.3:
                terms[0] = terms[0].capitalize()
            out.append(", ".join(terms))
        elif kind < 0.9:
            target = rnd.choice(_NOUNS + _BRANDS)
            typos = sorted({_typo(target, rnd) for _ in range(rnd.randrange(1, 4))})
            out.append(f"{', '.join(typos)} => {target}")
        elif kind < 0.95:
            out.append(f"# раздел {n}")
        else:
            out.append("")
    return "\n".join(out) + "\n"


def _lucene_seconds(path: Path, analyzer: str) -> tuple[float, str]:
    """Lucene's own timing (parse + build) as ``--count`` prints it, and the whole line."""
    result = subprocess.run(
        [str(TOOL), "--analyzer", analyzer, "--expand", "true", "--count", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    match = re.search(r"in ([0-9.]+) s", result.stdout)
    if not match:
        raise SystemExit(f"reference tool failed: {result.stdout}{result.stderr}")
    return float(match.group(1)), result.stdout.strip()


def _ours_seconds(text: str, analyzer_name: str) -> tuple[float, float, int, int]:
    """Seconds to parse (fresh analyzer, so every distinct term is analyzed) and to list mappings."""
    analyzer = get_analyzer(analyzer_name)
    start = time.perf_counter()
    dictionary = parse(text, analyzer=analyzer, path="bench.txt")
    parsed = time.perf_counter()
    count = sum(1 for rule in dictionary.rules for _ in mappings(rule, expand=True))
    listed = time.perf_counter()
    return parsed - start, listed - parsed, count, len(dictionary.errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs, for both sides")
    parser.add_argument(
        "--corpus",
        choices=["small-vocabulary", "marketplace"],
        default="small-vocabulary",
        help="this file's generator (terms repeat a lot) or check_300k's (nearly every term distinct)",
    )
    parser.add_argument(
        "--analyzer", action="append", choices=["whitespace", "keyword", "standard", "russian"]
    )
    args = parser.parse_args()
    analyzers = args.analyzer or ["whitespace", "standard", "russian"]
    if args.corpus == "marketplace":
        from check_300k import generate as generate_marketplace  # its generator imports ours

        text = generate_marketplace(args.lines)
    else:
        text = generate(args.lines)
    have_tool = TOOL.exists() and shutil.which("java") is not None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synonyms.txt"
        path.write_text(text, encoding="utf-8")
        size = len(text.encode()) / 1e6
        print(f"{args.corpus}: {args.lines} lines, {size:.1f} MB, best of {args.repeat}")
        for name in analyzers:
            runs = [_lucene_seconds(path, name) for _ in range(args.repeat if have_tool else 0)]
            lucene = min(runs, default=(float("nan"), ""))
            ours = min(_ours_seconds(text, name) for _ in range(args.repeat))
            parse_s, list_s, count, errors = ours
            print(f"{name:10} lucene: {lucene[1] or 'tool not available'}")
            print(
                f"{name:10} ours:   mappings {count}, errors {errors}, parsed in {parse_s:.2f} s "
                f"(ratio {parse_s / lucene[0]:.2f}), + mappings listed in {list_s:.2f} s "
                f"(ratio {(parse_s + list_s) / lucene[0]:.2f})"
            )


if __name__ == "__main__":
    main()
