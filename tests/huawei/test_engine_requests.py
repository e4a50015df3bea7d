"""The engine, the client and the simulator together over HTTP: answers and request counts.

These pin the request-count table of bot/core/answering/plan.py (and the README's) by counting at
the simulator. Expected values come from the simulator's fleet itself, never from the
code under test. The engine alone, on an in-memory source, is tests/core/test_engine.py.
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.core.answering.answer import Answer, Ask
from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine
from bot.core.answering.judge import health_window
from bot.core.backup import Backup, BackupStatus
from bot.core.language.parse import parse_query
from bot.core.query import Last, Target
from bot.errors import QueryError
from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.records import backup_record
from bot.huawei.simulator.server import SimulatorServer
from tests.conftest import NOW, FakeTime, SettableClock, make_api

THRESHOLD = timedelta(hours=26)
WEEK = NOW - timedelta(days=7)
HEALTH_DAYS = NOW - timedelta(days=14)  # what health reads


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


def make_engine(
    http: httpx.AsyncClient,
    simulator: SimulatorServer,
    fake_time: FakeTime,
    clock: SettableClock,
    **options: int,
) -> Engine:
    api = make_api(http, simulator.url, fake_time)
    cache = ListingCache(ttl=60, maxsize=64, clock=clock)
    return Engine.over(source=api, cache=cache, clock=clock, **options)  # type: ignore[arg-type]


@pytest.fixture
def engine(
    http: httpx.AsyncClient, simulator: SimulatorServer, fake_time: FakeTime, clock: SettableClock
) -> Engine:
    return make_engine(http, simulator, fake_time, clock)


Bounded = Callable[[int], Engine]


@pytest.fixture
def bounded(
    http: httpx.AsyncClient, simulator: SimulatorServer, fake_time: FakeTime, clock: SettableClock
) -> Bounded:
    """Engines that read at most so many rows of a window."""
    return lambda rows: make_engine(http, simulator, fake_time, clock, max_window_rows=rows)


def fleet(state: SimulatorState) -> list[Backup]:
    """The simulator's backups as the API would return them, newest first."""
    return [Backup.model_validate(stored.record) for stored in state.fleet.backups]


def since(
    state: SimulatorState, begin: datetime, *, names: tuple[str, ...] = (), kind: str | None = None
) -> list[Backup]:
    """The fleet's backups begun at or after `begin`, of `names` (all if none), of `kind`."""
    return [
        b
        for b in fleet(state)
        if b.begin_time >= begin
        and (not names or b.instance_name in names)
        and (kind is None or b.type == kind)
    ]


def pages(rows: list[Backup]) -> int:
    """API requests to read `rows` whole: 100 a page, at least one."""
    return max(1, math.ceil(len(rows) / 100))


def newest_good(state: SimulatorState) -> dict[str, Backup]:
    """Each instance's newest good backup, from the fleet."""
    found: dict[str, Backup] = {}
    for b in fleet(state):
        if b.status in (BackupStatus.COMPLETED, BackupStatus.AVAILABLE):
            found.setdefault(b.instance_name, b)
    return found


def truly_stale(state: SimulatorState, names: tuple[str, ...] = ()) -> set[str]:
    """Instances (of `names`, or all) whose newest good backup is older than the threshold."""
    good = newest_good(state)
    every = {b.instance_name for b in fleet(state)}
    return {
        name
        for name in (set(names) or every)
        if name not in good or NOW - good[name].begin_time > THRESHOLD
    }


def warned(answer: Answer) -> set[str]:
    assert answer.health is not None
    return {report.instance.label for report in answer.health.alarming}


# --- counts: the whole window, exactly --------------------------------------------------


async def test_a_status_filter_picks_rows_but_counts_stay_the_whole_windows(
    engine: Engine, state: SimulatorState
) -> None:
    answer = await engine.answer(Ask(parse_query("failed last 60d")))
    in_window = since(state, NOW - timedelta(days=60))
    failed = [b for b in in_window if b.status is BackupStatus.FAILED]
    # the window read whole, which holds health's 14 days: one read for both
    assert state.request_count == pages(in_window) == 7
    assert answer.matches == len(failed)
    assert [b.id for b in answer.backups] == [b.id for b in failed][:10]
    assert dict(answer.summary.counts) == Counter(b.status for b in in_window)
    assert answer.summary.complete
    assert answer.window_total == answer.summary.total == len(in_window)


