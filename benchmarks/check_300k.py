"""``synbot check`` on a 300,000-line synonym file against Lucene parsing the same file.

Goal: the whole deterministic check (the real CLI, JSON report, no LLM) takes at most twice as
long as Lucene's reference tool takes to parse the file and build its SynonymMap, in at most
1 GiB of memory. Both sides are timed as processes (start-up included, wall clock); Lucene's
own in-process figure from ``--count`` is printed too. Peak memory is the child's max RSS.

    .venv/bin/python benchmarks/check_300k.py [--lines 300000] [--analyzer whitespace]

The reference tool is ``../shared/tools/lucene-synonyms/run`` next to the checkout, or
``$LUCENE_SYNONYMS_TOOL``.

The file is deterministic and shaped like a big marketplace dictionary: mostly distinct product
words with their spelling and Latin variants, model lines, one-way hypernyms, comments, and about
1% of realistic mistakes (repeated lines, a term in two groups, different model numbers). No
line is one Elasticsearch rejects: Lucene would stop there, and the comparison would be void.
``parse_300k.generate`` draws from a small vocabulary, which is fine for parsing but makes nearly
every line a finding; ``--parse-corpus`` uses it anyway, as a worst case.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from parse_300k import generate as generate_worst_case  # benchmarks/ is on sys.path when run

ROOT = Path(__file__).resolve().parent.parent
TOOL = Path(
    os.environ.get("LUCENE_SYNONYMS_TOOL", ROOT.parent / "shared" / "tools" / "lucene-synonyms" / "run")
)
GOAL_RATIO = 2.0
GOAL_RSS_MIB = 1024


_CONSONANTS = "бвгдзклмнпрстфхцчшщ"
_VOWELS = "аеиоуыя"
_LATIN = {
    **dict(zip("абвгдезиклмнопрстуфы", "abvgdeziklmnoprstufy", strict=True)),
    **{"х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch", "я": "ya"},
}
_NOUNS = (
    "смартфон",
    "ноутбук",
    "кроссовки",
    "куртка",
    "диван",
    "чайник",
    "пылесос",
    "платье",
    "коляска",
    "шкаф",
)
_BRANDS = (
    "samsung",
    "xiaomi",
    "apple",
    "bosch",
    "philips",
    "nike",
    "adidas",
    "lego",
    "ikea",
    "dyson",
    "asus",
)


def _word(n: int, rnd: random.Random) -> str:
    """A distinct pseudo-Russian word for every ``n`` (mixed-radix syllables), 2 to 4 syllables."""
    syllables = []
    for _ in range(2 + rnd.randrange(3)):
        n, rest = divmod(n, len(_CONSONANTS) * len(_VOWELS))
        syllables.append(_CONSONANTS[rest % len(_CONSONANTS)] + _VOWELS[rest // len(_CONSONANTS)])
    while n:
        n, rest = divmod(n, len(_CONSONANTS) * len(_VOWELS))
        syllables.append(_CONSONANTS[rest % len(_CONSONANTS)] + _VOWELS[rest // len(_CONSONANTS)])
    return "".join(syllables) + rnd.choice(("", "н", "к", "р", "с"))


def _latin(word: str) -> str:
    return "".join(_LATIN.get(ch, ch) for ch in word)


def generate(lines: int, *, seed: int = 300_000) -> str:
    """A realistic dictionary: mostly distinct terms, about 1% of mistakes a reviewer should catch."""
    rnd = random.Random(seed)
    out: list[str] = []
    for n in range(lines):
        roll = rnd.random()
        word = _word(n, rnd)
        if roll < 0.005 and out:
            out.append(rnd.choice(out))  # a line added twice
        elif roll < 0.009 and out and out[-1] and not out[-1].startswith("#"):
            out.append(f"{word}, {out[-1].split(',')[0].split('=>')[0].strip()}")  # a term in two groups
        elif roll < 0.55:
            variants = [word, _latin(word), word + "ы", word + "ов"]
            out.append(", ".join(variants[: 2 + rnd.randrange(3)]))
        elif roll < 0.75:
            brand, model = rnd.choice(_BRANDS), rnd.randrange(1, 100)
            number = model if rnd.random() < 0.995 else model + 1
            out.append(f"{brand} {word} {model}, {rnd.choice(_NOUNS)} {_latin(word)} {number}")
        elif roll < 0.85:
            hyponyms = ", ".join(_word(n * 7 + i + lines, rnd) for i in range(2 + rnd.randrange(4)))
            out.append(f"{word} => {word}, {hyponyms}")
        elif roll < 0.93:
            out.append(f"{word} {rnd.choice(_NOUNS)}, {rnd.choice(_NOUNS)} {word}")
        elif roll < 0.97:
            out.append(f"# раздел {n}: {rnd.choice(_NOUNS)}")
        else:
            out.append("")
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float
    peak_rss_mib: float
    returncode: int
    stdout: str


def measure(argv: list[str], *, cwd: Path) -> Run:
    """Wall time and peak RSS of one child process (``wait4`` reports that child alone)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{argv[0]} failed ({proc.returncode}): {err.read().strip()}")
        # ru_maxrss is in KiB on Linux
        return Run(
            seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, out.read()
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=300_000)
    parser.add_argument(
        "--analyzer", default="whitespace", choices=["whitespace", "keyword", "standard", "russian"]
    )
    parser.add_argument("--parse-corpus", action="store_true", help="use parse_300k's file (worst case)")
    args = parser.parse_args()
    synbot = Path(sys.executable).parent / "synbot"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "synonyms").mkdir()
        file = work / "synonyms" / "big.txt"
        text = generate_worst_case(args.lines) if args.parse_corpus else generate(args.lines)
        file.write_text(text, encoding="utf-8")
        print(
            f"{args.lines} lines, {file.stat().st_size / 1e6:.1f} MB, analyzer {args.analyzer}, expand true"
        )

        if TOOL.exists() and shutil.which("java"):
            measure([str(TOOL), "--count", str(file)], cwd=work)  # compiles the tool once
            lucene = measure(
                [str(TOOL), "--analyzer", args.analyzer, "--expand", "true", "--count", str(file)], cwd=work
            )
            found = re.search(r"in ([0-9.]+) s", lucene.stdout)
            print(
                f"lucene: {lucene.seconds:.2f} s wall, {lucene.cpu_seconds:.2f} s cpu "
                f"({found.group(1) if found else '?'} s in-process), "
                f"peak {lucene.peak_rss_mib:.0f} MiB: {lucene.stdout.strip()}"
            )
        else:
            lucene = None
            print(f"lucene: reference tool not available at {TOOL}")

        argv = [str(synbot), "check", "synonyms/big.txt", "--format", "json", "--analyzer", args.analyzer]
        ours = measure([*argv, "--expand"], cwd=work)
        print(
            f"synbot: {ours.seconds:.2f} s wall, {ours.cpu_seconds:.2f} s cpu, "
            f"peak {ours.peak_rss_mib:.0f} MiB, exit {ours.returncode}"
        )
        if lucene is not None:
            ratio = ours.seconds / lucene.seconds
            cpu_ratio = ours.cpu_seconds / lucene.cpu_seconds
            verdict = "ok" if ratio <= GOAL_RATIO and ours.peak_rss_mib <= GOAL_RSS_MIB else "over goal"
            print(
                f"ratio synbot/lucene: {ratio:.2f} wall, {cpu_ratio:.2f} cpu "
                f"(goal <= {GOAL_RATIO} wall, memory <= {GOAL_RSS_MIB} MiB): {verdict}"
            )


if __name__ == "__main__":
    main()
