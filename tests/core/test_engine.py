"""The engine end to end against the simulator over HTTP: answers and request counts.

These pin the request-count table of bot/core/plan.py by counting at the simulator.
"""

from __future__ import annotations

import asyncio
import math
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.core.backup import Backup, BackupStatus
from bot.core.cache import ListingCache
from bot.core.engine import Ask, Engine
from bot.core.query import QueryError, parse_query
from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.server import SimulatorServer
from tests.conftest import NOW, FakeTime, SettableClock, make_api


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


@pytest.fixture
def engine(
    http: httpx.AsyncClient, simulator: SimulatorServer, fake_time: FakeTime, clock: SettableClock
) -> Engine:
    api = make_api(http, simulator.url, fake_time)
    return Engine(source=api, cache=ListingCache(ttl=60, maxsize=64, clock=clock), clock=clock)


def fleet(state: SimulatorState) -> list[Backup]:
    """The simulator's backups as the API would return them, newest first."""
    return [Backup.model_validate(stored.record) for stored in state.fleet.backups]


async def test_a_status_filter_reads_the_whole_window_once(
    engine: Engine, state: SimulatorState
) -> None:
    answer = await engine.answer(Ask(parse_query("failed last 60d")))
    in_window = [b for b in fleet(state) if b.begin_time >= NOW - timedelta(days=60)]
    failed = [b for b in in_window if b.status is BackupStatus.FAILED]
    assert state.request_count == math.ceil(len(in_window) / 100) == 7
    assert answer.matches == len(failed)
    assert [b.id for b in answer.backups] == [b.id for b in failed][:10]
    assert answer.summary.count(BackupStatus.FAILED) == len(failed)
    assert answer.summary.complete


async def test_an_unfiltered_query_reads_only_the_api_page_on_screen(
    engine: Engine, state: SimulatorState
) -> None:
    first = await engine.answer(Ask(parse_query("last 60d")))
    assert state.request_count == 1
    assert first.matches == len(
        [b for b in fleet(state) if b.begin_time >= NOW - timedelta(days=60)]
    )
    assert first.page_count == math.ceil(first.matches / 10)
    fifth = await engine.answer(Ask(parse_query("last 60d"), page=4))
    assert state.request_count == 1, "screen pages 1-10 share the first API page"
    eleventh = await engine.answer(Ask(parse_query("last 60d"), page=10))
    assert state.request_count == 2
    assert [r.params["offset"] for r in state.requests] == ["0", "100"]
    everything = [b.id for b in fleet(state) if b.begin_time >= NOW - timedelta(days=60)]
    assert [b.id for b in fifth.backups] == everything[40:50]
    assert [b.id for b in eleventh.backups] == everything[100:110]
    assert not first.summary.complete
    assert first.summary.total == 100


async def test_several_targets_run_concurrently_and_merge_newest_first(
    engine: Engine, state: SimulatorState
) -> None:
    answer = await engine.answer(Ask(parse_query("orders-prod payments-prod last 14d")))
    assert state.request_count == 2
    expected = [
        b.id
        for b in fleet(state)
        if b.instance_name in ("orders-prod", "payments-prod")
        and b.begin_time >= NOW - timedelta(days=14)
    ]
    assert [b.id for b in answer.backups] == expected[:10]
    assert answer.matches == len(expected)
    assert {r.params["instance_name"] for r in state.requests} == {"orders-prod", "payments-prod"}


async def test_filters_map_to_api_parameters_and_statuses_are_alternatives(
    engine: Engine, state: SimulatorState
) -> None:
    answer = await engine.answer(Ask(parse_query("analytics-dw failed building manual last 2d")))
    params = state.requests[-1].params
    assert params["instance_name"] == "analytics-dw"
    assert params["backup_type"] == "manual"
    assert params["begin_time"] == "2026-11-25T10:30:00+0000"
    assert "end_time" not in params
    assert [b.status for b in answer.backups] == [BackupStatus.BUILDING]


async def test_a_backup_id_is_one_request_without_a_window(
    engine: Engine, state: SimulatorState
) -> None:
    old = fleet(state)[-1]
    answer = await engine.answer(Ask(parse_query(old.id)))
    assert [b.id for b in answer.backups] == [old.id]
    assert state.request_count == 1
    assert "begin_time" not in state.requests[0].params


