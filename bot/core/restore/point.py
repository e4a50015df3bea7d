"""The moment a restore question asks about, in absolute time.

Wall times are the asker's: a time that does not exist that day (clocks went forward)
is refused for a given day and skipped for "the most recent"; one that happens twice
(clocks went back) is the later one that has passed for "the most recent", the earlier
for a given day. The round trip through UTC tells which is which, zoneinfo's way.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import messages
from bot.core.restore.question import AskedTime, ClockTime, DayTime, ExactTime
from bot.errors import QueryError

LOOK_BACK_DAYS = 3  # a wall time missing on two days running does not happen


def _exists(moment: datetime) -> bool:
    """Whether a wall time in its zone survives the round trip (not skipped by DST)."""
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None)


def on_day(day: date, asked: ClockTime | DayTime, zone: ZoneInfo, *, fold: int) -> datetime | None:
    """`asked` on `day` in `zone`, in UTC; None when that wall time does not exist then."""
    wall = datetime.combine(day, asked.at, tzinfo=zone).replace(fold=fold)
    return wall.astimezone(UTC) if _exists(wall) else None


def resolve_point(asked: AskedTime, *, now: datetime, zone: ZoneInfo) -> datetime:
    """The instant asked about, in UTC; QueryError when it is in the future or does not exist."""
    if isinstance(asked, ExactTime):
        point = asked.at.astimezone(UTC)
    elif isinstance(asked, ClockTime):
        today = now.astimezone(zone).date()
        candidates = (
            on_day(today - timedelta(days=back), asked, zone, fold=fold)
            for back in range(LOOK_BACK_DAYS)
            for fold in (1, 0)
        )
        passed = [moment for moment in candidates if moment is not None and moment <= now]
        return max(passed)
    else:
        day = asked.day or now.astimezone(zone).date() - timedelta(days=asked.days_ago)
        found = on_day(day, asked, zone, fold=0)
        if found is None:
            raise QueryError(
                messages.no_such_wall_time(f"{day.isoformat()} {asked.at:%H:%M}", zone.key),
                messages.CLOCKS_WENT_FORWARD_HINT,
            )
        point = found
    if point > now:
        raise QueryError(
            messages.restore_point_in_future(point.astimezone(zone).strftime("%Y-%m-%d %H:%M")),
            messages.RESTORE_POINT_PAST_HINT,
        )
    return point
