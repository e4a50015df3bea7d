"""Restore questions in the core: the words, the point in the asker's zone, the ranges.

The point's truth is found by search, the way tests/oracle_truth.py resolves windows:
walking back minute by minute from now and turning each UTC instant into the asker's
wall time (never a wall time into UTC by zoneinfo's fold rules, as the code does).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.backup import Backup
from bot.core.language.commands import RestoreCommand, parse_command
from bot.core.query import Target
from bot.core.restore.point import resolve_point
from bot.core.restore.question import ClockTime, DayTime, ExactTime, TableName
from bot.core.restore.ranges import Gap, Span, after, before, gaps, holding, merged
from bot.core.restore.verdict import base_backup, table_verdict
from bot.errors import QueryError

ZONES = ("America/New_York", "Europe/London", "Asia/Shanghai", "Australia/Lord_Howe", "UTC")
# Days the clocks change (2026): around these, wall times are skipped or repeated.
CHANGES = (
    datetime(2026, 3, 8, 12, tzinfo=UTC),  # New York, forward
    datetime(2026, 11, 1, 6, tzinfo=UTC),  # New York, back
    datetime(2026, 3, 29, 3, tzinfo=UTC),  # London, forward
    datetime(2026, 10, 25, 1, 40, tzinfo=UTC),  # London, back
    datetime(2026, 4, 5, 0, tzinfo=UTC),  # Lord Howe, back half an hour
)


def searched(at: time, zone: ZoneInfo, now: datetime) -> datetime:
    """The most recent instant at or before `now` whose wall time in `zone` is `at`."""
    moment = now.replace(second=0, microsecond=0)
    for _ in range(4 * 24 * 60):
        wall = moment.astimezone(zone)
        if (wall.hour, wall.minute) == (at.hour, at.minute):
            return moment
        moment -= timedelta(minutes=1)
    raise AssertionError("no such wall time in four days")


def question(text: str) -> RestoreCommand:
    command = parse_command(text)
    assert isinstance(command, RestoreCommand)
    return command


def test_the_words_read_into_a_question() -> None:
    asked = question("restore orders-prod 03:15 table shop.orders @prod").question
    assert asked.instance == Target("instance_name", "orders-prod")
    assert asked.at == ClockTime(time(3, 15))
    assert asked.table == TableName("shop", "orders")
    assert asked.profile == "prod"
    assert question("restore orders-prod yesterday 23:40").question.at == DayTime(
        time(23, 40), days_ago=1
    )
    exact = question("restore orders-prod 2026-12-06T03:15+08:00").question.at
    assert isinstance(exact, ExactTime)
    assert exact.at.astimezone(UTC) == datetime(2026, 12, 5, 19, 15, tzinfo=UTC)
    assert question("restore orders-prod").question.at is None


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("restore", "restore needs an instance"),
        ("restore orders-prod 24:00", "'24:00' is not a time to restore to"),
        ("restore orders-prod 3pm", "'3pm' is not a time to restore to"),
        ("restore orders-prod yesterday", "'yesterday' is not a time to restore to"),
        ("restore orders-prod 2026-02-30 03:15", "'2026-02-30' is not a date"),
        ("restore orders-prod 03:15 04:15", "a restore question takes one time"),
        ("restore orders-prod 03:15 table orders", "'orders' is not a table name"),
        ("restore orders-prod 03:15 table shop.o;drop", "'shop.o;drop' is not a table name"),
        ("restore orders-prod 03:15 table", "'table' needs a value"),
        ("restore orders-prod payments-prod", "a restore question is about one instance"),
        ("restore orders-prod 2026-12-06T03:15+25:00", "is not a time to restore to"),
    ],
)
def test_bad_words_are_one_line_and_a_hint(text: str, said: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_command(text)
    assert said in caught.value.said
    assert caught.value.hint


def test_a_time_without_a_date_is_the_latest_that_passed_across_clock_changes() -> None:
    rng = random.Random(21)
    for _ in range(300):
        zone = ZoneInfo(rng.choice(ZONES))
        now = rng.choice(CHANGES) + timedelta(minutes=rng.randrange(-36 * 60, 36 * 60))
        at = time(rng.randrange(24), rng.choice((0, 15, 30, 45, rng.randrange(60))))
        got = resolve_point(ClockTime(at), now=now, zone=zone)
        assert got == searched(at, zone, now), (zone, now, at)


def test_a_skipped_wall_time_on_a_given_day_is_refused() -> None:
    new_york = ZoneInfo("America/New_York")
    now = datetime(2026, 3, 9, 12, tzinfo=UTC)
    with pytest.raises(QueryError) as caught:
        resolve_point(DayTime(time(2, 30), days_ago=1), now=now, zone=new_york)
    assert "did not happen in America/New_York" in caught.value.said
    # "02:30" alone: the day before the change
    skipped_day = datetime(2026, 3, 8, 12, tzinfo=UTC)
    assert resolve_point(ClockTime(time(2, 30)), now=skipped_day, zone=new_york) == datetime(
        2026, 3, 7, 7, 30, tzinfo=UTC
    )


def test_a_repeated_wall_time_is_the_later_one_passed_or_the_earlier_on_a_given_day() -> None:
    london = ZoneInfo("Europe/London")
    after_both = datetime(2026, 10, 25, 3, tzinfo=UTC)
    assert resolve_point(ClockTime(time(1, 30)), now=after_both, zone=london) == datetime(
        2026, 10, 25, 1, 30, tzinfo=UTC
    )
    between = datetime(2026, 10, 25, 1, 10, tzinfo=UTC)  # 01:10 GMT, the second pass
    assert resolve_point(ClockTime(time(1, 30)), now=between, zone=london) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
    on_day = DayTime(time(1, 30), days_ago=0)
    assert resolve_point(on_day, now=after_both, zone=london) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_a_point_in_the_future_is_refused() -> None:
    now = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
    with pytest.raises(QueryError) as caught:
        resolve_point(ExactTime(now + timedelta(seconds=1)), now=now, zone=ZoneInfo("UTC"))
    assert "is in the future" in caught.value.said


def at(hours: float) -> datetime:
    return datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=hours)


def test_ranges_merge_and_are_searched_edges_included() -> None:
    spans = merged(
        [Span(at(5), at(6)), Span(at(0), at(2)), Span(at(1), at(3)), Span(at(3), at(4)),
         Span(at(9), at(8))]  # reversed: dropped
    )  # fmt: skip
    assert spans == (Span(at(0), at(4)), Span(at(5), at(6)))
    assert holding(spans, at(0)) == spans[0]
    assert holding(spans, at(4)) == spans[0]
    assert holding(spans, at(4.5)) is None
    assert holding(spans, at(6)) == spans[1]
    assert holding(spans, at(-1)) is None
    assert before(spans, at(4.5)) == spans[0]
    assert after(spans, at(4.5)) == spans[1]
    assert before(spans, at(-1)) is None
    assert after(spans, at(7)) is None
    assert gaps(spans) == (Gap(at(4), at(5)),)


def backup(
    name: str, *, ended: float, status: str = "COMPLETED", mode: str | None = None
) -> Backup:
    values = {
        "id": f"{name:0<32}br07",
        "name": name,
        "begin_time": at(ended - 1),
        "end_time": at(ended),
        "status": status,
    }
    if mode is not None:
        values["backup_mode"] = mode
    return Backup.model_validate(values)


def test_a_restore_starts_from_the_newest_good_full_backup_ended_by_the_point() -> None:
    backups = [
        backup("old", ended=1, mode="completed"),
        backup("diff", ended=3, mode="differential"),
        backup("failed", ended=4, status="FAILED", mode="completed"),
        backup("legacy", ended=2),  # no backup_mode: older responses, a full backup
        backup("later", ended=6, mode="completed"),
    ]
    chosen = base_backup(backups, at(5))
    assert chosen is not None
    assert chosen.name == "legacy"
    exact = base_backup(backups, at(6))
    assert exact is not None
    assert exact.name == "later"
    assert base_backup(backups, at(0.5)) is None


def test_a_table_verdict_names_near_tables() -> None:
    then = frozenset({TableName("shop", "orders"), TableName("shop", "order_items")})
    verdict = table_verdict(TableName("shop", "order"), then=then, now=then)
    assert verdict.existed is False
    assert "shop.orders" in verdict.near
    gone = table_verdict(TableName("shop", "orders"), then=then, now=frozenset())
    assert (gone.existed, gone.exists_now) == (True, False)
    unknown = table_verdict(TableName("shop", "orders"), then=None, now=None)
    assert unknown.existed is None
