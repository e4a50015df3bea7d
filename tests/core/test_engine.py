"""The engine on an in-memory source: what answers say, and what they cost.

Expected values come from the fleet below, never from the code under test. The same
engine over the real client and the simulator is pinned in
tests/huawei/test_engine_requests.py.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.answering.answer import Answer, Ask
from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine
from bot.core.backup import Backup, BackupStatus
from bot.core.language.parse import parse_query
from bot.core.query import Target
from bot.errors import QueryError
from tests.conftest import NOW, SettableClock
from tests.core.memory_source import MemorySource

FAILED, BUILDING = BackupStatus.FAILED, BackupStatus.BUILDING
COMPLETED, AVAILABLE = BackupStatus.COMPLETED, BackupStatus.AVAILABLE
THRESHOLD = timedelta(hours=26)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def made(
    instance: str,
    age: timedelta,
    *,
    status: BackupStatus = COMPLETED,
    kind: str = "auto",
) -> Backup:
    """A backup of `instance` begun `age` before NOW, with ids shaped as the API's."""
    serial = f"{instance}:{age.total_seconds():.0f}:{kind}"
    return Backup(
        id=hashlib.sha256(serial.encode()).hexdigest()[:32] + "br07",
        name=f"{kind}-{instance}-{age.total_seconds():.0f}",
        begin_time=NOW - age,
        status=status,
        type=kind,
        size=1_000,
        take_up_time=5,
        instance_id=hashlib.sha256(instance.encode()).hexdigest()[:32] + "in07",
        instance_name=instance,
    )


def fleet() -> list[Backup]:
    """Five instances over 40 days: one backed up every 4 hours with a failure in every
    37, one daily, one failing for 3 days, one building now, one retired 12 days ago."""
    every_4h = [
        made("orders-prod", n * 4 * HOUR + HOUR, status=FAILED if n % 37 == 5 else COMPLETED)
        for n in range(240)
    ]
    daily = [made("payments-prod", n * DAY + 2 * HOUR) for n in range(40)]
    failing = [
        made("legacy-crm", n * DAY + 3 * HOUR, status=FAILED if n < 3 else COMPLETED)
        for n in range(40)
    ]
    building = [made("analytics-dw", n * DAY + 5 * HOUR) for n in range(40)]
    manual = [
        made("orders-prod", age, kind="manual", status=AVAILABLE) for age in (3 * DAY, 25 * DAY)
    ]
    now_building = made("analytics-dw", timedelta(minutes=20), kind="manual", status=BUILDING)
    retired = made("retired-db", 12 * DAY)
    return [*every_4h, *daily, *failing, *building, *manual, now_building, retired]


FLEET = fleet()


def since(age: timedelta, *names: str, kind: str | None = None) -> list[Backup]:
    """The fleet's backups begun within `age` of NOW, of `names` (all if none), newest first."""
    return sorted(
        (
            b
            for b in FLEET
            if b.begin_time >= NOW - age
            and (not names or b.instance_name in names)
            and (kind is None or b.type == kind)
        ),
        key=lambda b: b.begin_time,
        reverse=True,
    )


def pages(rows: list[Backup]) -> int:
    """Requests to read `rows` whole: 100 a page, at least one."""
    return max(1, math.ceil(len(rows) / 100))


def truly_stale(*names: str) -> set[str]:
    """Instances (of `names`, or all) whose newest good backup is older than the threshold."""
    every = names or tuple({b.instance_name for b in FLEET})
    good = {b.instance_name for b in FLEET if b.status.is_good and NOW - b.begin_time <= THRESHOLD}
    return set(every) - good


def warned(answer: Answer) -> set[str]:
    assert answer.health is not None
    return {report.instance.label for report in answer.health.alarming}


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


@pytest.fixture
def source() -> MemorySource:
    return MemorySource.of(FLEET)


def engine_over(source: MemorySource, clock: SettableClock, *, rows: int = 5_000) -> Engine:
    cache = ListingCache(ttl=60, maxsize=64, clock=clock)
    return Engine.over(source=source, cache=cache, clock=clock, max_window_rows=rows)