async def test_an_unfiltered_answer_counts_every_backup_of_its_window(
    engine: Engine, state: SimulatorState
) -> None:
    first = await engine.answer(Ask(parse_query("last 60d")))
    in_window = since(state, NOW - timedelta(days=60))
    assert state.request_count == pages(in_window), "health's 14 days are cut from it"
    assert len(in_window) > 100, "more than one API page: the old answer counted only those"
    assert dict(first.summary.counts) == Counter(b.status for b in in_window)
    assert first.summary.count(BackupStatus.FAILED) == sum(
        b.status is BackupStatus.FAILED for b in in_window
    )
    assert first.summary.complete
    assert first.matches == first.window_total == len(in_window)
    assert first.page_count == math.ceil(len(in_window) / 10)
    before = state.request_count
    eleventh = await engine.answer(Ask(parse_query("last 60d"), page=10))
    last = await engine.answer(Ask(parse_query("last 60d"), page=first.page_count - 1))
    assert state.request_count == before, "every screen page comes from the one read"
    assert [b.id for b in eleventh.backups] == [b.id for b in in_window[100:110]]
    assert [b.id for b in last.backups] == [b.id for b in in_window[(first.page_count - 1) * 10 :]]


async def test_past_the_bound_the_counts_are_the_newest_rows_and_say_of_how_many(
    bounded: Bounded, state: SimulatorState
) -> None:
    engine = bounded(200)
    answer = await engine.answer(Ask(parse_query("last 60d")))
    in_window = since(state, NOW - timedelta(days=60))
    newest = in_window[:200]
    assert newest[-1].begin_time < HEALTH_DAYS, "the newest 200 hold health's 14 days"
    assert state.request_count == 2, "two pages, not the window, and health cut from them"
    assert not answer.summary.complete
    assert answer.summary.total == 200
    assert answer.window_total == len(in_window)
    assert dict(answer.summary.counts) == Counter(b.status for b in newest)
    assert answer.summary.covered_since == newest[-1].begin_time
    assert answer.page_count == 20


async def test_past_the_bound_a_window_reads_on_until_it_holds_healths_days(
    bounded: Bounded, state: SimulatorState
) -> None:
    engine = bounded(50)
    answer = await engine.answer(Ask(parse_query("last 60d")))
    in_window = since(state, NOW - timedelta(days=60))
    health = since(state, HEALTH_DAYS)
    assert in_window[49].begin_time > HEALTH_DAYS, "the newest 50 end inside the 14 days"
    assert state.request_count == pages(health), "no more than health's own read"
    assert not answer.summary.complete
    assert answer.summary.total == 50
    assert answer.window_total == len(in_window)
    assert dict(answer.summary.counts) == Counter(b.status for b in in_window[:50])
    assert answer.health is not None
    assert answer.health.backups == tuple(health), "health judged from all of its 14 days"


async def test_past_the_bound_several_targets_count_the_newest_rows_of_all_of_them(
    bounded: Bounded, state: SimulatorState
) -> None:
    engine = bounded(50)
    names = ("orders-prod", "payments-prod")
    # Typed, so each target reads its newest 50 rows (an untyped window that holds
    # health's 14 days reads whole pages, and these windows fit in one).
    answer = await engine.answer(Ask(parse_query("orders-prod payments-prod last 60d auto")))
    in_window = since(state, NOW - timedelta(days=60), names=names, kind="auto")
    assert all(len([b for b in in_window if b.instance_name == n]) > 50 for n in names)
    assert answer.summary.total == 50
    assert answer.window_total == len(in_window)
    assert dict(answer.summary.counts) == Counter(b.status for b in in_window[:50])
    assert [b.id for b in answer.backups] == [b.id for b in in_window[:10]]


async def test_several_targets_run_concurrently_and_merge_newest_first(
    engine: Engine, state: SimulatorState
) -> None:
    names = ("orders-prod", "payments-prod")
    answer = await engine.answer(Ask(parse_query("orders-prod payments-prod last 14d")))
    assert state.request_count == 2, "two windows, each also its instance's 14 days for health"
    expected = since(state, NOW - timedelta(days=14), names=names)
    assert [b.id for b in answer.backups] == [b.id for b in expected][:10]
    assert answer.matches == len(expected)
    assert {r.params["instance_name"] for r in state.requests} == set(names)


async def test_filters_map_to_api_parameters_and_statuses_are_alternatives(
    engine: Engine, state: SimulatorState
) -> None:
    # A typed window beyond health's 14 days: read with its type, apart from health's.
    answer = await engine.answer(Ask(parse_query("analytics-dw failed building manual last 30d")))
    (typed,) = [r.params for r in state.requests if "backup_type" in r.params]
    assert typed["instance_name"] == "analytics-dw"
    assert typed["backup_type"] == "manual"
    assert typed["begin_time"] == "2026-10-28T10:30:00+0000"
    assert "end_time" not in typed
    assert [b.status for b in answer.backups] == [BackupStatus.BUILDING]


