"""A Reach against the simulator: a window's newest rows, and on until every row since a
moment is read, in the fewest requests; and the gate that lets the read on go first.

Expected rows and counts come from the simulator's fleet, never from the client.
"""

from __future__ import annotations

import asyncio
import math
from datetime import timedelta

import httpx
import pytest

from bot.core.backup import Backup
from bot.core.backup_source import Reach
from bot.core.params import ListBackupsParams
from bot.huawei.simulator import Fleet, SimulatorState
from bot.huawei.simulator.server import SimulatorServer
from bot.huawei.transport import PriorityGate
from tests.conftest import NOW, FakeTime, fixed_clock, listing_requests, make_api

WINDOW = NOW - timedelta(days=30)
SINCE = NOW - timedelta(days=14)


@pytest.fixture
def archive() -> SimulatorState:
    """3,000 backups of one instance over the last 30 days: 1,400 in the last 14."""
    return SimulatorState(fleet=Fleet.archive(3_000, NOW), clock=fixed_clock)


def truth(state: SimulatorState) -> list[str]:
    """The ids of the window's backups, newest first, as the API lists them."""
    rows = [Backup.model_validate(stored.record) for stored in state.fleet.backups]
    return [b.id for b in rows if b.begin_time >= WINDOW]


def since(state: SimulatorState) -> int:
    return sum(1 for stored in state.fleet.backups if stored.begin >= SINCE)


@pytest.mark.parametrize(
    ("newest", "reads_on"),
    [(1_000, True), (2_000, False), (950, True), (5_000, False)],
)
async def test_a_reach_reads_its_newest_rows_and_on_until_it_holds_the_days_asked(
    archive: SimulatorState, fake_time: FakeTime, newest: int, reads_on: bool
) -> None:
    window = truth(archive)
    held = since(archive)
    assert (held > math.ceil(newest / 100) * 100) is reads_on, "the case is the one named"
    with SimulatorServer(archive) as server:
        async with httpx.AsyncClient() as http:
            api = make_api(http, server.url, fake_time)
            params = ListBackupsParams(instance_name="bulk-archive", begin_time=WINDOW)
            listing = await api.list_backups(params, rows=Reach(newest, SINCE))
    kept = max(min(len(window), math.ceil(newest / 100) * 100), held)
    assert [b.id for b in listing.backups] == window[:kept]
    assert listing.total_count == len(window)
    assert listing_requests(archive) == listing.requests == math.ceil(kept / 100)


async def test_the_gate_lets_the_most_urgent_waiting_request_in_first() -> None:
    gate = PriorityGate(1)
    entered: list[str] = []
    hold = asyncio.Event()

    async def request(name: str, priority: int) -> None:
        async with gate.at(priority):
            entered.append(name)
            if name == "first":
                await hold.wait()

    first = asyncio.create_task(request("first", 1))
    await asyncio.sleep(0)
    queued = [asyncio.create_task(request(f"page{n}", 1)) for n in range(3)]
    gone = asyncio.create_task(request("cancelled", 0))
    await asyncio.sleep(0)
    gone.cancel()
    urgent = asyncio.create_task(request("urgent", 0))
    await asyncio.sleep(0)
    hold.set()
    await asyncio.gather(first, *queued, urgent)
    assert entered == ["first", "urgent", "page0", "page1", "page2"]
    async with gate.at(5):  # every slot given back
        pass
