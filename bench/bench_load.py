"""Under load: 200 concurrent slash commands at `backupbot serve`, half of them identical.

Run: `.venv/bin/python -m bench.bench_load`. The simulator answers in 200 ms (its own
process); a fake Slack records the answers. Prints ack p50/p99/max, answers delivered,
upstream requests against distinct questions (identical ones must coalesce into one),
the server's peak memory after each of two waves (the second asks 200 new questions: with
a bounded cache, memory should not grow with load), and errors.
Targets: every ack under 3 s, p99 under 300 ms; every answer delivered; upstream requests
equal to the distinct questions plus one read of the week per instance asked about, for
warnings (a question still cached from the previous wave costs none; one whose window
turns out empty costs one probe more); no errors; memory bounded by the cache, not by load.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from bench.common import SimulatorProcess, burst, percentile, serve_child
from bot.huawei.simulator import SIMULATOR_ACCESS_KEY, SIMULATOR_PROJECT_ID, SIMULATOR_SECRET_KEY
from bot.support.serving import ServerThread, free_port
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, create_fake_slack, sign

COMMANDS = 200
INSTANCES = (
    "orders-prod", "orders-staging", "payments-prod", "users-prod", "inventory-prod",
    "analytics-dw", "billing-prod", "search-prod", "legacy-crm", "reporting-dev",
)  # fmt: skip
SHARED = "failed last 7d"


def is_answer(payload: dict[str, object]) -> bool:
    """An answer starts with its header; errors are a single section."""
    blocks = payload.get("blocks")
    return isinstance(blocks, list) and bool(blocks) and blocks[0].get("type") == "header"


def wave(offset: int) -> list[str]:
    """Half the same question, half distinct ones (distinct from other waves too)."""
    distinct = [
        f"{name} last {days}h" for days in range(30 + offset, 40 + offset) for name in INSTANCES
    ]
    return [SHARED] * (COMMANDS // 2) + distinct[: COMMANDS // 2]


def peak_memory_mb(pid: int) -> float:
    """The process's high-water mark of resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def fire(url: str, slack_url: str, questions: list[str], tag: str) -> list[float | None]:
    """All questions at once; the ack latency of each in ms (None: refused)."""
    return (await burst(url, slack_url, questions, tag=tag, sign=sign)).acks


def serve_env(slack_url: str, simulator_url: str) -> dict[str, str]:
    """The environment of `backupbot serve` against the fake Slack and the simulator."""
    state = Path(tempfile.mkdtemp()) / "state.sqlite3"
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": f"{slack_url}/api/", "GAUSSDB_ENDPOINT": simulator_url,
        "HUAWEICLOUD_PROJECT_ID": SIMULATOR_PROJECT_ID, "CLOUD_SDK_AK": SIMULATOR_ACCESS_KEY,
        "CLOUD_SDK_SK": SIMULATOR_SECRET_KEY, "BACKUPBOT_STATE": str(state),
        "BACKUPBOT_CACHE_SIZE": "64",
    }  # fmt: skip


def main() -> None:
    """Two waves against one server; print the figures."""
    fake = FakeSlack(validate=False)
    with ServerThread(create_fake_slack(fake)) as slack, SimulatorProcess(latency=0.2) as sim:
        port = free_port()
        env = serve_env(slack.url, sim.url)
        bare = [sys.executable, "-m", "bench.minimal_bolt", str(port)]
        with serve_child(bare, env, port) as floor_server:
            asyncio.run(fire(floor_server.url, slack.url, wave(0)[:10], "warm"))
            floor = [
                a for a in asyncio.run(fire(floor_server.url, slack.url, wave(0), "bare")) if a
            ]
        port = free_port()
        command = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
        with serve_child(command, env, port) as server:
            url = server.url
            results = []
            for number, offset in enumerate((0, 20), start=1):
                sim.reset()
                tag = f"wave{number}-"
                acks = asyncio.run(fire(url, slack.url, wave(offset), tag))
                deadline = time.monotonic() + 120
                delivered = 0
                while time.monotonic() < deadline:
                    answers = [
                        c
                        for c in fake.calls_to("response_url")
                        if c.payload["url_id"].startswith(tag)
                    ]
                    delivered = len(answers)
                    if delivered >= COMMANDS:
                        break
                    time.sleep(0.05)
                errors = sum(1 for a in acks if a is None) + sum(
                    1 for c in answers if not is_answer(c.payload)
                )
                memory = peak_memory_mb(server.pid)
                results.append((number, acks, delivered, sim.requests(), errors, memory))
    print(
        f"floor, a bare Bolt app that only acks: ack p50 {percentile(floor, 0.5):.0f} ms, "
        f"p99 {percentile(floor, 0.99):.0f} ms, max {max(floor):.0f} ms"
    )
    for number, acks, delivered, upstream, errors, memory in results:
        good = [a for a in acks if a is not None]
        distinct = len(set(wave(0 if number == 1 else 20)))
        print(
            f"wave {number}: {COMMANDS} commands ({COMMANDS // 2} identical), upstream 200 ms\n"
            f"  ack p50 {percentile(good, 0.5):.0f} ms, p99 {percentile(good, 0.99):.0f} ms, "
            f"max {max(good):.0f} ms (targets: p99 < 300 ms, all < 3000 ms)\n"
            f"  answers delivered {delivered}/{COMMANDS}; upstream requests {upstream} "
            f"for {distinct} distinct questions about {len(INSTANCES)} instances; "
            f"errors {errors}\n"
            f"  server peak memory (VmHWM) {memory:.0f} MB (cache: 64 entries)"
        )


if __name__ == "__main__":
    main()