async def test_a_backup_id_is_one_request_without_a_window_or_health(
    engine: Engine, state: SimulatorState
) -> None:
    old = fleet(state)[-1]
    answer = await engine.answer(Ask(parse_query(old.id)))
    assert [b.id for b in answer.backups] == [old.id]
    assert state.request_count == 1
    assert "begin_time" not in state.requests[0].params
    assert answer.health is None


async def test_an_unknown_name_is_named_with_near_names_not_an_empty_table(
    engine: Engine, state: SimulatorState
) -> None:
    with pytest.raises(QueryError) as caught:
        await engine.answer(Ask(parse_query("ordrs-prod last 7d")))
    assert caught.value.said == "no instance named ordrs-prod"
    assert "orders-prod" in caught.value.hint
    # health's 14 days (the week is cut from them), the probe without a window, names
    assert state.request_count == 3


async def test_an_empty_window_for_a_real_instance_says_when_its_newest_backup_was(
    engine: Engine, state: SimulatorState
) -> None:
    answer = await engine.answer(Ask(parse_query("orders-prod from 2026-01-01 to 2026-01-05")))
    assert answer.matches == 0
    (empty,) = answer.empty_targets
    assert empty.target.value == "orders-prod"
    assert empty.newest is not None
    assert empty.newest.id == since(state, WEEK, names=("orders-prod",))[0].id
    assert state.request_count == 3, "the window, the probe, and the week for health"


# --- notes that honour every filter -----------------------------------------------------


async def test_an_empty_typed_window_names_the_newest_backup_of_that_type(
    engine: Engine, state: SimulatorState
) -> None:
    answer = await engine.answer(Ask(parse_query("orders-prod since 2026-11-20 manual")))
    manual = [b for b in fleet(state) if b.instance_name == "orders-prod" and b.type == "manual"]
    (empty,) = answer.empty_targets
    assert empty.newest is not None
    assert empty.newest.id == manual[0].id
    assert empty.newest.begin_time < answer.window.begin  # type: ignore[operator]
    probe = state.requests[-1].params
    assert (probe["backup_type"], probe["limit"]) == ("manual", "1")


async def test_an_instance_with_none_of_the_type_at_all_is_said_so_not_unknown(
    engine: Engine, state: SimulatorState
) -> None:
    assert not [b for b in fleet(state) if b.instance_name == "legacy-crm" and b.type == "manual"]
    answer = await engine.answer(Ask(parse_query("legacy-crm last 7d manual")))
    (empty,) = answer.empty_targets
    assert empty.newest is None
    # health's 14 days (the typed week cut from them), the typed probe, one without type
    assert state.request_count == 3


# --- a page past the last ---------------------------------------------------------------


async def test_a_page_past_the_last_is_the_last_page_at_the_cost_of_the_window(
    engine: Engine, state: SimulatorState
) -> None:
    answer = await engine.answer(Ask(parse_query("last 60d"), page=100_000))
    in_window = since(state, NOW - timedelta(days=60))
    assert answer.page == answer.page_count - 1 == math.ceil(len(in_window) / 10) - 1
    assert [b.id for b in answer.backups] == [b.id for b in in_window[answer.page * 10 :]]
    assert state.request_count == pages(in_window)


# --- the cache --------------------------------------------------------------------------


async def test_repeated_asks_within_the_ttl_cost_nothing_even_as_time_moves(
    engine: Engine, state: SimulatorState, clock: SettableClock
) -> None:
    first = await engine.answer(Ask(parse_query("failed last 14d")))
    read = pages(since(state, HEALTH_DAYS))
    assert state.request_count == read, "the 14 days asked are health's: one read for both"
    clock.advance(10)
    second = await engine.answer(Ask(parse_query("last 14d failed")))
    assert state.request_count == read
    assert second.from_cache
    assert second.as_of == first.as_of
    assert second.window == first.window
    clock.advance(55)
    await engine.answer(Ask(parse_query("failed last 14d")))
    assert state.request_count == 2 * read


async def test_twenty_concurrent_identical_asks_cost_one_asks_requests(
    engine: Engine, state: SimulatorState
) -> None:
    state.knobs.latency = 0.05
    asks = [engine.answer(Ask(parse_query("failed last 60d"))) for _ in range(20)]
    answers = await asyncio.gather(*asks)
    read = pages(since(state, NOW - timedelta(days=60)))
    assert state.request_count == read == 7
    assert len({tuple(b.id for b in a.backups) for a in answers}) == 1
    assert sum(a.requests for a in answers) == read


async def test_refresh_bypasses_the_cache(
    engine: Engine, state: SimulatorState, clock: SettableClock
) -> None:
    await engine.answer(Ask(parse_query("orders-prod")))
    clock.advance(5)
    refreshed = await engine.answer(Ask(parse_query("orders-prod"), refresh=True))
    assert state.request_count == 2, "health's 14 days (the week cut from them), twice"
    assert not refreshed.from_cache
    assert refreshed.as_of == NOW + timedelta(seconds=5)


