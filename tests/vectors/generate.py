"""Regenerate the Lucene reference vectors from ``inputs/*.txt`` with the reference tool.

For every input file, analyzer and ``expand`` flag, ``expected/<stem>.<analyzer>.expand-<flag>.txt``
holds what Lucene's ``SolrSynonymParser`` does with it: the tool's mapping lines
(``INPUT => OUTPUT<TAB>keepOrig|replace``) and one ``ERROR line N: reason`` per bad line.
Lucene stops at the first bad line, so after an error the file is run again with every
line up to the bad one blanked out (line numbers stay), until no error is left.

    .venv/bin/python tests/vectors/generate.py [--tool /work/shared/tools/lucene-synonyms/run]

Needs Java and liblucene8-java; the committed vectors let the tests run without them.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANALYZERS = ("whitespace", "keyword", "standard", "russian")
_ERROR = re.compile(r"^ERROR line (\d+): ")


def _split_java_lines(data: bytes) -> list[bytes]:
    """Lines as Java's readLine sees them (\\n, \\r or \\r\\n), terminators kept."""
    return re.findall(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", data)


def run_tool(
    tool: Path, data: bytes, *, analyzer: str, expand: bool, max_errors: int | None = None
) -> list[str]:
    """Every mapping and every error line of ``data``, rerunning past each error.

    With ``max_errors``, stop after that many errors (the rest of the file is then unknown).
    """
    lines = _split_java_lines(data)
    output: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.txt"
        while True:
            path.write_bytes(b"".join(lines))
            result = subprocess.run(
                [str(tool), "--analyzer", analyzer, "--expand", str(expand).lower(), str(path)],
                capture_output=True,
                check=False,
            )
            text = result.stdout.decode("utf-8")
            produced = text.split("\n")[:-1] if text.endswith("\n") else [text] if text else []
            output.extend(produced)
            error = _ERROR.match(produced[-1]) if produced else None
            if result.returncode == 0:
                return output
            if error is None:
                raise RuntimeError(f"tool failed: {text}{result.stderr.decode()}")
            if max_errors is not None and sum(1 for line in output if _ERROR.match(line)) >= max_errors:
                return output
            bad = int(error.group(1))
            # Blank out the bad line and everything before it; keep their terminators.
            for i in range(bad):
                lines[i] = re.sub(rb"[^\r\n]", b"", lines[i]) or b"\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tool", type=Path, default=Path("/work/shared/tools/lucene-synonyms/run"))
    args = parser.parse_args()
    out_dir = HERE / "expected"
    out_dir.mkdir(exist_ok=True)
    for old in out_dir.glob("*.txt"):
        old.unlink()
    for source in sorted((HERE / "inputs").glob("*.txt")):
        data = source.read_bytes()
        for analyzer in ANALYZERS:
            for expand in (True, False):
                lines = run_tool(args.tool, data, analyzer=analyzer, expand=expand)
                name = f"{source.stem}.{analyzer}.expand-{str(expand).lower()}.txt"
                (out_dir / name).write_bytes("".join(f"{line}\n" for line in lines).encode("utf-8"))


if __name__ == "__main__":
    main()
