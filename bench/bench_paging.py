"""Listing whole windows: backupbot's concurrent paging vs the official SDK's sequential one.

Run: `.venv/bin/python -m bench.bench_paging`. Prints, per listing size, wall time,
requests made and their ratio to the minimum (ceil(N/100)), wall time against the
round-trip bound (1 + ceil((pages-1)/concurrency) round trips of the simulated latency),
and the speed-up over `huaweicloudsdkgaussdb` paging sequentially against the same
simulator. Targets: requests = minimum; wall <= 1.3x the bound; >= 5x the SDK at 5,000.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import time

import httpx
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkgaussdb.v3 import GaussDBClient, ShowGaussMySqlBackupListRequest

from bench.common import SimulatorProcess
from bot.config import Settings
from bot.core.params import ListBackupsParams
from bot.huawei.factory import simulator_api
from bot.huawei.simulator import SIMULATOR_ACCESS_KEY, SIMULATOR_PROJECT_ID, SIMULATOR_SECRET_KEY
from bot.runtime import tune_garbage_collector

CONCURRENCY = 8


async def backupbot_listing(url: str) -> tuple[float, int]:
    """Seconds and backups for one whole listing with backupbot's client."""
    async with httpx.AsyncClient() as http:
        api = simulator_api(Settings(), http, endpoint=url)
        await api.list_page(ListBackupsParams(limit=1))  # warm the connection pool
        started = time.perf_counter()
        listing = await api.list_backups(ListBackupsParams())
        return time.perf_counter() - started, len(listing.backups)


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
    parser.add_argument("--no-sdk", action="store_true", help="skip the official SDK baseline")
    args = parser.parse_args()
    tune_garbage_collector()  # as the backupbot process does at start-up
    print(f"simulated latency {args.latency * 1000:.0f} ms, page concurrency {CONCURRENCY}")
    print(
        f"{'backups':>8} {'wall s':>7} {'requests':>8} {'min':>5} {'req/min':>7} "
        f"{'bound s':>7} {'wall/bound':>10} {'sdk s':>7} {'speed-up':>8}"
    )
    for size in (int(text) for text in args.sizes.split(",")):
        with SimulatorProcess(latency=args.latency, backups=size) as simulator:
            simulator.reset()
            wall, listed = asyncio.run(backupbot_listing(simulator.url))
            requests = simulator.requests() - 1  # minus the warm-up request
            assert listed == size, f"listed {listed} of {size}"
            pages = math.ceil(size / 100)
            bound = (1 + math.ceil((pages - 1) / CONCURRENCY)) * args.latency
            sdk_text = speed_text = "-"
            if not args.no_sdk:
                sdk_wall, sdk_listed = sdk_listing(simulator.url)
                assert sdk_listed == size
                sdk_text, speed_text = f"{sdk_wall:.2f}", f"{sdk_wall / wall:.1f}x"
        print(
            f"{size:>8} {wall:>7.2f} {requests:>8} {pages:>5} {requests / pages:>7.2f} "
            f"{bound:>7.2f} {wall / bound:>10.2f} {sdk_text:>7} {speed_text:>8}"
        )


if __name__ == "__main__":
    main()
