"""One question over a window of many pages, through Slack: backupbot against the network.

Run: `.venv/bin/python -m bench.bench_paging`. Per size (1,000 / 5,000 / 20,000 backups
of one instance, `bulk-archive`, over the last 30 days; the simulator in its own process
at 50 ms latency), `/backups bulk-archive last 30d failed` is sent as a signed slash
command to `backupbot serve` (its own process, the listing cache off so every ask reads,
the instance listing and policy already cached), and timed from sending it to its
answer reaching the response_url, beside:

- floor: a bare client (the same signing and concurrency, no parsing) fetching exactly
  the requests backupbot made, the first alone, the rest 8 at a time: what the network
  costs at the least, whatever our client does;
- sdk: the official SDK (`huaweicloudsdkgaussdb`) fetching the same requests one after
  another, as a user of the SDK would page.

It prints requests against the minimum (README, *Cost*: the question's window and health's
14 days read once), the answer time against the floor, and the speed-up over the SDK.
Targets: within 1.3x the floor at 5,000 and 20,000 backups, at least 5x the SDK.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkgaussdb.v3 import GaussDBClient, ShowGaussMySqlBackupListRequest
from pydantic import SecretStr

from bench.bench_slack import answer_times, fire
from bench.common import SimulatorProcess, serve_child
from bot import __version__
from bot.core.answering.plan import DEFAULT_MAX_WINDOW_ROWS
from bot.huawei.auth import AccessKeys, auth_for
from bot.huawei.simulator import SIMULATOR_ACCESS_KEY, SIMULATOR_PROJECT_ID, SIMULATOR_SECRET_KEY
from bot.support.serving import ServerThread, free_port
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, create_fake_slack

CONCURRENCY = 8
QUESTION = "bulk-archive last 30d failed"
BACKUPS = f"/v3/{SIMULATOR_PROJECT_ID}/backups"


@dataclass(frozen=True)
class Request:
    """One request backupbot made to the backups listing, as the simulator saw it."""

    params: dict[str, str]


def made(simulator: SimulatorProcess) -> list[Request]:
    """The listing requests backupbot made since the last reset, in the order they came."""
    seen = httpx.get(f"{simulator.url}/_simulator/requests").json()["requests"]
    return [Request(item["params"]) for item in seen if item["path"] == BACKUPS]


def count(simulator: SimulatorProcess, days: int) -> int:
    """How many backups of the archive began in the last `days` days (the API's count)."""
    since = (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S+0000")
    query = {"instance_name": "bulk-archive", "begin_time": since, "limit": "1"}

    async def ask() -> list[bytes]:
        async with httpx.AsyncClient() as http:
            return await _bare(http, simulator.url, [query])

    body = asyncio.run(ask())
    return int(httpx.Response(200, content=body[0]).json()["total_count"])


def minimum(window: int, health: int) -> int:
    """README's count for a window without a type that holds health's 14 days."""
    newest = min(window, DEFAULT_MAX_WINDOW_ROWS)
    reaches_back = window <= DEFAULT_MAX_WINDOW_ROWS or health <= newest
    return max(1, math.ceil((newest if reaches_back else health) / 100))


async def _bare(http: httpx.AsyncClient, url: str, queries: list[dict[str, str]]) -> list[bytes]:
    """Fetch `queries` with a bare client: the first alone, the rest 8 at a time; bodies
    kept as bytes, nothing parsed."""
    keys = AccessKeys(SecretStr(SIMULATOR_ACCESS_KEY), SecretStr(SIMULATOR_SECRET_KEY))
    auth = auth_for(keys, clock=lambda: datetime.now(UTC))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"backupbot/{__version__}",
        "X-Project-Id": SIMULATOR_PROJECT_ID,
        "X-Language": "en-us",
    }

    async def get(query: dict[str, str]) -> bytes:
        response = await http.get(
            f"{url}{BACKUPS}", params=tuple(query.items()), headers=headers, auth=auth
        )
        response.raise_for_status()
        return response.content

    gate = asyncio.Semaphore(CONCURRENCY)

    async def gated(query: dict[str, str]) -> bytes:
        async with gate:
            return await get(query)

    first = await get(queries[0])
    return [first, *await asyncio.gather(*(gated(query) for query in queries[1:]))]


def floor(url: str, requests: list[Request]) -> float:
    """Seconds for a bare client to fetch `requests`, its connections as warm as the
    bot's (it replays them once first, as the bot asked once before)."""

    async def run() -> float:
        queries = [request.params for request in requests]
        async with httpx.AsyncClient() as http:
            await _bare(http, url, queries)
            started = time.perf_counter()
            await _bare(http, url, queries)
            return time.perf_counter() - started

    return asyncio.run(run())


def sdk(url: str, requests: list[Request]) -> float:
    """Seconds for the official SDK to fetch `requests`, one after another."""
    credentials = BasicCredentials(SIMULATOR_ACCESS_KEY, SIMULATOR_SECRET_KEY, SIMULATOR_PROJECT_ID)
    client = GaussDBClient.new_builder().with_credentials(credentials).with_endpoints([url]).build()
    client.show_gauss_my_sql_backup_list(ShowGaussMySqlBackupListRequest(limit="1"))
    started = time.perf_counter()
    for request in requests:
        client.show_gauss_my_sql_backup_list(ShowGaussMySqlBackupListRequest(**request.params))
    return time.perf_counter() - started


def ask(bot_url: str, slack: ServerThread, fake: FakeSlack, tag: str) -> float:
    """Seconds from sending the question to its answer at the response_url."""
    _, sent = asyncio.run(fire(bot_url, slack.url, [QUESTION], tag))
    (answered,) = answer_times(fake, sent)
    return answered / 1000


def measure(size: int, *, latency: float, repeat: int, with_sdk: bool) -> dict[str, Any]:
    """Every figure for one size."""
    fake = FakeSlack(validate=False)
    with (
        ServerThread(create_fake_slack(fake)) as slack,
        SimulatorProcess(latency=latency, archive=size) as simulator,
        tempfile.TemporaryDirectory() as home,
    ):
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": f"{slack.url}/api/",
            "GAUSSDB_ENDPOINT": simulator.url,
            "HUAWEICLOUD_PROJECT_ID": SIMULATOR_PROJECT_ID,
            "CLOUD_SDK_AK": SIMULATOR_ACCESS_KEY,
            "CLOUD_SDK_SK": SIMULATOR_SECRET_KEY,
            "BACKUPBOT_CACHE_TTL": "0",  # every ask reads its backups
            "BACKUPBOT_DATABASE_URL": f"sqlite:///{home}/state.sqlite3",
        }
        port = free_port()
        served = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1"]
        with serve_child([*served, "--port", str(port)], env, port) as bot:
            ask(bot.url, slack, fake, "warm")  # the instance listing and policy, cached
            answers, floors, sdks, requests = [], [], [], []
            for index in range(repeat):
                simulator.reset()
                answers.append(ask(bot.url, slack, fake, f"ask{index}-"))
                requests = made(simulator)
                floors.append(floor(simulator.url, requests))
                if with_sdk:
                    sdks.append(sdk(simulator.url, requests))
        window, health = count(simulator, 30), count(simulator, 14)
    return {
        "requests": len(requests),
        "minimum": minimum(window, health),
        "answer": statistics.median(answers),
        "floor": statistics.median(floors),
        "sdk": statistics.median(sdks) if sdks else None,
    }


