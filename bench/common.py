"""Helpers shared by the benchmarks: a simulator in its own process, and timing."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlencode

import httpx

from bot.app.engines import api_settings
from bot.config import Settings
from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine
from bot.core.clock import utc_now
from bot.core.health.inventory_cache import InventoryCache
from bot.huawei.simulator.inprocess import simulator_api
from bot.support.serving import free_port


class SimulatorProcess:
    """`backupbot simulator` in a child process, so its work does not share our CPU time."""

    def __init__(self, *, latency: float, backups: int = 0, archive: int = 0) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = ["--port", str(self.port), "--latency", str(latency)]
        if backups:
            args += ["--backups", str(backups)]
        if archive:
            args += ["--archive", str(archive)]
        self._args = [sys.executable, "-m", "bot", "simulator", *args]
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> SimulatorProcess:
        self._process = subprocess.Popen(self._args, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url}/_simulator/stats", timeout=1).raise_for_status()
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("the simulator did not start")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(10)

    def requests(self) -> int:
        """API requests the simulator has answered since the last reset."""
        count: int = httpx.get(f"{self.url}/_simulator/stats").json()["requests"]
        return count

    def reset(self) -> None:
        """Forget counted requests."""
        httpx.post(f"{self.url}/_simulator/reset").raise_for_status()


@dataclass(frozen=True)
class Child:
    """A server in a child process."""

    url: str
    pid: int


@contextmanager
def serve_child(args: list[str], env: dict[str, str], port: int) -> Iterator[Child]:
    """Run `args` (a server on `port`) until the block ends; yields once /healthz answers."""
    child = subprocess.Popen(
        args, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/healthz", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or child.poll() is not None:
                    raise RuntimeError(f"{args} did not start") from None
                time.sleep(0.1)
        yield Child(url, child.pid)
    finally:
        child.terminate()
        child.wait(10)


@dataclass
class Burst:
    """What a burst of slash commands saw: ack latency (ms, None if refused) and send times."""

    acks: list[float | None]
    sent: dict[str, float]


def _raw_request(host: str, body: str, signature: dict[str, str]) -> bytes:
    headers = {
        "Host": host,
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": str(len(body.encode())),
        "Connection": "close",
        **signature,
    }
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return f"POST /slack/events HTTP/1.1\r\n{head}\r\n{body}".encode()


async def burst(
    url: str,
    slack_url: str,
    questions: list[str],
    *,
    tag: str,
    sign: Callable[[str], dict[str, str]],
    users: int = 20,
) -> Burst:
    """Send every question at the same moment as a signed slash command.

    A lean client: requests are built and connections opened before the clock starts,
    so what is measured is the server, not Python building 200 requests at once.
    """
    host = url.removeprefix("http://")
    address, port = host.rsplit(":", 1)
    bodies = [
        (
            f"{tag}{index}",
            urlencode(
                {
                    "team_id": "T0001",
                    "channel_id": "C0BENCH",
                    "user_id": f"U0BENCH{index % users}",
                    "command": "/backups",
                    "text": text,
                    "api_app_id": "A0BACKUP",
                    "response_url": f"{slack_url}/respond/{tag}{index}",
                }
            ),
        )
        for index, text in enumerate(questions)
    ]
    requests = [(key, _raw_request(host, body, sign(body))) for key, body in bodies]
    start = asyncio.Event()
    sent: dict[str, float] = {}

    async def one(key: str, request: bytes) -> float | None:
        reader, writer = await asyncio.open_connection(address, int(port))
        await start.wait()
        sent[key] = started = time.monotonic()
        writer.write(request)
        await writer.drain()
        status = await reader.readline()
        elapsed = (time.monotonic() - started) * 1000
        writer.close()
        return elapsed if b" 200 " in status else None

    tasks = [asyncio.ensure_future(one(key, request)) for key, request in requests]
    await asyncio.sleep(0.5)  # every connection open before the burst
    start.set()
    return Burst(list(await asyncio.gather(*tasks)), sent)


def percentile(values: list[float], share: float) -> float:
    """The `share` percentile (0-1) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def simulator_engine(http: httpx.AsyncClient, url: str) -> Engine:
    """The engine `serve` would build over the simulator at `url`: backups, inventory and
    restore reads, each cached an hour (a benchmark measures reads, not expiry)."""
    api = simulator_api(api_settings(Settings()), http, endpoint=url)
    return Engine.over(
        source=api,
        cache=ListingCache(ttl=3600, maxsize=64, clock=utc_now),
        clock=utc_now,
        inventory=InventoryCache(api, ttl=3600, clock=utc_now),
        restores=api.restores,
    )