async def test_day_words_use_the_askers_time_zone(engine: Engine, state: SimulatorState) -> None:
    answer = await engine.answer(Ask(parse_query("yesterday"), zone=ZoneInfo("Asia/Shanghai")))
    begin = datetime(2026, 11, 25, 16, tzinfo=UTC)
    end = datetime(2026, 11, 26, 15, 59, 59, tzinfo=UTC)
    assert (answer.window.begin, answer.window.end) == (begin, end)
    # Cut from health's 14 days: exactly the rows the API would list for those bounds.
    expected = [b.id for b in fleet(state) if begin <= b.begin_time <= end]
    assert answer.window_total == len(expected)
    assert [b.id for b in answer.backups] == expected[:10]
    # Beyond health's days the bounds go upstream as the asker's days.
    await engine.answer(Ask(parse_query("2026-11-01"), zone=ZoneInfo("Asia/Shanghai")))
    (bounded,) = [r.params for r in state.requests if "end_time" in r.params]
    assert bounded["begin_time"] == "2026-10-31T16:00:00+0000"
    assert bounded["end_time"] == "2026-11-01T15:59:59+0000"


# --- health: about now, whatever the question -------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "orders-prod yesterday",
        "orders-prod 2026-11-26",
        "orders-prod from 2026-11-01 to 2026-11-10",
        "orders-prod last 72h failed manual",
        "orders-prod legacy-crm last 72h failed manual",
        "legacy-crm yesterday",
        "legacy-crm 2026-10-01",
        "last 24h",
        "yesterday",
        "failed today",
        "last 3d auto",
        "last 60d",
        "since monday",
        "",
    ],
)
async def test_warnings_are_about_now_whatever_the_window_statuses_and_type(
    engine: Engine, state: SimulatorState, text: str
) -> None:
    query = parse_query(text)
    answer = await engine.answer(Ask(query))
    names = tuple(target.value for target in query.targets)
    assert warned(answer) == truly_stale(state, names)
    good = newest_good(state)
    assert answer.health is not None
    for report in answer.health.reports:
        assert report.last_good is not None
        assert report.last_good.id == good[report.instance.label].id, "the reason given is true"


async def test_an_instance_backed_up_20_hours_ago_is_never_warned_about(
    engine: Engine, state: SimulatorState
) -> None:
    good = newest_good(state)["orders-prod"]
    assert NOW - good.begin_time < timedelta(hours=20)
    for text in ("orders-prod yesterday", "orders-prod 2026-11-20", "orders-prod last 72h manual"):
        answer = await engine.answer(Ask(parse_query(text)))
        assert warned(answer) == set(), text


async def test_health_is_the_read_digests_and_watches_share(
    engine: Engine, state: SimulatorState
) -> None:
    answer = await engine.answer(Ask(parse_query("yesterday"), zone=ZoneInfo("Europe/Paris")))
    before = state.request_count
    fleet_health = await engine.health()
    named = await engine.health((Target("instance_name", "legacy-crm"),))
    assert state.request_count == before + 1, "the whole fleet's 14 days were cached; one more name"
    assert answer.health is not None
    assert fleet_health.reports == answer.health.reports
    assert {r.instance.label for r in fleet_health.alarming} == truly_stale(state)
    assert [r.instance.label for r in named.alarming] == ["legacy-crm"]
    assert fleet_health.backups == tuple(since(state, HEALTH_DAYS))


def add_retired(state: SimulatorState, *, days_ago: int) -> Backup:
    """An instance whose last backup, a good one, is `days_ago` days old."""
    record = backup_record(
        profile_name="retired-db",
        begin=NOW - timedelta(days=days_ago),
        minutes=5,
        status="COMPLETED",
        kind="auto",
        size_mb=900,
        serial="retired",
    )
    state.fleet.add(record)
    return Backup.model_validate(record)


async def test_an_instance_without_any_backup_this_week_is_named_when_asked_about(
    engine: Engine, state: SimulatorState
) -> None:
    last = add_retired(state, days_ago=16)
    named = await engine.answer(Ask(parse_query("retired-db yesterday")))
    assert named.health is not None
    (health,) = named.health.alarming
    assert health.last_good is not None
    assert health.last_good.id == last.id
    assert state.request_count == 2, "health's 14 days (the window cut from them), one probe"
    everything = await engine.answer(Ask(parse_query("last 30d")))
    assert "retired-db" in warned(everything)
    assert warned(everything) == truly_stale(state)


def test_health_reads_back_further_than_the_threshold() -> None:
    assert health_window(THRESHOLD) == Last(14, "d")
    assert health_window(timedelta(days=14)) == Last(15, "d")
    assert health_window(timedelta(days=20, hours=1)) == Last(22, "d")
