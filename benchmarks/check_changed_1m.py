"""Time ``check_changed`` for a 100-rule diff against a 1,000,000-line dictionary.

Generates the dictionary deterministically (seeded), parses it, builds the index, then
checks 100 changed rules against it and prints the figures. Run:
``.venv/bin/python -m benchmarks.check_changed_1m [--lines N] [--analyzer NAME]`` from the repo root.
"""

from __future__ import annotations

import argparse
import random
import resource
import time

from synonyms.analysis import get_analyzer
from synonyms.checks import CheckOptions, check_changed
from synonyms.index import DictionaryIndex
from synonyms.parser import parse, parse_line
from synonyms.rules import Kind, Rule

_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    return ["".join(rng.choice(_LETTERS) for _ in range(rng.randint(4, 10))) for _ in range(size)]


def _line(rng: random.Random, words: list[str]) -> str:
    def term() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.choice((1, 1, 1, 2))))

    if rng.random() < 0.3:
        return f"{term()}, {term()} => {term()}"
    return ", ".join(term() for _ in range(rng.randint(2, 4)))


def generate(lines: int, seed: int = 1) -> tuple[str, str]:
    """A synonyms file of ``lines`` lines and a typo file a tenth of that size."""
    rng = random.Random(seed)
    words = _vocabulary(rng, max(1000, lines // 2))
    synonyms = "\n".join(_line(rng, words) for _ in range(lines)) + "\n"
    typos = "\n".join(f"{w[:-1]} => {w}" for w in rng.sample(words, lines // 10)) + "\n"
    return synonyms, typos


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--analyzer", default="whitespace")
    parser.add_argument("--changed", type=int, default=100)
    args = parser.parse_args()
    analyzer = get_analyzer(args.analyzer)

    started = time.perf_counter()
    synonyms_text, typos_text = generate(args.lines)
    generated = time.perf_counter()
    dictionaries = [
        parse(synonyms_text, analyzer=analyzer, path="synonyms/big.txt", kind=Kind.SYNONYMS),
        parse(typos_text, analyzer=analyzer, path="typos/big.txt", kind=Kind.TYPOS),
    ]
    parsed = time.perf_counter()
    index = DictionaryIndex.build(dictionaries)
    built = time.perf_counter()

    rng = random.Random(2)
    existing = dictionaries[0].rules
    changed: list[Rule] = []
    for i in range(args.changed):
        if i % 2:  # an existing line, as a modified rule of the diff would be
            changed.append(existing[rng.randrange(len(existing))])
        else:  # a new line reusing existing terms: duplicates, groups and chains get looked up
            a, b = existing[rng.randrange(len(existing))], existing[rng.randrange(len(existing))]
            raw = f"{a.terms[0].text}, {b.terms[-1].text}"
            rule = parse_line(raw, path="synonyms/big.txt", line=args.lines + 1 + i, analyzer=analyzer)
            assert isinstance(rule, Rule)
            changed.append(rule)
    options = CheckOptions()
    check_changed(changed[:1], index=index, analyzer=analyzer, options=options)  # load pymorphy3 once
    timings = []
    for _ in range(5):
        t0 = time.perf_counter()
        findings = check_changed(changed, index=index, analyzer=analyzer, options=options)
        timings.append(time.perf_counter() - t0)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"lines: {args.lines:,} synonyms + {args.lines // 10:,} typos, analyzer {args.analyzer}")
    print(f"generate: {generated - started:.2f} s")
    print(f"parse: {parsed - generated:.2f} s")
    print(f"index build: {built - parsed:.2f} s ({len(index):,} rules)")
    best, worst = min(timings) * 1000, max(timings) * 1000
    print(f"check_changed {len(changed)} rules: best {best:.1f} ms, worst {worst:.1f} ms")
    print(f"findings: {len(findings)}")
    print(f"peak RSS: {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
