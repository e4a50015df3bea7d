"""Listing whole windows: backupbot's client against a bare floor and the official SDK.

Run: `.venv/bin/python -m bench.bench_paging`. Per listing size, against the same
simulator in its own process (50 ms latency by default):

- backupbot: `BackupsApi.list_backups`, pages read 8 at a time and parsed into models;
- floor: a bare client with the same signing, the same concurrency and the same httpx
  connection pool, which reads `total_count` from the first body and otherwise parses
  nothing: what fetching the pages costs at the least;
- sdk: `huaweicloudsdkgaussdb` paging sequentially, as a user of the official SDK would.

Each is run `--repeat` times (alternating) and the median is printed, with requests
made against the minimum (ceil(N/100)) and the ratios. Targets at 5,000 backups:
backupbot within 1.25x the floor, and at least 5x faster than the SDK.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import statistics
import time
from dataclasses import dataclass

import httpx
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkgaussdb.v3 import GaussDBClient, ShowGaussMySqlBackupListRequest
from pydantic import SecretStr

from bench.common import SimulatorProcess
from bot import __version__
from bot.app.memory import tune_garbage_collector
from bot.config import Settings
from bot.core.clock import utc_now
from bot.core.params import ListBackupsParams
from bot.huawei.auth import AccessKeys, auth_for
from bot.huawei.simulator import SIMULATOR_ACCESS_KEY, SIMULATOR_PROJECT_ID, SIMULATOR_SECRET_KEY
from bot.huawei.simulator.inprocess import simulator_api

CONCURRENCY = 8
TOTAL_RE = re.compile(rb'"total_count"\s*:\s*(\d+)')


@dataclass(frozen=True)
class Run:
    """One listing: wall seconds, CPU seconds of this process, and what it returned."""

    wall: float
    cpu: float
    items: int


async def backupbot_listing(url: str) -> Run:
    """One whole listing with backupbot's client; items are backups."""
    async with httpx.AsyncClient() as http:
        api = simulator_api(Settings(), http, endpoint=url)
        await api.list_page(ListBackupsParams(limit=1))  # warm the connection pool
        started, cpu = time.perf_counter(), time.process_time()
        listing = await api.list_backups(ListBackupsParams())
        return Run(time.perf_counter() - started, time.process_time() - cpu, len(listing.backups))


async def floor_listing(url: str) -> Run:
    """The same pages fetched by a bare client (sign, send, keep bytes); items are bodies."""
    keys = AccessKeys(SecretStr(SIMULATOR_ACCESS_KEY), SecretStr(SIMULATOR_SECRET_KEY))
    auth = auth_for(keys, clock=utc_now)
    path = f"/v3/{SIMULATOR_PROJECT_ID}/backups"
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"backupbot/{__version__}",
        "X-Project-Id": SIMULATOR_PROJECT_ID,
        "X-Language": "en-us",
    }

    async with httpx.AsyncClient() as http:

        async def get(offset: int, limit: int) -> bytes:
            query = [("limit", str(limit)), ("offset", str(offset))]
            response = await http.get(
                f"{url}{path}", params=tuple(query), headers=headers, auth=auth
            )
            response.raise_for_status()
            return response.content

        await get(0, 1)  # warm the connection pool
        started, cpu = time.perf_counter(), time.process_time()
        first = await get(0, 100)
        match = TOTAL_RE.search(first)
        assert match is not None
        total = int(match.group(1))
        gate = asyncio.Semaphore(CONCURRENCY)

        async def page(offset: int) -> bytes:
            async with gate:
                return await get(offset, 100)

        bodies = [first, *await asyncio.gather(*(page(o) for o in range(100, total, 100)))]
        return Run(time.perf_counter() - started, time.process_time() - cpu, len(bodies))


def sdk_listing(url: str) -> tuple[float, int]:
    """Seconds and backups for the same listing with the official SDK, page after page."""
    credentials = BasicCredentials(SIMULATOR_ACCESS_KEY, SIMULATOR_SECRET_KEY, SIMULATOR_PROJECT_ID)
    client = GaussDBClient.new_builder().with_credentials(credentials).with_endpoints([url]).build()
    client.show_gauss_my_sql_backup_list(ShowGaussMySqlBackupListRequest(limit="1"))
    started = time.perf_counter()
    offset, seen, total = 0, 0, 1
    while offset < total:
        request = ShowGaussMySqlBackupListRequest(offset=str(offset), limit="100")
        response = client.show_gauss_my_sql_backup_list(request)
        total = response.total_count
        seen += len(response.backups)
        offset += 100
    return time.perf_counter() - started, seen


def main() -> None:
    """Run every size and print one row each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each client per size")
    parser.add_argument("--no-sdk", action="store_true", help="skip the official SDK baseline")
    args = parser.parse_args()
    tune_garbage_collector()  # as the backupbot process does at start-up
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"simulated latency {args.latency * 1000:.0f} ms, page concurrency {CONCURRENCY}, "
        f"median of {args.repeat} runs, load average {load}"
    )
    print(
        f"{'backups':>8} {'requests':>8} {'min':>5} {'wall s':>7} {'floor s':>7} "
        f"{'wall/floor':>10} {'cpu ms':>7} {'floor cpu':>9} {'sdk s':>7} {'sdk/wall':>8}"
    )
    for size in (int(text) for text in args.sizes.split(",")):
        ours: list[Run] = []
        floors: list[Run] = []
        sdks: list[float] = []
        pages = math.ceil(size / 100)
        with SimulatorProcess(latency=args.latency, backups=size) as simulator:
            for _ in range(args.repeat):
                simulator.reset()
                run = asyncio.run(backupbot_listing(simulator.url))
                requests = simulator.requests() - 1  # minus the warm-up request
                assert run.items == size, f"listed {run.items} of {size}"
                ours.append(run)
                floor = asyncio.run(floor_listing(simulator.url))
                assert floor.items == pages, f"fetched {floor.items} of {pages} pages"
                floors.append(floor)
                if not args.no_sdk:
                    sdk_wall, sdk_listed = sdk_listing(simulator.url)
                    assert sdk_listed == size
                    sdks.append(sdk_wall)
        wall = statistics.median(run.wall for run in ours)
        floor_wall = statistics.median(run.wall for run in floors)
        cpu = statistics.median(run.cpu for run in ours) * 1000
        floor_cpu = statistics.median(run.cpu for run in floors) * 1000
        sdk_text = speed_text = "-"
        if sdks:
            sdk = statistics.median(sdks)
            sdk_text, speed_text = f"{sdk:.2f}", f"{sdk / wall:.1f}x"
        print(
            f"{size:>8} {requests:>8} {pages:>5} {wall:>7.3f} {floor_wall:>7.3f} "
            f"{wall / floor_wall:>9.2f}x {cpu:>7.0f} {floor_cpu:>9.0f} "
            f"{sdk_text:>7} {speed_text:>8}"
        )


if __name__ == "__main__":
    main()
