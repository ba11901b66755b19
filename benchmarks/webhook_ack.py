"""Webhook acknowledgement latency under load, against a real `synbot serve` on loopback.

Starts `synbot serve --workers 0` (web only, so reviews do not compete for the CPU) on a free
port with a fresh SQLite queue, sends merge-request events open-loop at a fixed rate (default
200/s for 30 s) from this process (asyncio, keep-alive connections), prints p50/p99/max
acknowledgement latency as the client sees it and as the server's histogram records it, then
opens the queue and checks that every acknowledged event is there exactly once.
Goal: p99 <= 20 ms.

    .venv/bin/python benchmarks/webhook_ack.py [--rate 200] [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bot.config import Settings
from bot.hooks import ReviewRequest
from bot.jobs import ReviewQueue, build_huey, build_store

SECRET = "bench-secret"
ROOT = Path(__file__).resolve().parent.parent


async def never_runs(request: ReviewRequest) -> None:
    raise AssertionError("the benchmark only reads the queue")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def event(number: int) -> bytes:
    sha = f"{number:040x}"
    return json.dumps(
        {
            "object_kind": "merge_request",
            "user": {"id": 7, "username": "anna"},
            "project": {"id": 1000 + number % 7, "path_with_namespace": "search/dicts"},
            "object_attributes": {
                "iid": number,
                "action": "open",
                "last_commit": {"id": sha},
                "draft": False,
            },
            "changes": {},
        }
    ).encode()


def start_service(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SYNBOT_WEBHOOK_SECRET": SECRET,
        "SYNBOT_DATA_DIR": str(data_dir),
        "SYNBOT_BOT_USER_ID": "1",
        "SYNBOT_GITLAB_URL": "http://127.0.0.1:9",
    }
    synbot = Path(sys.executable).parent / "synbot"
    command = [str(synbot), "serve", "--port", str(port), "--workers", "0", "--log-level", "warning"]
    return subprocess.Popen(command, env=env, cwd=ROOT)


async def wait_healthy(client: httpx.AsyncClient, deadline_s: float = 30.0) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            if (await client.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise SystemExit("synbot serve did not become healthy")


class Connection:
    """One keep-alive HTTP/1.1 connection speaking just enough HTTP for this load (much cheaper than
    httpx, so the load generator does not eat the CPU the server is measured on)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, request: bytes) -> int:
        status_line = b""
        for _ in range(2):  # the server closes keep-alive connections idle for 5 s: reconnect once
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            assert self.reader is not None
            self.writer.write(request)
            status_line = await self.reader.readline()
            if status_line:
                break
            self.writer.close()
            self.reader = self.writer = None
        assert self.reader is not None
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return int(status_line.split()[1])


def raw_request(port: int, number: int) -> bytes:
    body = event(number)
    head = (
        f"POST /webhooks/gitlab HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"X-Gitlab-Event: Merge Request Hook\r\nX-Gitlab-Token: {SECRET}\r\n"
        f"X-Gitlab-Event-UUID: bench-{number}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def load(port: int, rate: float, seconds: float) -> tuple[list[float], dict[int, int], list[int]]:
    """Open loop: request n is sent at start + n / rate on an idle connection, whatever came before."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    acked: list[int] = []
    idle = [Connection(port) for _ in range(20)]

    async def send(number: int, request: bytes) -> None:
        connection = idle.pop() if idle else Connection(port)
        started = time.perf_counter()
        status = await connection.post(request)
        latencies.append(time.perf_counter() - started)
        idle.append(connection)
        statuses[status] = statuses.get(status, 0) + 1
        if status == 202:
            acked.append(number)

    total = int(rate * seconds)
    requests = [raw_request(port, number) for number in range(total)]
    start = time.perf_counter()
    tasks = []
    for number in range(total):
        delay = start + number / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send(number, requests[number])))
    await asyncio.gather(*tasks)
    return latencies, statuses, acked


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def server_histogram(text: str) -> dict[str, float]:
    buckets = {}
    for match in re.finditer(r'synbot_webhook_ack_seconds_bucket\{le="([^"]+)"\} (\S+)', text):
        buckets[match.group(1)] = float(match.group(2))
    return buckets


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="synbot-bench-") as tmp:
        data_dir = Path(tmp)
        port = free_port()
        service = start_service(data_dir, port)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
                await wait_healthy(client)
                latencies, statuses, acked = await load(port, args.rate, args.seconds)
                metrics_text = (await client.get("/metrics")).text
        finally:
            service.terminate()
            service.wait(timeout=30)
        settings = Settings(data_dir=data_dir)
        queue = ReviewQueue(build_huey(settings), build_store(settings), runner=never_runs)
        queued = [task.args[1] for task in queue.huey.pending() if task.name == "synbot.review"]
    buckets = server_histogram(metrics_text)
    count = buckets.get("+Inf", 0.0)
    within_20ms = buckets.get("0.02", 0.0)
    print(f"requests: {len(latencies)} at {args.rate:.0f}/s for {args.seconds:.0f}s; statuses: {statuses}")
    print(
        f"client-side ack latency: p50 {percentile(latencies, 0.5) * 1000:.1f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms, "
        f"mean {statistics.fmean(latencies) * 1000:.1f} ms"
    )
    print(
        f"server-side: {within_20ms:.0f} of {count:.0f} acknowledged within 20 ms ({within_20ms / count:.2%})"
    )
    missing = set(acked) - set(queued)
    duplicated = len(queued) - len(set(queued))
    print(
        f"acknowledged (202): {len(acked)}; in the queue: {len(queued)}; missing: {len(missing)}; "
        f"duplicated: {duplicated}"
    )
    p99_ms = percentile(latencies, 0.99) * 1000
    print(f"goal p99 <= 20 ms: {'met' if p99_ms <= 20 else 'NOT met'}")
    if missing or duplicated:
        raise SystemExit(1)


if __name__ == "__main__":
    asyncio.run(main())
