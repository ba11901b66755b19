"""One 500-rule merge request reviewed end to end: webhook to summary note.

Runs the GitLab stand-in and the LLM stand-in (500 ms per call) in this process, a real
`synbot serve` as a subprocess with the OpenAI-compatible provider pointed at the LLM stand-in,
sends the merge-request webhook and waits for the summary note and the final commit status.
Prints the wall time, GitLab API calls of the review, LLM calls and tokens. Goal: <= 15 s.

    .venv/bin/python benchmarks/review_500.py [--rules 500] [--llm-latency 0.5]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import (  # noqa: E402
    SECRET,
    Delay,
    DelayMiddleware,
    GitLab,
    Service,
    bot_notes,
    bot_threads,
    final_statuses,
    free_port,
    mr_event,
)
from tests.standins.gitlab_server import StandIn, create_app  # noqa: E402
from tests.standins.gitlab_state import GitLabState  # noqa: E402
from tests.standins.llm_server import LLMStandIn  # noqa: E402

SYLLABLES = ["ка", "ро", "ми", "ту", "ле", "на", "со", "пи", "да", "вэ", "жу", "фо"]


def words() -> list[str]:
    return ["".join(parts) for parts in itertools.product(SYLLABLES, repeat=3)]


def dictionary(rules: int) -> tuple[str, str]:
    """A base file of 200 rules, and the same with ``rules`` new rules appended."""
    pool = words()
    lines = [f"{pool[2 * i]}, {pool[2 * i + 1]}" for i in range(200 + rules)]
    for i in range(200, 200 + rules, 25):  # every 25th new rule repeats a term: a thread with a suggestion
        lines[i] = f"{pool[2 * i]}, {pool[2 * i + 1]}, {pool[2 * i]}"
    base = "\n".join(lines[:200]) + "\n"
    return base, "\n".join(lines) + "\n"


def start_gitlab() -> tuple[GitLab, object]:
    import asyncio
    import threading

    import uvicorn

    holder = StandIn(url="", state=GitLabState(), bot=None, author=None)  # type: ignore[arg-type]
    holder.reset()
    delay = Delay()
    port = free_port()
    holder.url = f"http://127.0.0.1:{port}"

    class Server(uvicorn.Server):
        def install_signal_handlers(self) -> None:
            pass

    server = Server(
        uvicorn.Config(DelayMiddleware(create_app(holder), delay), port=port, log_level="warning")
    )
    threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    return GitLab(holder, delay), server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=500)
    parser.add_argument("--llm-latency", type=float, default=0.5)
    args = parser.parse_args()
    gitlab, _ = start_gitlab()
    base, changed = dictionary(args.rules)
    state = gitlab.state
    project = state.create_project({"synonyms/bench.txt": base})
    sha = state.commit(project.id, "feature", {"synonyms/bench.txt": changed})
    iid = state.create_mr(project.id, source_branch="feature", author=gitlab.standin.author)

    with LLMStandIn(latency_s=args.llm_latency) as llm, tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = {
            "PATH": "/usr/bin:/bin",
            "SYNBOT_GITLAB_URL": gitlab.standin.url,
            "SYNBOT_GITLAB_TOKEN": gitlab.standin.bot.token,
            "SYNBOT_WEBHOOK_SECRET": SECRET,
            "SYNBOT_DATA_DIR": tmp,
            "SYNBOT_LLM_PROVIDER": "openai",
            "SYNBOT_LLM_BASE_URL": llm.openai_url,
            "SYNBOT_LLM_API_KEY": "bench",
            "SYNBOT_LLM_MODEL": "stand-in",
        }
        service = Service(
            ["serve", "--port", str(port), "--log-level", "warning"], env, Path(tmp) / "serve.log", port
        )
        service.start()
        try:
            state.calls.clear()
            started = time.perf_counter()
            response = service.post(mr_event(gitlab, project.id, iid))
            acked = time.perf_counter() - started
            while not final_statuses(gitlab, project.id, sha):
                if time.perf_counter() - started > 120:
                    raise SystemExit(f"no review after 120 s\n{service.logs()}")
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
            summary = bot_notes(gitlab, project.id, iid)
        finally:
            service.stop()
        calls = dict(state.calls)
    reads = sum(n for key, n in calls.items() if key.startswith("GET"))
    writes = sum(calls.values()) - reads
    latency_ms = args.llm_latency * 1000
    print(f"MR with {args.rules} new rules (file of {200 + args.rules}), LLM latency {latency_ms:.0f} ms")
    print(f"webhook answered {response.status_code} in {acked * 1000:.1f} ms")
    print(f"webhook -> summary note and final status: {elapsed:.2f} s (goal <= 15 s)")
    threads = len(bot_threads(gitlab, project.id, iid))
    status = final_statuses(gitlab, project.id, sha)
    print(f"status: {status}, threads: {threads}, summary notes: {len(summary)}")
    print(f"GitLab API calls: {reads + writes} ({reads} reads, {writes} writes)")
    for key, count in sorted(calls.items(), key=lambda kv: -kv[1]):
        print(f"  {count:4d}  {key}")
    tokens = f"prompt tokens {llm.prompt_tokens}, completion tokens {llm.completion_tokens}"
    print(f"LLM calls: {llm.calls}, {tokens}")


if __name__ == "__main__":
    main()