@pytest.fixture
def engine(source: MemorySource, clock: SettableClock) -> Engine:
    return engine_over(source, clock)


async def ask(engine: Engine, text: str, **options: object) -> Answer:
    return await engine.answer(Ask(parse_query(text), **options))  # type: ignore[arg-type]


async def test_counts_are_the_whole_windows_and_statuses_only_pick_rows(
    engine: Engine, source: MemorySource
) -> None:
    answer = await ask(engine, "failed last 30d")
    window = since(30 * DAY)
    failed = [b for b in window if b.status is FAILED]
    assert len(window) > 200, "several pages"
    assert dict(answer.summary.counts) == Counter(b.status for b in window)
    assert (answer.matches, answer.window_total) == (len(failed), len(window))
    assert [b.id for b in answer.backups] == [b.id for b in failed[:10]]
    assert answer.summary.complete
    assert source.requests == answer.requests == pages(window), "health's days cut from it"


async def test_every_screen_page_comes_from_the_one_read(
    engine: Engine, source: MemorySource
) -> None:
    first = await ask(engine, "last 30d")
    spent = source.requests
    window = since(30 * DAY)
    fifth, beyond = await ask(engine, "last 30d", page=4), await ask(engine, "last 30d", page=999)
    assert source.requests == spent
    assert [b.id for b in fifth.backups] == [b.id for b in window[40:50]]
    assert beyond.page == first.page_count - 1 == math.ceil(len(window) / 10) - 1
    assert [b.id for b in beyond.backups] == [b.id for b in window[beyond.page * 10 :]]


async def test_past_the_bound_counts_cover_the_newest_rows_and_say_of_how_many(
    source: MemorySource, clock: SettableClock
) -> None:
    answer = await ask(engine_over(source, clock, rows=150), "orders-prod payments-prod last 30d")
    window = since(30 * DAY, "orders-prod", "payments-prod")
    assert (answer.summary.total, answer.window_total) == (150, len(window))
    assert not answer.summary.complete
    assert dict(answer.summary.counts) == Counter(b.status for b in window[:150])
    assert answer.summary.covered_since == window[149].begin_time
    assert [b.id for b in answer.backups] == [b.id for b in window[:10]]


async def test_a_backup_id_is_one_read_any_time_without_health(
    engine: Engine, source: MemorySource
) -> None:
    (retired,) = since(13 * DAY, "retired-db")
    answer = await ask(engine, retired.id)
    assert [b.id for b in answer.backups] == [retired.id]
    assert answer.health is None
    assert source.requests == 1
    assert (source.reads[0].backup_id, source.reads[0].begin_time) == (retired.id, None)


@pytest.mark.parametrize(
    ("typed", "near"),
    [
        ("ordrs-prod", "orders-prod"),
        ("Payments-Prod", "payments-prod"),
        ("legacy-crn", "legacy-crm"),
    ],
)
async def test_an_unknown_name_is_answered_with_the_names_a_typo_away(
    engine: Engine, source: MemorySource, typed: str, near: str
) -> None:
    with pytest.raises(QueryError) as caught:
        await ask(engine, f"{typed} last 7d")
    assert caught.value.said == f"no instance named {typed}"
    assert caught.value.hint == f"did you mean {near}?"
    # health's 14 days (the week cut from them), the probe at any time, the newest 100 for names
    assert source.requests == 3


async def test_an_empty_window_says_when_the_newest_backup_of_its_type_was(
    engine: Engine, source: MemorySource
) -> None:
    answer = await ask(engine, "orders-prod last 2d manual")
    (empty,) = answer.empty_targets
    assert empty.newest is not None
    assert empty.newest.id == since(40 * DAY, "orders-prod", kind="manual")[0].id
    (probe,) = [read for read in source.reads if read.limit == 1]
    assert (probe.backup_type, probe.begin_time) == ("manual", None)