def main() -> None:
    """Run every size and print one row each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=5, help="asks per size (the median)")
    parser.add_argument("--no-sdk", action="store_true", help="skip the official SDK baseline")
    args = parser.parse_args()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"'{QUESTION}' through Slack; simulated latency {args.latency * 1000:.0f} ms, page "
        f"concurrency {CONCURRENCY}, median of {args.repeat} asks, load average {load}"
    )
    print(
        f"{'backups':>8} {'requests':>8} {'min':>5} {'answer s':>8} {'floor s':>7} "
        f"{'answer/floor':>12} {'sdk s':>7} {'sdk/answer':>10}"
    )
    for size in (int(text) for text in args.sizes.split(",")):
        row = measure(size, latency=args.latency, repeat=args.repeat, with_sdk=not args.no_sdk)
        sdk_text = speed = "-"
        if row["sdk"] is not None:
            sdk_text, speed = f"{row['sdk']:.2f}", f"{row['sdk'] / row['answer']:.1f}x"
        print(
            f"{size:>8} {row['requests']:>8} {row['minimum']:>5} {row['answer']:>8.3f} "
            f"{row['floor']:>7.3f} {row['answer'] / row['floor']:>11.2f}x {sdk_text:>7} "
            f"{speed:>10}"
        )


if __name__ == "__main__":
    main()
