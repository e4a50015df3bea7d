"""Digest times in their own zone: 09:00 stays 09:00 local across DST, never twice or skipped."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.schedule.timing import candidate_days, next_due, scheduled_at

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("zone", "day", "expected_utc"),
    [
        (PARIS, date(2026, 3, 28), datetime(2026, 3, 28, 8, 0, tzinfo=UTC)),
        (PARIS, date(2026, 3, 29), datetime(2026, 3, 29, 7, 0, tzinfo=UTC)),  # change day
        (PARIS, date(2026, 3, 30), datetime(2026, 3, 30, 7, 0, tzinfo=UTC)),
        (PARIS, date(2026, 10, 24), datetime(2026, 10, 24, 7, 0, tzinfo=UTC)),
        (PARIS, date(2026, 10, 25), datetime(2026, 10, 25, 8, 0, tzinfo=UTC)),  # change day
        (NEW_YORK, date(2026, 3, 8), datetime(2026, 3, 8, 13, 0, tzinfo=UTC)),
        (NEW_YORK, date(2026, 11, 1), datetime(2026, 11, 1, 14, 0, tzinfo=UTC)),
    ],
)
def test_nine_oclock_is_nine_oclock_local_on_both_sides_of_a_change(
    zone: ZoneInfo, day: date, expected_utc: datetime
) -> None:
    moment = scheduled_at(day, time(9, 0), zone)
    assert moment == expected_utc
    assert moment.astimezone(zone).time() == time(9, 0)


def test_a_time_that_does_not_exist_lands_just_after_the_gap() -> None:
    # 02:30 does not exist in Paris on 2026-03-29: clocks jump from 02:00 to 03:00.
    moment = scheduled_at(date(2026, 3, 29), time(2, 30), PARIS)
    assert moment == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert moment.astimezone(PARIS).time() == time(3, 30)


def test_a_time_that_happens_twice_is_the_first_one() -> None:
    # 02:30 happens twice in Paris on 2026-10-25: first at +02:00, then at +01:00.
    moment = scheduled_at(date(2026, 10, 25), time(2, 30), PARIS)
    assert moment == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_candidate_days_are_local_dates_oldest_first() -> None:
    now = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)  # already the 28th in Tokyo
    days = candidate_days(now, ZoneInfo("Asia/Tokyo"), back=2)
    assert days == [date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 28)]


def test_next_due_is_strictly_after_now() -> None:
    now = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)  # 09:00 in Paris exactly
    assert next_due(now, time(9, 0), PARIS) == datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
    assert next_due(now, time(10, 0), PARIS) == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
