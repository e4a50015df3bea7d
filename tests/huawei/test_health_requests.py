"""What a health check costs, counted at the simulator over HTTP, and what it says without
the permission to list instances or read policies.

Health of N instances, cold: ceil(I / 100) instance pages (I instances in the project),
one policy read per instance judged, the last 14 days of backups read whole, and with
restore reads one ranges read per instance with something to restore. Within
BACKUPBOT_INVENTORY_TTL only the backups are read again (and not even those while the
listing cache holds them). A refusal (403 APIGW.0302) is remembered as long: one refused
request per TTL. Expected values come from the simulator's own fleet.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from bot.core.answering.answer import Ask
from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine
from bot.core.health.instances import PolicyUnreadable
from bot.core.health.inventory_cache import InventoryCache
from bot.core.health.reports import State
from bot.core.language.parse import parse_query
from bot.core.query import Target
from bot.errors import QueryError
from bot.huawei.simulator import Fleet, SimulatorState, create_app
from bot.huawei.simulator.records import backup_record, instance_record
from bot.huawei.simulator.server import SimulatorServer
from tests.conftest import (
    NOW,
    FakeTime,
    SettableClock,
    fixed_clock,
    inventory_requests,
    listing_requests,
    make_api,
)

LISTING_TTL = 60
INVENTORY_TTL = 600


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


@pytest.fixture
async def engine(
    simulator: SimulatorServer, fake_time: FakeTime, clock: SettableClock
) -> AsyncIterator[Engine]:
    async with httpx.AsyncClient() as http:
        api = make_api(http, simulator.url, fake_time)
        yield Engine.over(
            source=api,
            cache=ListingCache(ttl=LISTING_TTL, maxsize=64, clock=clock),
            clock=clock,
            inventory=InventoryCache(api, ttl=INVENTORY_TTL, clock=clock),
        )


def fortnight_pages(state: SimulatorState) -> int:
    """Requests to read the last 14 days of the whole fleet: 100 rows a page, at least one."""
    rows = [stored for stored in state.fleet.backups if stored.begin >= NOW - timedelta(days=14)]
    return max(1, math.ceil(len(rows) / 100))


async def test_a_cold_health_check_reads_instances_policies_and_14_days(
    engine: Engine, state: SimulatorState
) -> None:
    instances = len(state.fleet.inventory())
    fleet = await engine.health()
    assert len(fleet.reports) == instances
    assert listing_requests(state) == fortnight_pages(state)
    assert inventory_requests(state) == math.ceil(instances / 100) + instances


async def test_within_the_ttls_a_health_check_costs_nothing_then_only_the_backups(
    engine: Engine, state: SimulatorState, clock: SettableClock
) -> None:
    await engine.health()
    cold = state.request_count
    clock.advance(LISTING_TTL - 1)
    again = await engine.health()
    assert state.request_count == cold, "every read cached"
    assert again.as_of == NOW
    clock.advance(2)  # the listing expired; instances and policies have not
    await engine.health()
    assert state.request_count == cold + fortnight_pages(state)
    assert inventory_requests(state) == cold - fortnight_pages(state)
    clock.advance(INVENTORY_TTL)  # everything expired
    await engine.health()
    assert state.request_count == 2 * cold + fortnight_pages(state)


async def test_health_of_named_instances_reads_their_policies_and_backups_only(
    engine: Engine, state: SimulatorState
) -> None:
    named = (Target("instance_name", "orders-prod"), Target("instance_name", "legacy-crm"))
    fleet = await engine.health(named)
    assert {report.instance.label for report in fleet.reports} == {"orders-prod", "legacy-crm"}
    assert listing_requests(state) == 2, "one 14-day read each (both under 100 rows)"
    assert inventory_requests(state) == 1 + 2, "the instance page, and two policies"


async def test_two_hundred_and_fifty_instances_take_three_instance_pages(
    fake_time: FakeTime, clock: SettableClock
) -> None:
    state = SimulatorState(fleet=Fleet(), clock=fixed_clock)
    for number in range(250):
        record = instance_record(
            name=f"db-{number:03d}", status="ACTIVE", created=NOW - timedelta(days=1),
            window="02:00-03:00", keep_days=7,
        )  # fmt: skip
        state.fleet.declare(record, {"keep_days": 7, "start_time": "02:00-03:00", "period": "1"})
    with SimulatorServer(state) as simulator:
        async with httpx.AsyncClient() as http:
            api = make_api(http, simulator.url, fake_time)
            engine = Engine.over(
                source=api,
                cache=ListingCache(ttl=LISTING_TTL, maxsize=64, clock=clock),
                clock=clock,
                inventory=InventoryCache(api, ttl=INVENTORY_TTL, clock=clock),
            )
            fleet = await engine.health()
    assert len(fleet.reports) == 250
    paths = [request.path for request in state.requests]
    assert sum(path.endswith("/instances") for path in paths) == 3
    assert sum(path.endswith("/policy") for path in paths) == 250
    assert sum(path.endswith("/backups") for path in paths) == 1
    # created a day ago, weekly on Mondays: nothing was due yet, so none is alarming
    assert fleet.alarming == ()


async def test_without_permission_to_list_instances_health_falls_back_and_says_what_to_grant(
    engine: Engine, state: SimulatorState, clock: SettableClock
) -> None:
    state.knobs.denied.add("instances")
    fleet = await engine.health()
    assert fleet.notice is not None
    assert "gaussdbformysql:instance:list" in fleet.notice
    assert "26 h threshold" in fleet.notice
    assert "instances without backups are not shown" in fleet.notice
    names = {report.instance.label for report in fleet.reports}
    assert "sessions-prod" not in names, "no backups, so the backups cannot show it"
    assert {report.state for report in fleet.reports} <= {State.OK, State.STALE, State.NO_BACKUPS}
    assert all(isinstance(report.policy, PolicyUnreadable) for report in fleet.reports)
    refused = inventory_requests(state)
    assert refused == 1, "one refused request, no policy reads"
    clock.advance(LISTING_TTL + 1)
    await engine.health()
    assert inventory_requests(state) == refused, "the refusal is remembered for the TTL"
    clock.advance(INVENTORY_TTL)
    state.knobs.denied.clear()  # granted meanwhile
    granted = await engine.health()
    assert granted.notice is None
    assert "sessions-prod" in {report.instance.label for report in granted.reports}


async def test_without_permission_to_read_policies_health_falls_back_and_says_so(
    engine: Engine, state: SimulatorState
) -> None:
    state.knobs.denied.add("policy")
    fleet = await engine.health()
    assert fleet.notice is not None
    assert "gaussdbformysql:backup:listPolicy" in fleet.notice
    names = {report.instance.label for report in fleet.reports}
    assert "sessions-prod" in names, "the listing still shows instances without backups"
    sessions = next(r for r in fleet.reports if r.instance.label == "sessions-prod")
    assert sessions.state is State.NO_BACKUPS
    answer = await engine.answer(Ask(parse_query("last 24h")))
    assert answer.health is not None
    assert answer.health.notice == fleet.notice, "answers carry it too, to be said once"


async def test_a_listed_instance_without_backups_is_not_unknown(
    engine: Engine, state: SimulatorState
) -> None:
    answer = await engine.answer(Ask(parse_query("sessions-prod last 7d")))
    (empty,) = answer.empty_targets
    assert (empty.target.value, empty.newest) == ("sessions-prod", None)
    assert answer.health is not None
    (report,) = answer.health.alarming
    assert (report.instance.label, report.state) == ("sessions-prod", State.NO_BACKUPS)
    with pytest.raises(QueryError, match="no instance named sesions-prod") as caught:
        await engine.answer(Ask(parse_query("sesions-prod last 7d")))
    assert caught.value.hint == "did you mean sessions-prod?", "a listed name, without backups"


async def test_health_reads_the_ranges_of_each_instance_with_something_to_restore_once_per_ttl(
    simulator: SimulatorServer, fake_time: FakeTime, state: SimulatorState, clock: SettableClock
) -> None:
    async with httpx.AsyncClient() as http:
        api = make_api(http, simulator.url, fake_time)
        engine = Engine.over(
            source=api,
            cache=ListingCache(ttl=LISTING_TTL, maxsize=64, clock=clock),
            clock=clock,
            inventory=InventoryCache(api, ttl=INVENTORY_TTL, clock=clock),
            restores=api.restores,
        )
        instances = len(state.fleet.inventory())
        fleet = await engine.health()
        # Ground truth from the fleet: an active instance with an automated policy and a
        # backup to restore from has its ranges read; the others have nothing to restore.
        restorable = {
            instance_id
            for instance_id, declared in state.fleet.inventory().items()
            if declared.record.get("status") == "ACTIVE"
            and (declared.policy.get("keep_days") or 0) > 0
            and any(
                stored.record.get("instance_id") == instance_id for stored in state.fleet.backups
            )
        }
        assert 0 < len(restorable) < instances
        read = [r.path.split("/")[-2] for r in state.requests if r.path.endswith("/restore-time")]
        assert sorted(read) == sorted(restorable), "one read each, of those only"
        assert inventory_requests(state) == math.ceil(instances / 100) + instances
        assert len(fleet.reports) == instances
        clock.advance(LISTING_TTL + 1)  # only the backups are read again
        await engine.health()
        assert sum(r.path.endswith("/restore-time") for r in state.requests) == len(restorable)
        clock.advance(INVENTORY_TTL)  # the ranges expired with the inventory
        await engine.health()
        assert sum(r.path.endswith("/restore-time") for r in state.requests) == 2 * len(restorable)


def _daily_fleet(count: int) -> Fleet:
    """`count` active instances, each with a week of good daily backups to restore from."""
    fleet = Fleet()
    for number in range(count):
        name = f"db-{number:04d}"
        record = instance_record(
            name=name, status="ACTIVE", created=NOW - timedelta(days=400),
            window="02:00-03:00", keep_days=7,
        )  # fmt: skip
        fleet.declare(
            record, {"keep_days": 7, "start_time": "02:00-03:00", "period": "1,2,3,4,5,6,7"}
        )
        fleet.extend(
            [
                backup_record(
                    profile_name=name,
                    begin=NOW - timedelta(days=back, hours=3),
                    minutes=6,
                    status="COMPLETED",
                    kind="auto",
                    size_mb=1_000.5,
                    serial=f"{number}-{back}",
                )
                for back in range(7)
            ]
        )
    return fleet


async def test_health_reads_ranges_eight_at_a_time_however_large_the_fleet(
    fake_time: FakeTime, clock: SettableClock
) -> None:
    """20 instances to restore: their ranges are read at most 8 at once, never all at once."""
    state = SimulatorState(fleet=_daily_fleet(20), clock=fixed_clock)
    in_flight = 0
    peak = 0
    full = asyncio.Event()  # 8 range reads at once: the bound, reached whatever the load

    async def counting(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        if not request.url.path.endswith("/restore-time"):
            return await inner.handle_async_request(request)
        in_flight += 1
        peak = max(peak, in_flight)
        if in_flight >= 8:
            full.set()
        try:
            # Held until the bound is reached, so the peak is the bound and not an
            # accident of scheduling; the timeout only ends a broken run.
            await asyncio.wait_for(full.wait(), 30)
            return await inner.handle_async_request(request)
        finally:
            in_flight -= 1

    inner = httpx.ASGITransport(app=create_app(state))
    async with httpx.AsyncClient(transport=httpx.MockTransport(counting)) as client:
        api = make_api(client, "http://simulator.test", fake_time)
        engine = Engine.over(
            source=api,
            cache=ListingCache(ttl=LISTING_TTL, maxsize=64, clock=clock),
            clock=clock,
            inventory=InventoryCache(api, ttl=INVENTORY_TTL, clock=clock),
            restores=api.restores,
        )
        fleet = await engine.health()
    assert sum(r.path.endswith("/restore-time") for r in state.requests) == 20
    assert all(report.earliest_restorable is not None for report in fleet.reports)
    assert peak == 8
