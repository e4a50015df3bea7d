"""Turning a window of words into the times the API takes, in the asker's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import messages
from bot.core.bounds import WindowFault, window_fault
from bot.core.language.canonical import window_text as words_of
from bot.core.query import (
    Between,
    Last,
    LastNight,
    Moment,
    Since,
    SinceWeekday,
    SinceYesterday,
    ThisMonth,
    ThisWeek,
    Today,
    Window,
    Yesterday,
)
from bot.errors import QueryError

UNIT_DELTAS = {
    "m": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
}
ONE_SECOND = timedelta(seconds=1)
ONE_DAY = timedelta(days=1)
NIGHT_STARTS, NIGHT_ENDS = time(18), time(9)


@dataclass(frozen=True)
class ResolvedWindow:
    """Absolute bounds: `end` None means "up to now" (sent open-ended)."""

    begin: datetime | None
    end: datetime | None
    label: str

    def contains(self, moment: datetime) -> bool:
        """Whether `moment` falls within the window."""
        after_begin = self.begin is None or moment >= self.begin
        return after_begin and (self.end is None or moment <= self.end)

    @property
    def phrase(self) -> str:
        """The window inside a sentence: 'in the last 7d', 'today', 'from X to Y'."""
        if self.label.startswith("last ") and self.label[5:6].isdigit():
            return messages.in_the_last(self.label)
        return self.label


def depends_on_zone(window: Window | None) -> bool:
    """Whether the asker's time zone changes the window's bounds ("last 7d" it does not)."""
    return not isinstance(window, Last | None)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    # zoneinfo picks the right offset on both sides of a DST change; where midnight
    # does not exist (a spring-forward at 00:00), it lands on the first real instant.
    return _wall(day, time(0), zone)


def _wall(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone)


def _start_of(moment: Moment, zone: ZoneInfo) -> datetime:
    return moment if isinstance(moment, datetime) else _midnight(moment, zone)


def _last_second_before(moment: datetime) -> datetime:
    # In UTC: wall-clock arithmetic in the zone would pick the first of two repeated
    # 23:59:59s where a day ends by falling back (Chile at 24:00).
    return moment.astimezone(UTC) - ONE_SECOND


def _end_of(moment: Moment, zone: ZoneInfo) -> datetime:
    if isinstance(moment, datetime):
        return moment
    return _last_second_before(_midnight(moment + timedelta(days=1), zone))


def resolve(window: Window | None, *, now: datetime, zone: ZoneInfo) -> ResolvedWindow:
    """Absolute bounds of `window` as seen at `now` by someone in `zone`.

    Raises QueryError for windows that start in the future or end before they begin.
    """
    if window is None:
        return ResolvedWindow(None, None, "any time")
    now = now.astimezone(UTC)  # durations are real time, not wall-clock time
    local_today = now.astimezone(zone).date()
    match window:
        case Last(amount, unit):
            begin, end = now - amount * UNIT_DELTAS[unit], None
        case Today():
            begin, end = _midnight(local_today, zone), None
        case Yesterday():
            begin = _midnight(local_today - ONE_DAY, zone)
            end = _last_second_before(_midnight(local_today, zone))
        case Since(start):
            begin, end = _start_of(start, zone), None
        case Between(start, finish):
            begin, end = _start_of(start, zone), _end_of(finish, zone)
        case ThisWeek():
            begin, end = _midnight(local_today - local_today.weekday() * ONE_DAY, zone), None
        case ThisMonth():
            begin, end = _midnight(local_today.replace(day=1), zone), None
        case LastNight():
            begin = _wall(local_today - ONE_DAY, NIGHT_STARTS, zone)
            end = _last_second_before(_wall(local_today, NIGHT_ENDS, zone))
        case SinceWeekday(weekday):
            days_back = (local_today.weekday() - weekday) % 7
            begin, end = _midnight(local_today - days_back * ONE_DAY, zone), None
        case SinceYesterday():
            begin, end = _midnight(local_today - ONE_DAY, zone), None
    fault = window_fault(begin, end, now=now)
    if fault is WindowFault.STARTS_IN_THE_FUTURE:
        raise QueryError(
            messages.starts_in_the_future(words_of(window)),
            messages.PICK_AN_EARLIER_START,
            word=words_of(window),
        )
    if fault in (WindowFault.ENDS_BEFORE_IT_STARTS, WindowFault.EMPTY):
        raise QueryError(
            messages.ends_before_it_starts(words_of(window)),
            messages.SWAP_THE_TIMES,
            word=words_of(window),
        )
    # A window that reaches now (or beyond: "to 2026-12-31") is sent open-ended.
    if end is not None and end >= now:
        end = None
    return ResolvedWindow(begin, end, words_of(window))
