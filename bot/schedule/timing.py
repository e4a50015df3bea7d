"""When a daily digest is due, in its own time zone, right across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def scheduled_at(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The instant of `at` local time on `day`, in UTC.

    Where `at` happens twice (clocks go back), the first one; where it does not exist
    (clocks go forward), the same wall time on the old offset, which lands just after
    the gap: never twice, never skipped. The send key is the local date, so even a
    re-run cannot send a day twice.
    """
    return datetime.combine(day, at, tzinfo=zone).replace(fold=0).astimezone(UTC)


def candidate_days(now: datetime, zone: ZoneInfo, *, back: int) -> list[date]:
    """Local dates worth checking at `now`: today and the `back` days before, oldest first."""
    today = now.astimezone(zone).date()
    return [today - timedelta(days=offset) for offset in range(back, -1, -1)]


def next_due(now: datetime, at: time, zone: ZoneInfo) -> datetime:
    """The next scheduled instant strictly after `now`."""
    for day in candidate_days(now + timedelta(days=2), zone, back=3):
        moment = scheduled_at(day, at, zone)
        if moment > now:
            return moment
    raise AssertionError("a daily schedule is due within two days")
