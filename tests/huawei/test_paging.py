"""Reading whole windows: the fewest requests, no duplicates, robust to shifting data."""

from __future__ import annotations

import asyncio
import math
from datetime import timedelta

import httpx
import pytest

from bot.core.params import ListBackupsParams
from bot.huawei.client import BackupsApi
from bot.huawei.simulator import Fault, Fleet, SimulatorState, create_app
from bot.huawei.simulator.server import SimulatorServer
from tests.conftest import NOW, FakeTime, fixed_clock, make_api


@pytest.fixture(params=[1, 250, 300, 1234], ids=lambda n: f"{n}-backups")
def bulk_state(request: pytest.FixtureRequest) -> SimulatorState:
    return SimulatorState(fleet=Fleet.bulk(request.param, NOW), clock=fixed_clock)


async def test_whole_window_takes_the_minimum_number_of_requests(
    bulk_state: SimulatorState, http: httpx.AsyncClient, fake_time: FakeTime
) -> None:
    with SimulatorServer(bulk_state) as server:
        api = make_api(http, server.url, fake_time)
        listing = await api.list_backups(ListBackupsParams())
    count = len(bulk_state.fleet.backups)
    assert len(listing.backups) == count == listing.total_count
    assert len({backup.id for backup in listing.backups}) == count
    assert listing.requests == bulk_state.request_count == math.ceil(count / 100), (
        "the fewest requests that can list them"
    )
    begins = [backup.begin_time for backup in listing.backups]
    assert begins == sorted(begins, reverse=True)


async def test_listings_read_at_the_same_time_each_count_only_their_own_requests(
    http: httpx.AsyncClient, fake_time: FakeTime
) -> None:
    state = SimulatorState(fleet=Fleet.bulk(1234, NOW), clock=fixed_clock)
    state.knobs.latency = 0.01  # so the two listings' pages interleave
    with SimulatorServer(state) as server:
        api = make_api(http, server.url, fake_time)
        whole, recent = await asyncio.gather(
            api.list_backups(ListBackupsParams()),
            api.list_backups(ListBackupsParams(begin_time=NOW - timedelta(hours=150))),
        )
    assert (whole.requests, recent.requests) == (13, 2)
    assert state.request_count == 15


async def test_an_exact_multiple_of_100_needs_no_extra_empty_page(
    http: httpx.AsyncClient, fake_time: FakeTime
) -> None:
    state = SimulatorState(fleet=Fleet.bulk(300, NOW), clock=fixed_clock)
    with SimulatorServer(state) as server:
        listing = await make_api(http, server.url, fake_time).list_backups(ListBackupsParams())
    assert len(listing.backups) == 300
    assert [request.params["offset"] for request in state.requests] == ["0", "100", "200"]


async def test_an_empty_window_costs_one_request(api: BackupsApi, state: SimulatorState) -> None:
    listing = await api.list_backups(
        ListBackupsParams(begin_time=NOW - timedelta(days=400), end_time=NOW - timedelta(days=300))
    )
    assert listing.backups == ()
    assert listing.total_count == 0
    assert state.request_count == 1


async def test_only_the_pages_the_caller_wants_are_read(
    api: BackupsApi, state: SimulatorState
) -> None:
    listing = await api.list_backups(ListBackupsParams(), rows=10)
    assert len(listing.backups) == 10
    assert listing.total_count == len(state.fleet.backups)
    assert state.request_count == 1
    assert state.requests[0].params["limit"] == "10"


async def test_a_later_page_reads_from_its_offset(api: BackupsApi, state: SimulatorState) -> None:
    listing = await api.list_backups(ListBackupsParams(offset=250), rows=120)
    expected = [stored.record["id"] for stored in state.fleet.backups[250:370]]
    assert [backup.id for backup in listing.backups] == expected
    assert state.request_count == 2


async def test_backups_created_during_paging_shift_rows_without_loss_or_duplicates(
    http: httpx.AsyncClient, fake_time: FakeTime
) -> None:
    state = SimulatorState(fleet=Fleet.bulk(450, NOW), clock=fixed_clock)
    original = {stored.record["id"] for stored in state.fleet.backups}
    # After the first page, 30 new backups appear at the top: total_count grows and every
    # later page is shifted down by 30 rows.
    state.faults.append(Fault("insert", rows=30, skip=1))
    with SimulatorServer(state) as server:
        listing = await make_api(http, server.url, fake_time).list_backups(ListBackupsParams())
    ids = [backup.id for backup in listing.backups]
    assert len(ids) == len(set(ids))
    assert original <= set(ids)
    assert listing.total_count == 480


async def test_a_page_that_repeats_rows_is_deduplicated(
    http: httpx.AsyncClient, fake_time: FakeTime
) -> None:
    state = SimulatorState(fleet=Fleet.bulk(250, NOW), clock=fixed_clock)
    state.faults.append(Fault("repeat", rows=5, skip=1, times=1))
    with SimulatorServer(state) as server:
        listing = await make_api(http, server.url, fake_time).list_backups(ListBackupsParams())
    ids = [backup.id for backup in listing.backups]
    assert len(ids) == len(set(ids))


async def test_pages_are_fetched_concurrently_but_bounded(
    http: httpx.AsyncClient, fake_time: FakeTime
) -> None:
    state = SimulatorState(fleet=Fleet.bulk(2_000, NOW), clock=fixed_clock)
    in_flight = 0
    peak = 0
    full = asyncio.Event()  # 8 requests at once: the bound, reached whatever the load

    async def counting(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        if in_flight >= 8:
            full.set()
        try:
            if request.url.params.get("offset", "0") != "0":  # the first page comes alone
                # Hold each request until the bound is reached, so the peak is the bound and
                # not an accident of scheduling; the timeout only ends a broken run.
                await asyncio.wait_for(full.wait(), 30)
            return await inner.handle_async_request(request)
        finally:
            in_flight -= 1

    inner = httpx.ASGITransport(app=create_app(state))
    async with httpx.AsyncClient(transport=httpx.MockTransport(counting)) as client:
        api = make_api(client, "http://simulator.test", fake_time)
        listing = await api.list_backups(ListBackupsParams())
    assert len(listing.backups) == 2_000
    assert peak == 8
