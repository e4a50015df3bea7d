"""Shared fixtures: a fixed clock, the simulator on 127.0.0.1, and a client for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from hypothesis import settings
from pydantic import SecretStr

from bot.huawei.auth import AccessKeys, Credentials
from bot.huawei.client import BackupsApi
from bot.huawei.simulator import (
    SIMULATOR_ACCESS_KEY,
    SIMULATOR_PROJECT_ID,
    SIMULATOR_SECRET_KEY,
    Fleet,
    SimulatorState,
)
from bot.huawei.simulator.server import SimulatorServer
from bot.huawei.transport import RetryPolicy, Transport, no_observer

# Real databases for the store's tests (fixtures `backend`, `database_url`); a guard that
# fails any test reaching a real metadata service or Huawei Cloud host.
pytest_plugins = ("tests.databases", "tests.network_guard")

# CI runs a fixed budget of fixed examples: a failure there is reproducible, never luck.
# (To explore new examples locally, load a profile without derandomize.)
settings.register_profile("backupbot", derandomize=True, deadline=None)
settings.load_profile("backupbot")

NOW = datetime(2026, 11, 27, 10, 30, 0, tzinfo=UTC)


def fixed_clock() -> datetime:
    """The tests' 'now': the simulator and the client agree on it."""
    return NOW


class SettableClock:
    """A wall clock that stands still until told to move."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class FakeTime:
    """Stands in for asyncio.sleep and time.monotonic: sleeping advances time instantly."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def state() -> SimulatorState:
    """A fresh simulator state with the demo fleet as of NOW."""
    return SimulatorState(fleet=Fleet.demo(NOW), clock=fixed_clock)


def listing_requests(state: SimulatorState) -> int:
    """How many requests read the backups listing (not instances, not policies)."""
    return sum(1 for request in state.requests if request.path.endswith("/backups"))


def inventory_requests(state: SimulatorState) -> int:
    """How many requests read the instance listing or a backup policy."""
    return sum(r.path.endswith(("/instances", "/policy")) for r in state.requests)


@pytest.fixture
def simulator(state: SimulatorState) -> Iterator[SimulatorServer]:
    """The simulator served over real HTTP on 127.0.0.1."""
    with SimulatorServer(state) as server:
        yield server


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def make_api(
    http: httpx.AsyncClient,
    url: str,
    fake_time: FakeTime,
    *,
    retry: RetryPolicy | None = None,
    timeout: float = 5.0,
    credentials: Credentials | None = None,
    server_clock_lag: float = 60.0,
    observer: Callable[[int | None, float], None] = no_observer,
) -> BackupsApi:
    """A client for the simulator at `url`, on the fixed clock and fake sleep."""
    transport = Transport(
        http=http,
        endpoint=url,
        project_id=SIMULATOR_PROJECT_ID,
        credentials=credentials
        or AccessKeys(SecretStr(SIMULATOR_ACCESS_KEY), SecretStr(SIMULATOR_SECRET_KEY)),
        retry=retry,
        timeout=timeout,
        clock=fixed_clock,
        sleep=fake_time.sleep,
        monotonic=fake_time.monotonic,
        jitter=lambda: 0.5,
        observer=observer,
    )
    return BackupsApi(transport, server_clock_lag=server_clock_lag)


@pytest.fixture
def api(http: httpx.AsyncClient, simulator: SimulatorServer, fake_time: FakeTime) -> BackupsApi:
    """A client for the simulator over real HTTP."""
    return make_api(http, simulator.url, fake_time)
