"""The policy-aware health model, against expectations worked out by hand.

Unless a test says otherwise, "now" is Friday 2026-11-27 10:30 UTC, the reader is in
UTC, the backups read cover the last 14 days, and the settings are the defaults (30 min
grace, retry 30 min after a failure, 26 h threshold).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.backup import Backup
from bot.core.health.assess import assess, describe
from bot.core.health.instances import (
    BackupPolicy,
    Instance,
    PolicyRead,
    PolicyUnreadable,
    Schedule,
    parse_period,
    parse_window,
)
from bot.core.health.reports import (
    DEFAULT_SETTINGS,
    DayMark,
    HealthReport,
    HealthSettings,
    Mark,
    Outcome,
    State,
)

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)  # a Friday
UTC_ZONE = ZoneInfo("UTC")
LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)
DAILY = "1,2,3,4,5,6,7"
DAYS = [date(2026, 11, 14) + timedelta(days=n) for n in range(14)]  # Sat 14 .. Fri 27


def at(day: int, hour: int, minute: int = 0, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def instance(
    name: str = "orders-prod", *, status: str = "ACTIVE", created: datetime = LONG_AGO
) -> Instance:
    instance_id = hashlib.sha256(name.encode()).hexdigest()[:32] + "in07"
    return Instance(id=instance_id, name=name, status=status, created=created)


def policy(
    start: str | None = "02:00-03:00", period: str | None = DAILY, keep_days: int = 7
) -> BackupPolicy:
    return BackupPolicy(keep_days=keep_days, start_time=start, period=period)


def backup(
    owner: Instance,
    begin: datetime,
    *,
    minutes: int | None = 10,
    status: str = "COMPLETED",
    kind: str = "auto",
) -> Backup:
    return Backup(
        id=f"{owner.name}-{begin:%Y%m%d%H%M}",
        begin_time=begin,
        end_time=None if minutes is None else begin + timedelta(minutes=minutes),
        status=status,
        type=kind,
        instance_id=owner.id,
        instance_name=owner.name,
    )


def daily(owner: Instance, first: datetime, count: int) -> list[Backup]:
    """`count` good automated backups a day apart, from `first` on."""
    return [backup(owner, first + timedelta(days=n)) for n in range(count)]


def judge(
    owner: Instance,
    read: PolicyRead,
    backups: Iterable[Backup],
    *,
    now: datetime = NOW,
    zone: ZoneInfo = UTC_ZONE,
    covered_since: datetime | None = None,
    settings: HealthSettings = DEFAULT_SETTINGS,
) -> HealthReport:
    rows = sorted(backups, key=lambda b: b.begin_time, reverse=True)
    health = assess(
        [owner],
        {owner.id: read},
        rows,
        now=now,
        covered_since=covered_since or now - timedelta(days=14),
        zone=zone,
        settings=settings,
    )
    (report,) = health.reports
    return report


def marks(report: HealthReport) -> dict[date, Mark]:
    return {day_mark.day: day_mark.mark for day_mark in report.timeline}


# --- reading policies ----------------------------------------------------------------


def test_windows_are_read_as_utc_start_and_length() -> None:
    assert parse_window("02:00-03:00") == (time(2, 0), timedelta(hours=1))
    assert parse_window("23:00-00:00") == (time(23, 0), timedelta(hours=1))
    with pytest.raises(ValueError, match="not hh:mm-HH:MM"):
        parse_window("2am")
    with pytest.raises(ValueError, match="empty"):
        parse_window("03:00-03:00")


def test_period_numbers_are_iso_weekdays() -> None:
    assert parse_period("1,2,3,4") == frozenset({1, 2, 3, 4})  # Monday to Thursday (SDK)
    assert parse_period("7") == frozenset({7})
    with pytest.raises(ValueError, match="not 1-7"):
        parse_period("0,8")


def test_longest_gap_follows_the_weekdays() -> None:
    hour = timedelta(hours=1)
    assert Schedule(time(2), hour, parse_period(DAILY)).longest_gap == timedelta(days=1)
    assert Schedule(time(2), hour, parse_period("1")).longest_gap == timedelta(days=7)
    assert Schedule(time(2), hour, parse_period("1,2,3,4,5")).longest_gap == timedelta(days=3)
    assert Schedule(time(2), hour, parse_period("1,4")).longest_gap == timedelta(days=4)


def test_expectations_read_in_utc_and_in_the_readers_zone() -> None:
    weekly = policy("23:00-00:00", "7").schedule()
    assert weekly is not None
    shanghai = ZoneInfo("Asia/Shanghai")
    assert describe(weekly, zone=shanghai, now=NOW) == (
        "Sun 23:00-00:00 UTC (Mon 07:00-08:00 Asia/Shanghai)"
    )
    assert describe(weekly, zone=UTC_ZONE, now=NOW) == "Sun 23:00-00:00 UTC"
    workdays = policy("02:00-03:00", "1,2,3,4,5").schedule()
    assert workdays is not None
    assert describe(workdays, zone=ZoneInfo("America/New_York"), now=NOW) == (
        "Mon, Tue, Wed, Thu, Fri 02:00-03:00 UTC (Sun, Mon, Tue, Wed, Thu 21:00-22:00 "
        "America/New_York)"
    )


# --- ok, daily and weekly ------------------------------------------------------------


def test_daily_policy_with_every_backup_is_ok() -> None:
    orders = instance()
    report = judge(orders, policy(), daily(orders, at(14, 2, 10), 14))
    assert report.state is State.OK
    assert report.reason == "backed up at 02:10"
    assert report.allowed_age == timedelta(hours=26)  # 24 h + 1 h window + 30 min + 30 min
    assert report.last_good_age == timedelta(hours=8, minutes=20)
    assert not report.overdue
    assert report.timeline == tuple(DayMark(day, Mark.GOOD) for day in DAYS)


def test_weekly_policy_is_ok_four_days_after_its_backup() -> None:
    archive = instance("archive-prod")
    mondays = [backup(archive, at(16, 2, 10)), backup(archive, at(23, 2, 10))]
    report = judge(archive, policy(period="1"), mondays)
    assert report.state is State.OK
    assert report.reason == "backed up at Mon 02:10"
    assert report.allowed_age == timedelta(days=7, hours=2)
    assert report.last_good_age == timedelta(days=4, hours=8, minutes=20)
    assert not report.overdue  # the 26 h threshold alone would have called it stale
    expected = dict.fromkeys(DAYS, Mark.NONE_EXPECTED)
    expected[date(2026, 11, 16)] = expected[date(2026, 11, 23)] = Mark.GOOD
    assert marks(report) == expected


def test_weekly_policy_whose_last_window_passed_empty_is_missed() -> None:
    archive = instance("archive-prod")
    report = judge(archive, policy(period="1"), [backup(archive, at(16, 2, 10))])
    assert report.state is State.MISSED
    assert report.reason == "no backup started in the Mon 02:00-03:00 window"
    assert report.judged is not None
    assert report.judged.start == at(23, 2)
    assert marks(report)[date(2026, 11, 23)] is Mark.MISSED
    assert report.overdue  # 11 days against 7 d 2 h allowed


# --- windows crossing midnight, and the reader's zone --------------------------------


def test_window_crossing_midnight_utc_keeps_a_late_retry_in_its_window() -> None:
    orders = instance()
    rows = daily(orders, at(13, 23, 20), 13)  # Nov 13 .. Nov 25, 23:20
    rows += [
        backup(orders, at(26, 23, 40), minutes=3, status="FAILED"),
        backup(orders, at(27, 0, 13)),  # TaurusDB's retry, after midnight
    ]
    report = judge(orders, policy("23:00-00:00"), rows)
    assert report.state is State.OK
    assert report.reason == "backed up at 00:13, after a failure at Thu 23:40"
    assert report.judged is not None
    assert report.judged.start == at(26, 23)
    timeline = marks(report)
    assert timeline[date(2026, 11, 26)] is Mark.GOOD
    assert timeline[date(2026, 11, 27)] is Mark.PENDING  # tonight's window is to come


def test_window_crossing_midnight_is_marked_on_the_readers_day() -> None:
    orders = instance()
    rows = daily(orders, at(13, 23, 20), 14)  # Nov 13 .. Nov 26, 23:20 UTC
    report = judge(orders, policy("23:00-00:00"), rows, zone=ZoneInfo("Asia/Shanghai"))
    assert report.state is State.OK
    assert report.reason == "backed up at 07:20"  # Friday 07:20 in Shanghai
    # Each window starts at 07:00 the next day in Shanghai: Nov 13 23:00 UTC is Nov 14.
    assert report.timeline == tuple(DayMark(day, Mark.GOOD) for day in DAYS)


def test_a_25_hour_day_holds_two_windows_and_shows_the_worst() -> None:
    # London leaves summer time on Sunday 2026-10-25 at 01:00 UTC.
    london = ZoneInfo("Europe/London")
    now = at(27, 10, 30, month=10)
    orders = instance()
    rows = daily(orders, at(12, 23, 20, month=10), 15)  # Oct 12 .. Oct 26, 23:20 UTC
    rows = [row for row in rows if row.begin_time != at(24, 23, 20, month=10)]
    rows += [
        backup(orders, at(24, 23, 20, month=10), minutes=3, status="FAILED"),
        backup(orders, at(24, 23, 53, month=10), minutes=3, status="FAILED"),
    ]
    report = judge(orders, policy("23:00-00:00"), rows, now=now, zone=london)
    timeline = marks(report)
    # Oct 24 23:00 UTC is Oct 25 00:00 BST; Oct 25 23:00 UTC is Oct 25 23:00 GMT.
    assert timeline[date(2026, 10, 25)] is Mark.FAILED
    assert timeline[date(2026, 10, 24)] is Mark.GOOD
    assert timeline[date(2026, 10, 26)] is Mark.GOOD
    assert timeline[date(2026, 10, 27)] is Mark.PENDING
    assert report.state is State.OK  # the latest window (Oct 26 23:00 UTC) is good


def test_a_23_hour_day_may_hold_no_window() -> None:
    # London enters summer time on Sunday 2026-03-29 at 01:00 UTC.
    london = ZoneInfo("Europe/London")
    now = at(31, 10, 30, month=3)
    orders = instance()
    rows = daily(orders, at(16, 23, 20, month=3), 15)  # Mar 16 .. Mar 30, 23:20 UTC
    report = judge(orders, policy("23:00-00:00"), rows, now=now, zone=london)
    timeline = marks(report)
    assert timeline[date(2026, 3, 28)] is Mark.GOOD  # Mar 28 23:00 UTC = 23:00 GMT
    assert timeline[date(2026, 3, 29)] is Mark.NONE_EXPECTED
    assert timeline[date(2026, 3, 30)] is Mark.GOOD  # Mar 29 23:00 UTC = Mar 30 00:00 BST
    schedule = policy("23:00-00:00").schedule()
    assert schedule is not None
    assert describe(schedule, zone=london, now=now) == (
        "daily 23:00-00:00 UTC (daily 00:00-01:00 Europe/London)"
    )


# --- failures and retries ------------------------------------------------------------


def _yesterday_and_before(owner: Instance) -> list[Backup]:
    return daily(owner, at(13, 2, 10), 14)  # Nov 13 .. Nov 26


def test_failure_then_successful_retry_is_ok() -> None:
    orders = instance()
    rows = [
        *_yesterday_and_before(orders),
        backup(orders, at(27, 2, 10), minutes=3, status="FAILED"),
        backup(orders, at(27, 2, 43), minutes=12),
    ]
    report = judge(orders, policy(), rows)
    assert report.state is State.OK
    assert report.reason == "backed up at 02:43, after a failure at 02:10"
    assert marks(report)[date(2026, 11, 27)] is Mark.GOOD


def test_failure_waits_for_taurusdbs_retry() -> None:
    orders = instance()
    rows = [
        *_yesterday_and_before(orders),
        backup(orders, at(27, 2, 10), minutes=3, status="FAILED"),
    ]
    report = judge(orders, policy(), rows, now=at(27, 2, 30))
    assert report.state is State.FAILED
    assert report.reason == "backup failed at 02:10 — TaurusDB retries at about 02:43"
    assert report.judged is not None
    assert report.judged.outcome is Outcome.RETRY_PENDING
    assert report.judged.retry_at == at(27, 2, 43)  # the failure ended 02:13, + 30 min
    assert marks(report)[date(2026, 11, 27)] is Mark.RETRYING


def test_failure_then_failed_retry() -> None:
    orders = instance()
    rows = [
        *_yesterday_and_before(orders),
        backup(orders, at(27, 2, 10), minutes=3, status="FAILED"),
        backup(orders, at(27, 2, 43), minutes=2, status="FAILED"),
    ]
    report = judge(orders, policy(), rows)
    assert report.state is State.FAILED_AFTER_RETRY
    assert report.reason == "backup failed at 02:10, and the retry at 02:43 failed too"
    assert marks(report)[date(2026, 11, 27)] is Mark.FAILED


def test_failure_with_no_retry_by_its_deadline_is_failed_after_retry() -> None:
    orders = instance()
    rows = [
        *_yesterday_and_before(orders),
        backup(orders, at(27, 2, 10), minutes=3, status="FAILED"),
    ]
    still_waiting = judge(orders, policy(), rows, now=at(27, 3, 12))
    assert still_waiting.state is State.FAILED
    given_up = judge(orders, policy(), rows, now=at(27, 3, 14))
    assert given_up.state is State.FAILED_AFTER_RETRY
    assert given_up.reason == "backup failed at 02:10, and no retry started by 03:13"


def test_retry_delay_and_grace_are_settings() -> None:
    orders = instance()
    rows = [
        *_yesterday_and_before(orders),
        backup(orders, at(27, 2, 10), minutes=3, status="FAILED"),
    ]
    patient = HealthSettings(retry_delay=timedelta(hours=1), grace=timedelta(minutes=10))
    report = judge(orders, policy(), rows, now=at(27, 3, 20), settings=patient)
    assert report.reason == "backup failed at 02:10 — TaurusDB retries at about 03:13"


# --- running, open and missed windows -----------------------------------------------


def test_backup_running_now() -> None:
    orders = instance()
    rows = [
        *_yesterday_and_before(orders),
        backup(orders, at(27, 2, 10), minutes=None, status="BUILDING"),
    ]
    report = judge(orders, policy(), rows, now=at(27, 2, 30))
    assert report.state is State.RUNNING
    assert report.reason == "backup running since 02:10"
    assert marks(report)[date(2026, 11, 27)] is Mark.RUNNING


def test_retry_running_after_a_failure() -> None:
    orders = instance()
    rows = [
        *_yesterday_and_before(orders),
        backup(orders, at(27, 2, 10), minutes=3, status="FAILED"),
        backup(orders, at(27, 2, 43), minutes=None, status="BUILDING"),
    ]
    report = judge(orders, policy(), rows, now=at(27, 2, 50))
    assert report.state is State.RUNNING
    assert report.reason == "retry running since 02:43, after a failure at 02:10"


def test_an_open_window_with_nothing_yet_is_judged_by_the_one_before() -> None:
    orders = instance()
    report = judge(orders, policy(), _yesterday_and_before(orders), now=at(27, 2, 30))
    assert report.state is State.OK
    assert report.reason == "backed up at Thu 02:10"
    assert marks(report)[date(2026, 11, 27)] is Mark.PENDING


def test_a_window_is_missed_once_its_grace_is_over() -> None:
    orders = instance()
    rows = _yesterday_and_before(orders)
    assert judge(orders, policy(), rows, now=at(27, 3, 29)).state is State.OK
    report = judge(orders, policy(), rows, now=at(27, 3, 30))
    assert report.state is State.MISSED
    assert report.reason == "no backup started in the 02:00-03:00 window"
    assert marks(report)[date(2026, 11, 27)] is Mark.MISSED


def test_a_late_start_still_counts_for_its_window() -> None:
    orders = instance()
    rows = [*_yesterday_and_before(orders), backup(orders, at(27, 5, 0))]
    report = judge(orders, policy(), rows)
    assert report.state is State.OK
    assert report.reason == "backed up at 05:00"


def test_manual_backups_do_not_stand_in_for_automated_ones() -> None:
    orders = instance()
    rows = [*_yesterday_and_before(orders), backup(orders, at(27, 2, 30), kind="manual")]
    report = judge(orders, policy(), rows)
    assert report.state is State.MISSED
    assert report.last_good is not None
    assert report.last_good.begin_time == at(27, 2, 30)  # but it is the last good backup


# --- new instances, policies off, no backups, abnormal status ------------------------


def test_instance_created_two_days_ago_expects_nothing_before() -> None:
    fresh = instance("fresh-prod", created=at(25, 10))
    rows = [backup(fresh, at(26, 2, 10)), backup(fresh, at(27, 2, 10))]
    report = judge(fresh, policy(), rows)
    assert report.state is State.OK
    expected = dict.fromkeys(DAYS, Mark.NONE_EXPECTED)  # Nov 25 02:00 came before it
    expected[date(2026, 11, 26)] = expected[date(2026, 11, 27)] = Mark.GOOD
    assert marks(report) == expected


def test_instance_created_two_days_ago_without_backups_has_none_at_all() -> None:
    fresh = instance("fresh-prod", created=at(25, 10))
    report = judge(fresh, policy(), [])
    assert report.state is State.NO_BACKUPS
    assert report.reason == ("no backups at all in the last 14 d; expected daily 02:00-03:00 UTC")
    assert marks(report)[date(2026, 11, 26)] is Mark.MISSED
    assert marks(report)[date(2026, 11, 25)] is Mark.NONE_EXPECTED


def test_instance_created_before_its_first_window_is_ok_until_then() -> None:
    fresh = instance("fresh-prod", created=at(27, 7, 30))
    report = judge(fresh, policy(), [])
    assert report.state is State.OK
    assert report.reason == "new instance, created 3 h ago; first backup due Sat 02:00-03:00"
    assert marks(report)[date(2026, 11, 27)] is Mark.NONE_EXPECTED


def test_policy_off_is_no_automated_backups() -> None:
    scratch = instance("scratch-dev")
    rows = [backup(scratch, at(24, 9), kind="manual")]  # 3 d 1 h 30 min ago
    report = judge(scratch, policy(None, None, keep_days=0), rows)
    assert report.state is State.NO_AUTOMATED
    assert report.reason == "automated backups are off (keep_days 0); last good backup 3 d ago"
    assert report.allowed_age is None
    assert not report.overdue
    assert report.timeline == tuple(DayMark(day, Mark.NONE_EXPECTED) for day in DAYS)


def test_policy_off_and_no_backups_is_no_backups_at_all() -> None:
    scratch = instance("scratch-dev")
    report = judge(scratch, policy(None, None, keep_days=0), [])
    assert report.state is State.NO_BACKUPS
    assert report.reason == (
        "no backups at all in the last 14 d; automated backups are off (keep_days 0)"
    )


def test_policy_without_weekdays_takes_no_automated_backups() -> None:
    report = judge(instance(), policy(period=""), [])
    assert report.schedule is None
    assert report.reason.endswith("automated backups are off (no backup window or days)")


def test_no_backups_at_all() -> None:
    lonely = instance("sessions-prod")
    report = judge(lonely, policy("04:00-05:00"), [])
    assert report.state is State.NO_BACKUPS
    assert report.reason == ("no backups at all in the last 14 d; expected daily 04:00-05:00 UTC")
    assert report.overdue
    assert report.timeline == tuple(DayMark(day, Mark.MISSED) for day in DAYS)


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("FROZEN", "frozen (account in arrears)"),
        ("abnormal", "abnormal"),
        ("STORAGE FULL", "out of storage"),
        ("SOMETHING NEW", "in status 'SOMETHING NEW'"),
    ],
)
def test_abnormal_status_comes_first_with_the_backup_reason(status: str, words: str) -> None:
    broken = instance("warehouse-prod", status=status)
    report = judge(broken, policy(), _yesterday_and_before(broken), now=at(27, 2, 30))
    assert report.state is State.NOT_NORMAL
    assert report.reason == f"instance {words}; backed up at Thu 02:10"


@pytest.mark.parametrize("status", ["ACTIVE", "normal", "BACKING UP"])
def test_normal_statuses_of_both_api_versions(status: str) -> None:
    orders = instance(status=status)
    assert judge(orders, policy(), _yesterday_and_before(orders)).state is not State.NOT_NORMAL


# --- policy unknown: the threshold ---------------------------------------------------


def test_unreadable_policy_falls_back_to_the_threshold() -> None:
    orders = instance()
    denied = PolicyUnreadable("no permission for gaussdbformysql:backup:listPolicy")
    recent = judge(orders, denied, [backup(orders, at(27, 5, 30))])
    assert recent.state is State.OK
    assert recent.reason == (
        "last good backup 5 h ago; policy unknown (no permission for "
        "gaussdbformysql:backup:listPolicy), judged by the 26 h threshold"
    )
    assert recent.allowed_age == timedelta(hours=26)
    old = judge(orders, denied, [backup(orders, at(26, 4, 30))])
    assert old.state is State.STALE
    assert old.reason.startswith("last good backup 30 h ago; policy unknown")


def test_unreadable_policy_timeline_shows_what_happened_each_day() -> None:
    orders = instance()
    rows = [
        backup(orders, at(27, 2, 10)),
        backup(orders, at(26, 2, 10), minutes=3, status="FAILED"),
        backup(orders, at(25, 14), kind="manual"),
    ]
    report = judge(orders, PolicyUnreadable("x"), rows, covered_since=NOW - timedelta(days=7))
    timeline = marks(report)
    assert timeline[date(2026, 11, 27)] is Mark.GOOD
    assert timeline[date(2026, 11, 26)] is Mark.FAILED
    assert timeline[date(2026, 11, 25)] is Mark.GOOD
    assert timeline[date(2026, 11, 24)] is Mark.NO_BACKUP
    assert timeline[date(2026, 11, 20)] is Mark.UNKNOWN  # before the read: not known


def test_an_instance_without_a_policy_entry_is_judged_by_the_threshold() -> None:
    orders = instance()
    health = assess(
        [orders], {}, [], now=NOW, covered_since=NOW - timedelta(days=14), zone=UTC_ZONE
    )
    (report,) = health.reports
    assert report.state is State.NO_BACKUPS
    assert report.policy == PolicyUnreadable("not read")
    assert "policy unknown (not read)" in report.reason


@pytest.mark.parametrize(
    ("read", "why"),
    [
        (policy(start="2am"), "backup window '2am' is not hh:mm-HH:MM"),
        (policy(period="0,8"), "backup period '0,8' has a day that is not 1-7"),
    ],
)
def test_a_policy_not_understood_is_unknown(read: BackupPolicy, why: str) -> None:
    orders = instance()
    report = judge(orders, read, [backup(orders, at(27, 2, 10))])
    assert report.state is State.OK
    assert f"policy unknown (not understood: {why})" in report.reason


def test_a_shorter_read_leaves_older_days_unknown() -> None:
    orders = instance()
    report = judge(orders, policy(), daily(orders, at(20, 2, 10), 8), covered_since=at(20, 0))
    timeline = marks(report)
    assert timeline[date(2026, 11, 19)] is Mark.UNKNOWN
    assert timeline[date(2026, 11, 20)] is Mark.GOOD


# --- the fleet -----------------------------------------------------------------------


def test_instances_come_worst_first() -> None:
    ok = instance("a-ok")
    old_stale = instance("b-stale-old")
    new_stale = instance("c-stale-new")
    frozen = instance("d-frozen", status="FROZEN")
    lonely = instance("e-lonely")
    missed = instance("f-missed")
    off = instance("g-off")
    rows = [
        *_yesterday_and_before(ok),
        backup(ok, at(27, 2, 10)),
        backup(old_stale, at(20, 2, 10)),
        backup(new_stale, at(25, 2, 10)),
        *_yesterday_and_before(frozen),
        backup(frozen, at(27, 2, 10)),
        *_yesterday_and_before(missed),
        backup(off, at(26, 14), kind="manual"),
    ]
    unknown = PolicyUnreadable("x")
    policies: Mapping[str, PolicyRead] = {
        ok.id: policy(),
        old_stale.id: unknown,
        new_stale.id: unknown,
        frozen.id: policy(),
        lonely.id: policy(),
        missed.id: policy(),
        off.id: policy(keep_days=0),
    }
    health = assess(
        [ok, old_stale, new_stale, frozen, lonely, missed, off],
        policies,
        sorted(rows, key=lambda b: b.begin_time, reverse=True),
        now=NOW,
        covered_since=NOW - timedelta(days=14),
        zone=UTC_ZONE,
    )
    assert [(r.instance.name, r.state) for r in health.reports] == [
        ("d-frozen", State.NOT_NORMAL),
        ("e-lonely", State.NO_BACKUPS),
        ("f-missed", State.MISSED),
        ("b-stale-old", State.STALE),  # the older last good backup first
        ("c-stale-new", State.STALE),
        ("g-off", State.NO_AUTOMATED),
        ("a-ok", State.OK),
    ]
    assert sum(report.state is State.STALE for report in health.reports) == 2
    assert health.days == tuple(DAYS)


def test_backups_of_instances_not_listed_are_ignored() -> None:
    orders, gone = instance(), instance("deleted-prod")
    rows = [backup(gone, at(27, 2, 10)), *_yesterday_and_before(orders)]
    health = assess(
        [orders],
        {orders.id: policy()},
        sorted(rows, key=lambda b: b.begin_time, reverse=True),
        now=NOW,
        covered_since=NOW - timedelta(days=14),
        zone=UTC_ZONE,
    )
    assert [report.instance.name for report in health.reports] == ["orders-prod"]


def test_days_before_the_instance_existed_expect_nothing_even_before_the_read() -> None:
    fresh = instance("fresh-prod", created=at(24, 10))
    rows = daily(fresh, at(25, 2, 10), 3)
    report = judge(fresh, policy(), rows, covered_since=at(20, 0))
    timeline = marks(report)
    assert timeline[date(2026, 11, 18)] is Mark.NONE_EXPECTED  # not "unknown": not created
    assert timeline[date(2026, 11, 24)] is Mark.NONE_EXPECTED
    assert timeline[date(2026, 11, 25)] is Mark.GOOD