async def test_an_unknown_name_is_named_with_near_names_not_an_empty_table(
    engine: Engine, state: SimulatorState
) -> None:
    with pytest.raises(QueryError) as caught:
        await engine.answer(Ask(parse_query("ordrs-prod last 7d")))
    assert caught.value.message == "no instance named ordrs-prod"
    assert "orders-prod" in caught.value.hint
    # the window read, the probe without a window, and one read to learn names
    assert state.request_count == 3


async def test_an_empty_window_for_a_real_instance_says_when_its_newest_backup_was(
    engine: Engine, state: SimulatorState
) -> None:
    answer = await engine.answer(Ask(parse_query("orders-prod from 2026-01-01 to 2026-01-05")))
    assert answer.matches == 0
    (empty,) = answer.empty_targets
    assert empty.target.value == "orders-prod"
    assert empty.newest.instance_name == "orders-prod"
    assert state.request_count == 2


async def test_repeated_asks_within_the_ttl_cost_nothing_even_as_time_moves(
    engine: Engine, state: SimulatorState, clock: SettableClock
) -> None:
    first = await engine.answer(Ask(parse_query("failed last 7d")))
    clock.advance(10)
    second = await engine.answer(Ask(parse_query("last 7d failed")))
    assert state.request_count == 1
    assert second.from_cache
    assert second.as_of == first.as_of
    assert second.window == first.window
    clock.advance(55)
    await engine.answer(Ask(parse_query("failed last 7d")))
    assert state.request_count == 2


async def test_twenty_concurrent_identical_asks_cost_one_asks_requests(
    engine: Engine, state: SimulatorState
) -> None:
    state.knobs.latency = 0.05
    answers = await asyncio.gather(
        *(engine.answer(Ask(parse_query("failed last 60d"))) for _ in range(20))
    )
    assert state.request_count == 7
    assert len({tuple(b.id for b in a.backups) for a in answers}) == 1
    assert sum(a.requests for a in answers) == 7


async def test_refresh_bypasses_the_cache(
    engine: Engine, state: SimulatorState, clock: SettableClock
) -> None:
    await engine.answer(Ask(parse_query("orders-prod")))
    clock.advance(5)
    refreshed = await engine.answer(Ask(parse_query("orders-prod"), refresh=True))
    assert state.request_count == 2
    assert not refreshed.from_cache
    assert refreshed.as_of == NOW + timedelta(seconds=5)


async def test_day_words_use_the_askers_time_zone(engine: Engine, state: SimulatorState) -> None:
    await engine.answer(Ask(parse_query("yesterday"), zone=ZoneInfo("Asia/Shanghai")))
    params = state.requests[-1].params
    assert params["begin_time"] == "2026-11-25T16:00:00+0000"
    assert params["end_time"] == "2026-11-26T15:59:59+0000"


async def test_a_page_past_the_end_shows_the_last_page(
    engine: Engine, state: SimulatorState
) -> None:
    answer = await engine.answer(Ask(parse_query("orders-prod last 7d"), page=40))
    assert answer.page == answer.page_count - 1
    assert answer.backups


async def test_stale_instances_are_warned_about(engine: Engine) -> None:
    answer = await engine.answer(Ask(parse_query("last 7d")))
    stale = {health.name for health in answer.summary.stale}
    assert "legacy-crm" in stale
    assert "orders-prod" not in stale


async def test_a_short_window_still_warns_about_instances_without_a_recent_good_backup(
    engine: Engine, state: SimulatorState
) -> None:
    answer = await engine.answer(Ask(parse_query("last 24h")))
    stale = {health.name: health for health in answer.summary.stale}
    assert "legacy-crm" in stale, "its last good backup is days old, outside the 24 h asked"
    age = stale["legacy-crm"].last_good_age(NOW)
    assert age is not None
    assert age > timedelta(days=3)
    # the 24 h page, and one read of the week for the warnings (shared with digests, cached)
    assert state.request_count == 2
    again = await engine.answer(Ask(parse_query("last 24h")))
    assert again.from_cache
    assert state.request_count == 2


async def test_a_long_enough_window_needs_no_extra_read(
    engine: Engine, state: SimulatorState
) -> None:
    await engine.answer(Ask(parse_query("last 3d")))
    assert state.request_count == 1
