"""Windows resolve to absolute bounds in the asker's time zone, across DST changes too."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.core.answering.window import ResolvedWindow, depends_on_zone, resolve
from bot.core.language.parse import parse_query
from bot.core.query import (
    Between,
    Last,
    LastNight,
    Since,
    SinceWeekday,
    SinceYesterday,
    ThisMonth,
    ThisWeek,
    Today,
    Unit,
    Window,
    Yesterday,
)
from bot.errors import QueryError

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")
SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
PARIS = ZoneInfo("Europe/Paris")
SANTIAGO = ZoneInfo("America/Santiago")
ONE_SECOND = timedelta(seconds=1)


def at(
    zone: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """A local wall time in `zone`."""
    return datetime(year, month, day, hour, minute, second, tzinfo=zone)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def wall(moment: datetime, zone: ZoneInfo) -> datetime:
    """The wall time in `zone` at the instant `moment` (through UTC: astimezone to the
    same zone returns the datetime unchanged, even a wall time that does not exist)."""
    return moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None)


def elapsed(begin: datetime, end: datetime) -> timedelta:
    """Real time between two instants (subtracting same-zone datetimes would use wall time)."""
    return end.astimezone(UTC) - begin.astimezone(UTC)


def begin_of(resolved: ResolvedWindow) -> datetime:
    assert resolved.begin is not None
    return resolved.begin


def bounds(resolved: ResolvedWindow) -> tuple[datetime, datetime]:
    assert resolved.begin is not None
    assert resolved.end is not None
    return resolved.begin, resolved.end


def local_midnight(moment: datetime, zone: ZoneInfo) -> bool:
    return wall(moment, zone).time() == time(0)


# --- each kind --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "unit", "span"),
    [
        (30, "m", timedelta(minutes=30)),
        (24, "h", timedelta(hours=24)),
        (7, "d", timedelta(days=7)),
        (2, "w", timedelta(weeks=2)),
    ],
    ids=["30m", "24h", "7d", "2w"],
)
def test_last_ends_open_at_now(amount: int, unit: Unit, span: timedelta) -> None:
    resolved = resolve(Last(amount, unit), now=NOW, zone=SHANGHAI)
    assert resolved.begin == NOW - span
    assert resolved.end is None
    assert resolved.label == f"last {amount}{unit}"


def test_last_day_in_a_dst_zone_is_24_elapsed_hours() -> None:
    now = utc(2026, 3, 29, 12)  # the Paris spring-forward day
    resolved = resolve(Last(24, "h"), now=now, zone=PARIS)
    assert resolved.begin is not None
    assert elapsed(resolved.begin, now) == timedelta(hours=24)


def test_no_window_is_any_time() -> None:
    resolved = resolve(None, now=NOW, zone=SHANGHAI)
    assert resolved == ResolvedWindow(None, None, "any time")
    assert resolved.phrase == "any time"


@pytest.mark.parametrize(
    ("zone", "now", "begin"),
    [
        pytest.param(UTC_ZONE, NOW, utc(2026, 11, 27), id="utc"),
        # 10:30 UTC is 18:30 in Shanghai: the same day, starting at 16:00 UTC the day before
        pytest.param(SHANGHAI, NOW, at(SHANGHAI, 2026, 11, 27), id="shanghai"),
        # 20:00 UTC is already the 28th in Shanghai
        pytest.param(
            SHANGHAI, utc(2026, 11, 27, 20), at(SHANGHAI, 2026, 11, 28), id="shanghai-ahead"
        ),
        # 03:00 UTC is still the 26th in New York
        pytest.param(
            NEW_YORK, utc(2026, 11, 27, 3), at(NEW_YORK, 2026, 11, 26), id="new-york-behind"
        ),
    ],
)
def test_today_starts_at_local_midnight(zone: ZoneInfo, now: datetime, begin: datetime) -> None:
    resolved = resolve(Today(), now=now, zone=zone)
    assert resolved.begin == begin
    assert local_midnight(begin_of(resolved), zone)
    assert resolved.end is None
    assert resolved.label == "today"


def test_today_in_shanghai_starts_the_utc_evening_before() -> None:
    resolved = resolve(Today(), now=NOW, zone=SHANGHAI)
    assert resolved.begin is not None
    assert resolved.begin.astimezone(UTC) == utc(2026, 11, 26, 16)


@pytest.mark.parametrize(
    ("zone", "now", "day"),
    [
        pytest.param(UTC_ZONE, NOW, date(2026, 11, 26), id="utc"),
        pytest.param(SHANGHAI, utc(2026, 11, 27, 20), date(2026, 11, 27), id="shanghai-ahead"),
        pytest.param(NEW_YORK, utc(2026, 11, 27, 3), date(2026, 11, 25), id="new-york-behind"),
    ],
)
def test_yesterday_is_the_whole_previous_local_day(
    zone: ZoneInfo, now: datetime, day: date
) -> None:
    resolved = resolve(Yesterday(), now=now, zone=zone)
    assert resolved.begin == datetime.combine(day, time(0), tzinfo=zone)
    assert resolved.end == datetime.combine(day, time(23, 59, 59), tzinfo=zone)
    assert resolved.label == "yesterday"


def test_yesterday_in_new_york_in_utc_terms() -> None:
    begin, end = bounds(resolve(Yesterday(), now=utc(2026, 11, 27, 3), zone=NEW_YORK))
    assert begin.astimezone(UTC) == utc(2026, 11, 25, 5)
    assert end.astimezone(UTC) == utc(2026, 11, 26, 4, 59, 59)


def test_since_a_date_starts_at_its_local_midnight_and_stays_open() -> None:
    resolved = resolve(Since(date(2026, 11, 1)), now=NOW, zone=NEW_YORK)
    assert resolved.begin == at(NEW_YORK, 2026, 11, 1)
    assert resolved.end is None
    assert resolved.label == "since 2026-11-01"


def test_since_an_instant_starts_exactly_there_whatever_the_zone() -> None:
    start = datetime(2026, 11, 1, 9, tzinfo=timezone(timedelta(hours=8)))
    resolved = resolve(Since(start), now=NOW, zone=NEW_YORK)
    assert resolved.begin == start
    assert resolved.end is None


def test_a_date_range_includes_both_whole_days() -> None:
    resolved = resolve(Between(date(2026, 11, 1), date(2026, 11, 3)), now=NOW, zone=SHANGHAI)
    assert resolved.begin == at(SHANGHAI, 2026, 11, 1)
    assert resolved.end == at(SHANGHAI, 2026, 11, 3, 23, 59, 59)
    assert elapsed(*bounds(resolved)) == timedelta(days=3) - ONE_SECOND
    assert resolved.label == "from 2026-11-01 to 2026-11-03"


def test_a_bare_date_is_that_whole_local_day() -> None:
    window = parse_query("2026-11-20").window
    resolved = resolve(window, now=NOW, zone=NEW_YORK)
    assert resolved.begin == at(NEW_YORK, 2026, 11, 20)
    assert resolved.end == at(NEW_YORK, 2026, 11, 20, 23, 59, 59)


def test_an_instant_range_is_exact() -> None:
    start, finish = utc(2026, 11, 20, 9), utc(2026, 11, 20, 17, 30)
    resolved = resolve(Between(start, finish), now=NOW, zone=SHANGHAI)
    assert (resolved.begin, resolved.end) == (start, finish)


def test_an_instant_to_a_date_includes_that_whole_day() -> None:
    start = utc(2026, 11, 20, 9)
    resolved = resolve(Between(start, date(2026, 11, 21)), now=NOW, zone=UTC_ZONE)
    assert (resolved.begin, resolved.end) == (start, utc(2026, 11, 21, 23, 59, 59))


@pytest.mark.parametrize(
    ("window", "zone"),
    [
        pytest.param(Between(date(2026, 11, 20), date(2026, 11, 27)), UTC_ZONE, id="to-today"),
        pytest.param(Between(date(2026, 11, 27), date(2026, 11, 27)), UTC_ZONE, id="today-alone"),
        pytest.param(Between(date(2026, 11, 20), date(2026, 12, 31)), UTC_ZONE, id="to-future"),
        pytest.param(
            Between(utc(2026, 11, 20), utc(2026, 11, 27, 10, 30)), UTC_ZONE, id="to-exactly-now"
        ),
        pytest.param(
            Between(utc(2026, 11, 20), utc(2026, 11, 28)), UTC_ZONE, id="to-a-future-instant"
        ),
        # 10:30 UTC is 18:30 in Shanghai, still the 27th there
        pytest.param(Between(date(2026, 11, 20), date(2026, 11, 27)), SHANGHAI, id="shanghai"),
    ],
)
def test_a_range_reaching_now_becomes_open_ended(window: Window, zone: ZoneInfo) -> None:
    resolved = resolve(window, now=NOW, zone=zone)
    assert resolved.begin is not None
    assert resolved.end is None


def test_a_range_ending_yesterday_keeps_its_end() -> None:
    resolved = resolve(Between(date(2026, 11, 20), date(2026, 11, 26)), now=NOW, zone=UTC_ZONE)
    assert resolved.end == datetime(2026, 11, 26, 23, 59, 59, tzinfo=UTC_ZONE)


def test_a_date_that_is_today_in_new_york_is_tomorrow_in_shanghai() -> None:
    now = utc(2026, 11, 27, 3)  # 22:00 on the 26th in New York, 11:00 on the 27th in Shanghai
    day = Between(date(2026, 11, 27), date(2026, 11, 27))
    assert resolve(day, now=now, zone=SHANGHAI).end is None
    with pytest.raises(QueryError):
        resolve(day, now=now, zone=NEW_YORK)


@pytest.mark.parametrize(
    "window",
    [
        pytest.param(Since(date(2026, 11, 28)), id="since-tomorrow"),
        pytest.param(Since(utc(2026, 11, 27, 10, 31)), id="since-a-minute-ahead"),
        pytest.param(Between(date(2026, 12, 1), date(2026, 12, 3)), id="range-next-month"),
        pytest.param(Between(date(2026, 11, 28), date(2026, 11, 28)), id="bare-tomorrow"),
    ],
)
def test_a_window_starting_in_the_future_is_refused(window: Window) -> None:
    with pytest.raises(QueryError) as caught:
        resolve(window, now=NOW, zone=UTC_ZONE)
    assert "starts in the future" in caught.value.said
    assert caught.value.hint == "pick a start before now"
    assert caught.value.word == caught.value.said.split("'")[1]


def test_a_mixed_range_ending_before_it_starts_is_refused() -> None:
    # the parser cannot order an instant against a day: resolve does, in the asker's zone
    window = Between(utc(2026, 11, 20, 12), date(2026, 11, 19))
    with pytest.raises(QueryError) as caught:
        resolve(window, now=NOW, zone=UTC_ZONE)
    assert "ends before it starts" in caught.value.said


def test_a_mixed_range_is_ordered_in_the_askers_zone() -> None:
    # 2026-11-20 02:00 UTC is still the 19th in New York: the 19th ends after it
    window = Between(utc(2026, 11, 20, 2), date(2026, 11, 19))
    resolved = resolve(window, now=NOW, zone=NEW_YORK)
    assert resolved.end == at(NEW_YORK, 2026, 11, 19, 23, 59, 59)


@pytest.mark.parametrize(
    "window",
    [pytest.param(Today(), id="today"), pytest.param(Since(date(2026, 11, 27)), id="since")],
)
def test_today_at_exactly_local_midnight_is_not_in_the_future(window: Window) -> None:
    now = at(SHANGHAI, 2026, 11, 27).astimezone(UTC)
    resolved = resolve(window, now=now, zone=SHANGHAI)
    assert resolved.begin == now


@pytest.mark.parametrize(
    "text", ["from 2026-11-01 to 9999-12-31", "9999-12-31", "from 2026-11-01T00:00Z to 9999-12-31"]
)
def test_the_last_representable_day_resolves_or_is_refused_as_a_query_error(text: str) -> None:
    try:
        resolved = resolve(parse_query(text).window, now=NOW, zone=UTC_ZONE)
    except QueryError:
        return
    assert resolved.end is None


# --- DST --------------------------------------------------------------------------------

# (zone, the change day, the day's real length, a UTC instant the day after the change)
DST_CHANGES = [
    pytest.param(PARIS, date(2026, 3, 29), timedelta(hours=23), id="paris-spring"),
    pytest.param(PARIS, date(2026, 10, 25), timedelta(hours=25), id="paris-autumn"),
    pytest.param(NEW_YORK, date(2026, 3, 8), timedelta(hours=23), id="new-york-spring"),
    pytest.param(NEW_YORK, date(2026, 11, 1), timedelta(hours=25), id="new-york-autumn"),
]


def _noon_utc(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


@pytest.mark.parametrize(("zone", "change", "length"), DST_CHANGES)
def test_yesterday_and_today_start_at_local_midnight_across_a_dst_change(
    zone: ZoneInfo, change: date, length: timedelta
) -> None:
    now = _noon_utc(change + timedelta(days=1))
    yesterday = resolve(Yesterday(), now=now, zone=zone)
    today = resolve(Today(), now=now, zone=zone)
    yesterday_begin, yesterday_end = bounds(yesterday)
    today_begin = begin_of(today)
    assert local_midnight(yesterday_begin, zone)
    assert local_midnight(today_begin, zone)
    assert wall(yesterday_begin, zone).date() == change
    assert yesterday_begin.utcoffset() != today_begin.utcoffset()
    assert elapsed(yesterday_begin, today_begin) == length
    assert elapsed(yesterday_end, today_begin) == ONE_SECOND


@pytest.mark.parametrize(("zone", "change", "length"), DST_CHANGES)
def test_today_on_the_change_day_starts_at_local_midnight(
    zone: ZoneInfo, change: date, length: timedelta
) -> None:
    before, on, after = (
        begin_of(resolve(Today(), now=_noon_utc(change + timedelta(days=shift)), zone=zone))
        for shift in (-1, 0, 1)
    )
    assert all(local_midnight(moment, zone) for moment in (before, on, after))
    assert elapsed(before, on) == timedelta(hours=24)
    assert elapsed(on, after) == length
    # the change happens during the day: its midnight still has the offset of the day before
    assert on.utcoffset() == before.utcoffset() != after.utcoffset()


@pytest.mark.parametrize(("zone", "change", "length"), DST_CHANGES)
def test_a_range_over_the_change_day_has_its_real_length(
    zone: ZoneInfo, change: date, length: timedelta
) -> None:
    now = _noon_utc(change + timedelta(days=5))
    one_day = resolve(Between(change, change), now=now, zone=zone)
    three_days = resolve(
        Between(change - timedelta(days=1), change + timedelta(days=1)), now=now, zone=zone
    )
    assert elapsed(*bounds(one_day)) == length - ONE_SECOND
    assert elapsed(*bounds(three_days)) == length + timedelta(days=2) - ONE_SECOND
    assert wall(bounds(one_day)[1], zone).time() == time(23, 59, 59)


def test_where_midnight_does_not_exist_today_starts_at_the_first_real_instant() -> None:
    # Chile springs forward at 00:00 on 2026-09-06: 23:59:59 -04 is followed by 01:00 -03
    today = resolve(Today(), now=utc(2026, 9, 6, 12), zone=SANTIAGO)
    assert today.begin is not None
    assert today.begin.astimezone(UTC) == utc(2026, 9, 6, 4)
    assert wall(today.begin, SANTIAGO) == datetime(2026, 9, 6, 1)


def test_where_midnight_does_not_exist_the_day_before_ends_just_before_it() -> None:
    begin, end = bounds(
        resolve(Between(date(2026, 9, 5), date(2026, 9, 5)), now=NOW, zone=SANTIAGO)
    )
    assert end.astimezone(UTC) == utc(2026, 9, 6, 3, 59, 59)
    assert elapsed(begin, end) == timedelta(hours=24) - ONE_SECOND


def test_a_day_whose_last_hour_repeats_includes_both_of_them() -> None:
    begin, end = bounds(
        resolve(Between(date(2026, 4, 4), date(2026, 4, 4)), now=NOW, zone=SANTIAGO)
    )
    assert end.astimezone(UTC) == utc(2026, 4, 5, 3, 59, 59)
    assert elapsed(begin, end) == timedelta(hours=25) - ONE_SECOND


# --- words people type: this week, this month, last night, since monday -----------------

# NOW, 2026-11-27 10:30 UTC, is a Friday: 18:30 in Shanghai, 05:30 in New York.
MONDAY, SATURDAY, SUNDAY, FRIDAY = 0, 5, 6, 4


@pytest.mark.parametrize(
    ("window", "zone", "now", "begin"),
    [
        pytest.param(ThisWeek(), UTC_ZONE, NOW, utc(2026, 11, 23), id="this-week"),
        pytest.param(ThisWeek(), SHANGHAI, NOW, utc(2026, 11, 22, 16), id="this-week-shanghai"),
        pytest.param(
            ThisWeek(), UTC_ZONE, utc(2026, 11, 23, 0, 0, 1), utc(2026, 11, 23), id="on-monday"
        ),
        pytest.param(ThisWeek(), UTC_ZONE, utc(2026, 11, 29, 23), utc(2026, 11, 23), id="sunday"),
        # 20:00 UTC on Sunday is already Monday in Shanghai: a new week there
        pytest.param(
            ThisWeek(), SHANGHAI, utc(2026, 11, 29, 20), utc(2026, 11, 29, 16), id="new-week-east"
        ),
        pytest.param(ThisMonth(), UTC_ZONE, NOW, utc(2026, 11, 1), id="this-month"),
        pytest.param(ThisMonth(), NEW_YORK, NOW, utc(2026, 11, 1, 4), id="this-month-new-york"),
        # 03:00 UTC on 1 December is still November in New York
        pytest.param(
            ThisMonth(), NEW_YORK, utc(2026, 12, 1, 3), utc(2026, 11, 1, 4), id="month-west"
        ),
        pytest.param(SinceWeekday(MONDAY), UTC_ZONE, NOW, utc(2026, 11, 23), id="since-monday"),
        pytest.param(SinceWeekday(FRIDAY), UTC_ZONE, NOW, utc(2026, 11, 27), id="since-today"),
        pytest.param(SinceWeekday(SATURDAY), UTC_ZONE, NOW, utc(2026, 11, 21), id="since-sat"),
        pytest.param(SinceWeekday(SUNDAY), SHANGHAI, NOW, utc(2026, 11, 21, 16), id="sun-east"),
        pytest.param(SinceYesterday(), UTC_ZONE, NOW, utc(2026, 11, 26), id="since-yesterday"),
        pytest.param(SinceYesterday(), NEW_YORK, NOW, utc(2026, 11, 26, 5), id="since-yday-ny"),
    ],
)
def test_words_for_since_a_local_midnight(
    window: Window, zone: ZoneInfo, now: datetime, begin: datetime
) -> None:
    resolved = resolve(window, now=now, zone=zone)
    assert resolved.begin == begin
    assert resolved.end is None
    assert local_midnight(begin_of(resolved), zone)


def test_last_night_is_yesterday_evening_to_this_morning() -> None:
    resolved = resolve(LastNight(), now=NOW, zone=UTC_ZONE)
    assert bounds(resolved) == (utc(2026, 11, 26, 18), utc(2026, 11, 27, 8, 59, 59))
    assert resolved.label == resolved.phrase == "last night"


def test_last_night_asked_before_nine_reaches_now() -> None:
    resolved = resolve(LastNight(), now=utc(2026, 11, 27, 2), zone=UTC_ZONE)
    assert (resolved.begin, resolved.end) == (utc(2026, 11, 26, 18), None)


def test_last_night_is_in_the_askers_zone() -> None:
    # 10:30 UTC is 18:30 in Shanghai: last night there ended at 09:00, 01:00 UTC
    resolved = resolve(LastNight(), now=NOW, zone=SHANGHAI)
    assert bounds(resolved) == (utc(2026, 11, 26, 10), utc(2026, 11, 27, 0, 59, 59))


@pytest.mark.parametrize(
    ("now", "length"),
    [
        pytest.param(utc(2026, 3, 8, 16), timedelta(hours=14), id="spring-forward"),
        pytest.param(utc(2026, 11, 1, 17), timedelta(hours=16), id="fall-back"),
    ],
)
def test_last_night_over_a_dst_change_has_its_real_length(now: datetime, length: timedelta) -> None:
    begin, end = bounds(resolve(LastNight(), now=now, zone=NEW_YORK))
    assert wall(begin, NEW_YORK).time() == time(18)
    assert wall(end, NEW_YORK).time() == time(8, 59, 59)
    assert elapsed(begin, end) == length - ONE_SECOND


@pytest.mark.parametrize(("zone", "change", "length"), DST_CHANGES)
def test_this_week_and_since_monday_start_at_local_midnight_across_a_dst_change(
    zone: ZoneInfo, change: date, length: timedelta
) -> None:
    # every change day above is a Sunday: asked on it, the week began six days before
    assert change.weekday() == SUNDAY
    now = _noon_utc(change)
    week, monday = (
        begin_of(resolve(window, now=now, zone=zone))
        for window in (ThisWeek(), SinceWeekday(MONDAY))
    )
    assert week == monday
    assert wall(week, zone) == datetime.combine(change - timedelta(days=6), time(0))
    # Monday to Saturday are whole days: the change comes during Sunday, before noon UTC
    assert elapsed(week, begin_of(resolve(Today(), now=now, zone=zone))) == timedelta(days=6)
    assert week.utcoffset() != now.astimezone(zone).utcoffset()


def test_since_a_weekday_whose_midnight_does_not_exist_starts_at_the_first_real_instant() -> None:
    # Chile springs forward at 00:00 on Sunday 2026-09-06: 01:00 -03 is its first instant
    resolved = resolve(SinceWeekday(SUNDAY), now=utc(2026, 9, 8, 12), zone=SANTIAGO)
    assert resolved.begin is not None
    assert resolved.begin.astimezone(UTC) == utc(2026, 9, 6, 4)


@pytest.mark.parametrize(
    ("window", "depends"),
    [
        (Last(7, "d"), False),
        (None, False),
        (Today(), True),
        (ThisWeek(), True),
        (LastNight(), True),
        (SinceWeekday(MONDAY), True),
        (Since(date(2026, 11, 1)), True),
    ],
    ids=str,
)
def test_only_windows_of_days_depend_on_the_askers_zone(
    window: Window | None, depends: bool
) -> None:
    assert depends_on_zone(window) is depends


# --- phrase -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("window", "phrase"),
    [
        (Last(7, "d"), "in the last 7d"),
        (Last(30, "m"), "in the last 30m"),
        (Today(), "today"),
        (Yesterday(), "yesterday"),
        (Since(date(2026, 11, 1)), "since 2026-11-01"),
        (Between(date(2026, 11, 1), date(2026, 11, 3)), "from 2026-11-01 to 2026-11-03"),
        (ThisWeek(), "this week"),
        (ThisMonth(), "this month"),
        (LastNight(), "last night"),
        (SinceWeekday(2), "since wednesday"),
        (SinceYesterday(), "since yesterday"),
    ],
    ids=lambda value: str(value),
)
def test_phrase_reads_inside_a_sentence(window: Window, phrase: str) -> None:
    assert resolve(window, now=NOW, zone=UTC_ZONE).phrase == phrase
