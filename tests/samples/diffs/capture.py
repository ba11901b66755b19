"""Re-capture the diff samples: ``.venv/bin/python -m tests.samples.diffs.capture``.

``mr.diff`` is real ``git diff --cached -M`` output of the scenario in ``tests/synonyms/test_diff.py``;
``gitlab_mr_diffs.json`` is the same change in the shape of GitLab's ``merge_requests/:iid/diffs``
entries (hunks without the ``---``/``+++`` header, paths and flags beside them).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from unidiff.patch import PatchSet

from synonyms.diff import _paths
from tests.synonyms.test_diff import Repo, make_mr

HERE = Path(__file__).resolve().parent


def gitlab_entries(diff: str) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = []
    for patched in PatchSet(diff):
        body = str(patched)
        hunks = body[body.index("@@") :] if "@@" in body else ""
        old, new = _paths(patched)  # GitLab names files as they are, never quoted
        entries.append(
            {
                "old_path": old or new,
                "new_path": new or old,
                "new_file": patched.is_added_file,
                "renamed_file": patched.is_rename,
                "deleted_file": patched.is_removed_file,
                "diff": hunks,
            }
        )
    return entries


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        diff = make_mr(Repo(Path(tmp)))
    (HERE / "mr.diff").write_bytes(diff.encode("utf-8"))
    entries = gitlab_entries(diff)
    (HERE / "gitlab_mr_diffs.json").write_text(
        json.dumps(entries, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
