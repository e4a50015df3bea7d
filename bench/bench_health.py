"""What `/backups health` costs for a fleet of N instances, cold and warm.

Run: `.venv/bin/python -m bench.bench_health`. The simulator (in a thread of this
process, 50 ms latency by default) declares N instances, each with a daily policy and one
good backup a day for 14 days. Printed per N:

- requests against the minimum: ceil(N / 100) instance pages + N policy reads + N
  restorable-range reads (every instance here is judged ok, so each has its ranges read)
  + the backups begun in the last 14 days, read whole (ceil(those / 100) pages); the
  range reads are also counted apart;
- cold wall time against the round-trip floor: the instance pages, then the policies,
  `BACKUPBOT_PAGE_CONCURRENCY` (8) at a time, each one round trip of `latency` (the
  backups are read meanwhile), then, once judged, the ranges all at once, as many in
  flight as the HTTP client's pool holds (POOL);
- warm (everything cached) and the Block Kit view drawn from it, median of 20.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import time
from datetime import timedelta

import httpx

from bench.common import simulator_engine
from bot.core.clock import utc_now
from bot.core.health.reports import HISTORY_DAYS
from bot.huawei.simulator import Fleet, Knobs, SimulatorState
from bot.huawei.simulator.records import backup_record, instance_record
from bot.huawei.simulator.server import SimulatorServer
from bot.slack.views.fleet_health import health_view

CONCURRENCY = 8
POOL = 32  # the benchmark's HTTP connections: the range reads are bounded by nothing else
DAILY = "1,2,3,4,5,6,7"


def fleet_of(count: int) -> Fleet:
    """`count` instances backed up daily at 02:00 UTC for the last 14 days."""
    now = utc_now()
    fleet = Fleet()
    records = []
    for number in range(count):
        name = f"db-{number:04d}"
        record = instance_record(
            name=name, status="ACTIVE", created=now - timedelta(days=400),
            window="02:00-03:00", keep_days=7,
        )  # fmt: skip
        fleet.declare(
            record, {"keep_days": 7, "start_time": "02:00-03:00", "period": "1,2,3,4,5,6,7"}
        )
        day = (now - timedelta(hours=3)).replace(hour=2, minute=5, second=0, microsecond=0)
        for back in range(14):
            records.append(
                backup_record(
                    profile_name=name,
                    begin=day - timedelta(days=back),
                    minutes=6,
                    status="COMPLETED",
                    kind="auto",
                    size_mb=1_000.5,
                    serial=f"{number}-{back}",
                )
            )
    fleet.extend(records)
    return fleet


async def measure(count: int, latency: float) -> None:
    state = SimulatorState(fleet=fleet_of(count), knobs=Knobs(latency=latency))
    rows = len(state.fleet.backups)
    since = utc_now() - timedelta(days=HISTORY_DAYS)  # health's read: the rows begun since
    read = sum(stored.begin >= since for stored in state.fleet.backups)
    with SimulatorServer(state) as simulator:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=POOL)) as http:
            engine = simulator_engine(http, simulator.url)
            state.requests.clear()
            started = time.perf_counter()
            fleet = await engine.health()
            cold = time.perf_counter() - started
            made = len(state.requests)
            ranges = sum(request.path.endswith("/restore-time") for request in state.requests)
            pages = math.ceil(count / 100)
            minimum = pages + 2 * count + max(1, math.ceil(read / 100))
            rounds = 1 + math.ceil((pages - 1) / CONCURRENCY) + math.ceil(count / CONCURRENCY)
            floor = (rounds + math.ceil(count / POOL)) * latency
            warm, drawn = [], []
            for _ in range(20):
                started = time.perf_counter()
                fleet = await engine.health()
                warm.append(time.perf_counter() - started)
                started = time.perf_counter()
                health_view(fleet, title="Backup health", simulated=True, now=utc_now())
                drawn.append(time.perf_counter() - started)
    print(
        f"{count:>5} instances, {rows:>6} backups: requests {made} (minimum {minimum}, "
        f"ratio {made / minimum:.2f}; range reads {ranges} of {count}); "
        f"cold {cold * 1000:,.0f} ms vs floor {floor * 1000:,.0f} ms ({cold / floor:.2f}x); "
        f"warm median "
        f"{statistics.median(warm) * 1000:.1f} ms; view {statistics.median(drawn) * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--instances", type=int, nargs="*", default=[40, 400])
    args = parser.parse_args()
    for count in args.instances:
        asyncio.run(measure(count, args.latency))


if __name__ == "__main__":
    main()
