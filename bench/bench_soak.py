"""Memory over a soak: waves of 1,000 slash commands at `backupbot serve`, each then idle.

Run: `.venv/bin/python -m bench.bench_soak [WAVES] [IDLE_SECONDS]` (default 4 waves, 30 s).
Set up as bench/bench_load.py (simulator in its own process answering in 200 ms, a fake
Slack, BACKUPBOT_CACHE_SIZE=64); each wave sends five bursts of 200 commands from the same
200 users, half of them one shared question and half 100 distinct ones (more than the
listing cache holds), every command with a response_url of its own. Prints per wave the
server's resident memory before, at its peak, and after the idle time, then checks that
memory after idle stays within a bound that does not grow with the number of waves: the
first wave's figure plus what the caches that can still fill may add.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from pathlib import Path

import httpx

from bench.bench_load import fire, is_answer, serve_env, wave
from bench.common import SimulatorProcess, serve_child
from bot.support.serving import ServerThread, free_port
from tests.fakes.slack import FakeSlack, create_fake_slack

BURSTS = 5  # of 200 commands: 1,000 a wave
# What may still grow after the first wave: one count per response_url (each command has
# its own), capped at RESPONSE_URL_ENTRIES (bot/slack/delivery.py) at under 400 B each,
# plus allocator noise.
STILL_FILLING_MB = 4.0
NOISE_MB = 3.0


def resident_mb(pid: int) -> float:
    """The process's resident memory now (VmRSS), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Sampler:
    """Samples a process's resident memory every 20 ms in a thread; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = resident_mb(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, resident_mb(self.pid))

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def wait_delivered(fake: FakeSlack, tag: str, count: int) -> tuple[int, int]:
    """Wait (up to 3 minutes) for `count` answers to the commands tagged `tag`;
    (delivered, errors)."""
    deadline = time.monotonic() + 180
    answers = []
    while time.monotonic() < deadline:
        answers = [
            call for call in fake.calls_to("response_url") if call.payload["url_id"].startswith(tag)
        ]
        if len(answers) >= count:
            break
        time.sleep(0.1)
    return len(answers), sum(1 for call in answers if not is_answer(call.payload))


def wait_idle(url: str) -> None:
    """Wait until the server has no background work left."""
    while httpx.get(f"{url}/healthz", timeout=10).json()["background_tasks"]:
        time.sleep(0.05)


def main() -> None:
    """Several waves against one server; print memory per wave and the bound."""
    waves = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    idle = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
    fake = FakeSlack(validate=False)
    rows = []
    with ServerThread(create_fake_slack(fake)) as slack, SimulatorProcess(latency=0.2) as sim:
        port = free_port()
        command = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
        with serve_child(command, serve_env(slack.url, sim.url), port) as server:
            start = resident_mb(server.pid)
            for number in range(1, waves + 1):
                before = resident_mb(server.pid)
                began = time.monotonic()
                with Sampler(server.pid) as sampler:
                    refused = 0
                    for burst_number in range(BURSTS):
                        tag = f"w{number}-b{burst_number}-"
                        acks = asyncio.run(fire(server.url, slack.url, wave(0), tag))
                        refused += sum(1 for ack in acks if ack is None)
                    delivered, errors = wait_delivered(fake, f"w{number}-", BURSTS * 200)
                    wait_idle(server.url)
                took = time.monotonic() - began
                time.sleep(idle)  # the benchmark's idle time, as in production
                rows.append(
                    (number, before, sampler.peak, resident_mb(server.pid), took, delivered,
                     errors + refused)
                )  # fmt: skip
    print(
        f"soak: {waves} waves of {BURSTS * 200:,} commands (5 bursts of 200, upstream 200 ms), "
        f"each followed by {idle:g} s idle; server RSS at start {start:.0f} MB"
    )
    for number, before, peak, after, took, delivered, errors in rows:
        print(
            f"  wave {number}: before {before:6.1f} MB, peak {peak:6.1f} MB, "
            f"after idle {after:6.1f} MB ({took:.0f} s; answers {delivered}/{BURSTS * 200}, "
            f"errors {errors})"
        )
    first_after = rows[0][3]
    bound = first_after + STILL_FILLING_MB + NOISE_MB
    last_after = rows[-1][3]
    worst = max(row[3] for row in rows)
    peaks = [row[2] for row in rows]
    print(
        f"  after idle, bound {bound:.1f} MB (wave 1's {first_after:.1f} + "
        f"{STILL_FILLING_MB:g} still filling + {NOISE_MB:g} noise): worst {worst:.1f} MB, "
        f"{'within' if worst <= bound else 'OVER'}; last/first {last_after / first_after:.2f}; "
        f"peak last/first {peaks[-1] / peaks[0]:.2f}"
    )


if __name__ == "__main__":
    main()
