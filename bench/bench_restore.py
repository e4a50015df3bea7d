"""What one restore answer costs in requests, against the minimum, cold and warm.

Run: `.venv/bin/python -m bench.bench_restore`. The simulator (in a thread of this
process) serves the demo fleet; each question is asked of a fresh engine (cold), then
again (warm). The minimum of a cold answer about an instance named: the instance listing
(its id), its policy (its retention), its ranges over the retention (one request, not one
a day), and its backups of that window (ceil(rows / 100) pages, for the full backup a
restore starts from); a table adds the tables at the point and the latest tables (2).
A timeline needs no backups. Warm, everything is cached: the minimum is 0. Printed:
requests made, the minimum, their ratio, and the median wall time warm.
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx

from bench.common import simulator_engine
from bot.core.clock import utc_now
from bot.core.language.commands import RestoreCommand, parse_command
from bot.huawei.simulator import Fleet, SimulatorState
from bot.huawei.simulator.server import SimulatorServer

ZONE = ZoneInfo("Asia/Shanghai")
QUESTIONS = (
    "restore orders-prod 03:15",
    "restore orders-prod 03:15 table shop.orders",
    "restore payments-prod",
)


def minimum(words: str, fleet: Fleet) -> int:
    """The fewest requests a cold answer to `words` can take."""
    name = words.split()[1]
    needed = 3  # the listing (name -> id), the policy (retention), the ranges
    if len(words.split()) > 2:
        keep = 90  # the demo instances' retention
        since = utc_now() - timedelta(days=keep)
        rows = sum(
            1
            for stored in fleet.backups
            if stored.record["instance_name"] == name and stored.begin >= since
        )
        needed += max(1, math.ceil(rows / 100))
    if " table " in words:
        needed += 2
    return needed


async def measure(words: str) -> None:
    state = SimulatorState(fleet=Fleet.demo(utc_now()))
    command = parse_command(words)
    assert isinstance(command, RestoreCommand)
    with SimulatorServer(state) as simulator:
        async with httpx.AsyncClient() as http:
            engine = simulator_engine(http, simulator.url)
            state.requests.clear()
            await engine.restore(command.question, zone=ZONE)
            cold = len(state.requests)
            warm_times = []
            state.requests.clear()
            for _ in range(20):
                started = time.perf_counter()
                await engine.restore(command.question, zone=ZONE)
                warm_times.append(time.perf_counter() - started)
            warm = len(state.requests)
    least = minimum(words, state.fleet)
    print(
        f"{words!r:48} cold: requests {cold} (minimum {least}, ratio {cold / least:.2f}); "
        f"warm x20: requests {warm} (minimum 0); warm median "
        f"{statistics.median(warm_times) * 1000:.2f} ms"
    )


def main() -> None:
    for words in QUESTIONS:
        asyncio.run(measure(words))


if __name__ == "__main__":
    main()
