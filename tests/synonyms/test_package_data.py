"""The analyzers' data files are found next to the code, whatever else is on ``sys.path``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROGRAM = (
    "from synonyms.analysis import get_analyzer\n"
    "print(get_analyzer('russian').analyze('и Столы').removed_stopwords)\n"
    "print(get_analyzer('standard').analyze('日本語 Wi-Fi').texts)\n"
)


def test_analyzers_load_their_data_from_a_dictionary_repo_with_its_own_synonyms_folder(
    tmp_path: Path,
) -> None:
    (tmp_path / "synonyms").mkdir()  # a dictionary repo: synonyms/*.txt, no __init__.py
    (tmp_path / "synonyms" / "food.txt").write_text("томат, помидор\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["('и',)", "('日', '本', '語', 'wi', 'fi')"]