async def test_an_instance_with_none_of_the_type_is_said_so_not_unknown(engine: Engine) -> None:
    assert not since(40 * DAY, "legacy-crm", kind="manual")
    (empty,) = (await ask(engine, "legacy-crm last 7d manual")).empty_targets
    assert (empty.target.value, empty.newest) == ("legacy-crm", None)


async def test_asks_within_the_ttl_share_one_read_and_refresh_reads_again(
    engine: Engine, source: MemorySource, clock: SettableClock
) -> None:
    first = await ask(engine, "failed last 14d")
    read = pages(since(14 * DAY))
    assert source.requests == read, "the 14 days asked are health's: one read for both"
    clock.advance(30)
    again = await ask(engine, "last 14d failed")
    assert (source.requests, again.from_cache, again.as_of) == (read, True, first.as_of)
    refreshed = await ask(engine, "failed last 14d", refresh=True)
    assert (source.requests, refreshed.from_cache) == (2 * read, False)
    assert refreshed.as_of == NOW + timedelta(seconds=30)


async def test_day_words_are_the_askers_days(engine: Engine, source: MemorySource) -> None:
    answer = await ask(engine, "yesterday", zone=ZoneInfo("Asia/Shanghai"))
    begin = datetime(2026, 11, 26, tzinfo=ZoneInfo("Asia/Shanghai"))
    end = NOW.replace(day=26, hour=15, minute=59, second=59)
    assert (answer.window.begin, answer.window.end) == (begin, end)
    expected = [b for b in source.backups if begin <= b.begin_time <= end]
    assert answer.window_total == len(expected) > 0
    assert [b.id for b in answer.backups] == [b.id for b in expected[:10]]
    # cut from health's 14 days: no bounded read went upstream
    assert [read for read in source.reads if read.end_time is not None] == []


@pytest.mark.parametrize(
    ("text", "reach"),
    [
        ("", 14 * DAY),
        ("last 24h", 14 * DAY),
        ("failed today", 14 * DAY),
        ("last 30d", 30 * DAY),
        ("legacy-crm yesterday", None),
        ("orders-prod legacy-crm from 2026-11-01 to 2026-11-10", None),
        ("retired-db last 72h", None),
    ],
)
async def test_warnings_are_about_now_whatever_the_question(
    engine: Engine, text: str, reach: timedelta | None
) -> None:
    """Named instances, or every instance seen in the 14 days health reads or in the window."""
    answer = await ask(engine, text)
    named = tuple(target.value for target in answer.query.targets)
    seen = {b.instance_name for b in since(reach)} if reach is not None else set(named)
    assert warned(answer) == truly_stale(*seen)


async def test_health_is_one_read_shared_with_digests_and_watches(
    engine: Engine, source: MemorySource
) -> None:
    answer = await ask(engine, "yesterday", zone=ZoneInfo("Europe/Paris"))
    before = len(source.reads)
    every = await engine.health()
    legacy = await engine.health((Target("instance_name", "legacy-crm"),))
    (extra,) = source.reads[before:]
    assert extra.instance_name == "legacy-crm", "the fleet's week was cached; one read for a name"
    assert answer.health is not None
    assert (every.reports, every.backups) == (answer.health.reports, tuple(since(14 * DAY)))
    assert [r.instance.label for r in legacy.alarming] == ["legacy-crm"]


async def test_health_from_the_same_cached_reads_is_judged_once_per_ttl(
    engine: Engine, source: MemorySource, clock: SettableClock
) -> None:
    first = await engine.health()
    clock.advance(30)
    assert await engine.health() is first, "the same reads: judged a moment ago"
    assert await engine.health(zone=ZoneInfo("Asia/Shanghai")) is not first, "another zone"
    refreshed = await engine.health(refresh=True)
    assert refreshed is not first, "a refresh judges anew"
    assert refreshed.now == NOW + timedelta(seconds=30)
    assert await engine.health() is refreshed
    clock.advance(61)  # the refreshed reads expired: read and judged again
    later = await engine.health()
    assert later is not refreshed
    assert later.now == NOW + timedelta(seconds=91)
