"""Policy-aware backup health: per instance, what was expected, what happened, in words.

Pure functions over plain typed data. `assess` takes the instances, each one's policy
(or why it is unknown), the backups read since `covered_since` (newest first), now, the
reader's time zone and the settings, and returns one `HealthReport` per instance, worst
first, each with a 14-day timeline.

How an instance is judged:

- Its policy gives the expected automated backups: a window (UTC) on some weekdays. An
  automated backup belongs to the latest window that started at or before it, so a late
  start or TaurusDB's own retry (about `retry_delay` after a failure) counts for that
  window. Windows that started before the instance was created expect nothing.
- The state comes from the latest window that has come due: a good backup is *ok*; one
  building is *running*; a lone failure is *failed* until its retry is due (plus
  `grace`), then *failed after retry*; a window that ended more than `grace` ago with
  nothing started is *missed*. A window still open with nothing started yet is not
  judged: the one before it is.
- A policy that takes no automated backups gives *no automated backups*; one that cannot
  be read falls back to the age threshold (`stale_after`): *ok* or *stale*.
- An instance with no backup at all since `covered_since` is *no backups at all* once
  something was due; one whose `status` is not normal is *instance not normal*, with the
  backup reason after it.

Times in reasons are in the reader's zone. The timeline has one mark per day of the
reader's calendar: a window is marked on the day it starts, in the reader's zone, so a
day can hold two windows (a 25-hour day when clocks go back) or none (a 23-hour day).
The worst mark of the day wins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from itertools import pairwise
from zoneinfo import ZoneInfo

from bot.core.backup import Backup, BackupStatus
from bot.core.instances import (
    Instance,
    PolicyRead,
    PolicyUnreadable,
    Schedule,
)
from bot.core.summary import DEFAULT_STALE_AFTER, human_age

HISTORY_DAYS = 14
DEFAULT_GRACE = timedelta(minutes=30)
# TaurusDB retries a failed automated backup by itself, "about half an hour later" (FAQ).
DEFAULT_RETRY_DELAY = timedelta(minutes=30)


class State(StrEnum):
    """The health of one instance; declared worst first (that is the sort order)."""

    NOT_NORMAL = "instance not normal"
    NO_BACKUPS = "no backups at all"
    FAILED_AFTER_RETRY = "failed after retry"
    MISSED = "missed"
    STALE = "stale"
    NO_AUTOMATED = "no automated backups"
    FAILED = "failed"
    RUNNING = "running"
    OK = "ok"


SEVERITY = {state: rank for rank, state in enumerate(State)}


class Outcome(StrEnum):
    """What happened to one expected automated backup."""

    GOOD = "good"
    RUNNING = "running"
    RETRY_PENDING = "retry pending"
    FAILED = "failed"
    MISSED = "missed"
    PENDING = "pending"


class Mark(StrEnum):
    """One day of the timeline; declared worst first (the worst of a day wins)."""

    MISSED = "missed"
    FAILED = "failed"
    RETRYING = "retrying"
    RUNNING = "running"
    PENDING = "pending"
    NO_BACKUP = "no backup"
    UNKNOWN = "unknown"
    GOOD = "good"
    NONE_EXPECTED = "none expected"


MARK_ORDER = {mark: rank for rank, mark in enumerate(Mark)}
_MARK_OF = {
    Outcome.GOOD: Mark.GOOD,
    Outcome.RUNNING: Mark.RUNNING,
    Outcome.RETRY_PENDING: Mark.RETRYING,
    Outcome.FAILED: Mark.FAILED,
    Outcome.MISSED: Mark.MISSED,
    Outcome.PENDING: Mark.PENDING,
}


@dataclass(frozen=True)
class HealthSettings:
    """How patient to be, and the fallback for an instance whose policy is unknown."""

    grace: timedelta = DEFAULT_GRACE
    retry_delay: timedelta = DEFAULT_RETRY_DELAY
    stale_after: timedelta = DEFAULT_STALE_AFTER
    days: int = HISTORY_DAYS


DEFAULT_SETTINGS = HealthSettings()


@dataclass(frozen=True)
class Expected:
    """One expected automated backup: its window (UTC) and what happened to it."""

    start: datetime
    end: datetime
    outcome: Outcome
    attempts: tuple[Backup, ...]
    retry_at: datetime | None = None


@dataclass(frozen=True)
class DayMark:
    """One day of the reader's calendar and how it went."""

    day: date
    mark: Mark


@dataclass(frozen=True)
class HealthReport:
    """One instance: its state and why, what its policy expects, and the last 14 days.

    `allowed_age` is how old the last good backup may be under the policy (the longest
    gap between windows, plus the window, the retry delay and the grace), the threshold
    when the policy is unknown, and None when no automated backups are expected.
    """

    instance: Instance
    state: State
    reason: str
    policy: PolicyRead
    schedule: Schedule | None
    judged: Expected | None
    last_good: Backup | None
    last_good_age: timedelta | None
    allowed_age: timedelta | None
    timeline: tuple[DayMark, ...]

    @property
    def overdue(self) -> bool:
        """The last good backup is older than the policy allows (or there is none)."""
        if self.allowed_age is None:
            return False
        return self.last_good_age is None or self.last_good_age > self.allowed_age


@dataclass(frozen=True)
class FleetHealth:
    """Every instance's health, worst first, as of `now`, for a reader in `zone`."""

    reports: tuple[HealthReport, ...]
    days: tuple[date, ...]
    now: datetime
    zone: ZoneInfo
    covered_since: datetime

    def count(self, state: State) -> int:
        """How many instances are in `state`."""
        return sum(1 for report in self.reports if report.state is state)


@dataclass(frozen=True)
class _Context:
    now: datetime
    zone: ZoneInfo
    covered_since: datetime
    settings: HealthSettings
    days: tuple[date, ...]

    def at(self, moment: datetime) -> str:
        """A time as the reader says it: 02:14 today, Thu 02:14 this week, Nov 20 02:14."""
        local = moment.astimezone(self.zone)
        today = self.now.astimezone(self.zone).date()
        if local.date() == today:
            return f"{local:%H:%M}"
        if abs(local.date() - today) < timedelta(days=6):
            return f"{local:%a %H:%M}"
        return f"{local:%b %d %H:%M}"

    def window(self, start: datetime, end: datetime) -> str:
        """A window in the reader's zone: "Thu 02:00-03:00"."""
        return f"{self.at(start)}-{end.astimezone(self.zone):%H:%M}"

    @property
    def covered(self) -> str:
        return human_age(self.now - self.covered_since)


def assess(
    instances: Sequence[Instance],
    policies: Mapping[str, PolicyRead],
    backups: Sequence[Backup],
    *,
    now: datetime,
    covered_since: datetime,
    zone: ZoneInfo,
    settings: HealthSettings = DEFAULT_SETTINGS,
) -> FleetHealth:
    """Judge every instance; `backups` are all backups since `covered_since`, newest first.

    An instance missing from `policies` is treated as one whose policy is unknown.
    Backups of instances not in `instances` are ignored.
    """
    today = now.astimezone(zone).date()
    days = tuple(today - timedelta(days=back) for back in range(settings.days - 1, -1, -1))
    context = _Context(now, zone, covered_since, settings, days)
    by_instance: dict[str, list[Backup]] = {}
    for backup in backups:
        by_instance.setdefault(backup.instance_id or backup.instance_name, []).append(backup)
    reports = []
    for instance in instances:
        own = by_instance.get(instance.id) or by_instance.get(instance.name) or []
        read = policies.get(instance.id, PolicyUnreadable("not read"))
        reports.append(_assess_one(instance, read, own, context))
    reports.sort(key=_worst_first)
    return FleetHealth(tuple(reports), days, now, zone, covered_since)


def describe(schedule: Schedule, *, zone: ZoneInfo, now: datetime) -> str:
    """What a policy expects, in UTC and in the reader's zone.

    "daily 02:00-03:00 UTC (10:00-11:00 Asia/Shanghai)", or "Sun 23:00-00:00 UTC
    (Mon 07:00-08:00 Asia/Shanghai)". The reader's side is that of the next window, so it
    is right for the coming days whatever daylight saving does later.
    """
    start = schedule.next_start(now)
    end = start + schedule.length
    utc = f"{schedule.days_text()} {start:%H:%M}-{end:%H:%M} UTC"
    if zone.key == "UTC":
        return utc
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    shift = (local_start.date() - start.date()).days
    local = f"{schedule.days_text(shift)} {local_start:%H:%M}-{local_end:%H:%M} {zone.key}"
    return f"{utc} ({local})"


def _worst_first(report: HealthReport) -> tuple[int, float, str]:
    age = report.last_good_age
    return (
        SEVERITY[report.state],
        -(age.total_seconds() if age is not None else float("inf")),
        report.instance.label,
    )


def _assess_one(
    instance: Instance, read: PolicyRead, backups: list[Backup], ctx: _Context
) -> HealthReport:
    last_good = next((backup for backup in backups if backup.status.is_good), None)
    age = None if last_good is None else ctx.now - last_good.begin_time
    schedule: Schedule | None = None
    unknown: str | None = None
    off = ""
    if isinstance(read, PolicyUnreadable):
        unknown = read.reason
    else:
        try:
            schedule = read.schedule()
        except ValueError as exc:
            unknown = f"not understood: {exc}"
        off = "keep_days 0" if read.keep_days == 0 else "no backup window or days"
    judged: Expected | None = None
    if unknown is not None:
        expectation = f"policy unknown ({unknown})"
        state, reason, due = _by_threshold(instance, last_good, expectation, ctx)
        allowed: timedelta | None = ctx.settings.stale_after
        timeline = _timeline_by_backups(instance, backups, ctx)
    elif schedule is None:
        expectation = f"automated backups are off ({off})"
        state, reason, due = State.NO_AUTOMATED, f"{expectation}; {_good(last_good, ctx)}", True
        allowed = None
        timeline = tuple(DayMark(day, Mark.NONE_EXPECTED) for day in ctx.days)
    else:
        expectation = f"expected {describe(schedule, zone=ctx.zone, now=ctx.now)}"
        expected = _expected(instance, schedule, backups, ctx)
        judged = _judged(expected, ctx)
        allowed = schedule.longest_gap + schedule.length + ctx.settings.retry_delay
        allowed += ctx.settings.grace
        state, reason, due = _by_policy(instance, schedule, judged, last_good, allowed, ctx)
        timeline = _timeline_by_policy(expected, ctx)
    if not backups and due:
        state, reason = (
            State.NO_BACKUPS,
            f"no backups at all in the last {ctx.covered}; {expectation}",
        )
    if not instance.is_normal:
        state, reason = State.NOT_NORMAL, f"instance {instance.status_words}; {reason}"
    return HealthReport(
        instance=instance,
        state=state,
        reason=reason,
        policy=read,
        schedule=schedule,
        judged=judged,
        last_good=last_good,
        last_good_age=age,
        allowed_age=allowed,
        timeline=timeline,
    )


def _good(last_good: Backup | None, ctx: _Context) -> str:
    if last_good is None:
        return f"no good backup in the last {ctx.covered}"
    return f"last good backup {human_age(ctx.now - last_good.begin_time)} ago"


def _by_threshold(
    instance: Instance, last_good: Backup | None, expectation: str, ctx: _Context
) -> tuple[State, str, bool]:
    """No usable policy: judge by the age of the last good backup, as before policies."""
    limit = ctx.settings.stale_after
    note = f"{expectation}, judged by the {human_age(limit)} threshold"
    created = instance.created
    if last_good is None and created is not None and ctx.now - created <= limit:
        return State.OK, f"new instance, created {human_age(ctx.now - created)} ago; {note}", False
    if last_good is not None and ctx.now - last_good.begin_time <= limit:
        return State.OK, f"{_good(last_good, ctx)}; {note}", True
    return State.STALE, f"{_good(last_good, ctx)}; {note}", True


@dataclass(frozen=True)
class _Window:
    """An expected backup, whether the instance existed then, and whether the read covers it."""

    expected: Expected
    existed: bool
    covered: bool

    @property
    def counts(self) -> bool:
        return self.existed and self.covered


def _expected(
    instance: Instance, schedule: Schedule, backups: list[Backup], ctx: _Context
) -> list[_Window]:
    """Every window from the first timeline day to the end of today, with its outcome."""
    first_day = datetime.combine(ctx.days[0], datetime.min.time(), tzinfo=ctx.zone)
    since = min(first_day, ctx.covered_since) - timedelta(days=1)
    starts = schedule.starts(since, ctx.now + timedelta(days=8))
    automated = sorted(
        (backup for backup in backups if backup.type == "auto"), key=lambda b: b.begin_time
    )
    last_day = ctx.days[-1] + timedelta(days=1)
    result = []
    for start, following in pairwise(starts):
        if start.astimezone(ctx.zone).date() >= last_day:
            break
        attempts = tuple(b for b in automated if start <= b.begin_time < following)
        end = start + schedule.length
        outcome, retry_at = _outcome(attempts, end, ctx)
        result.append(
            _Window(
                Expected(start, end, outcome, attempts, retry_at),
                existed=instance.created is None or start >= instance.created,
                covered=start >= ctx.covered_since,
            )
        )
    return result


def _outcome(
    attempts: tuple[Backup, ...], end: datetime, ctx: _Context
) -> tuple[Outcome, datetime | None]:
    if any(attempt.status.is_good for attempt in attempts):
        return Outcome.GOOD, None
    if any(attempt.status is BackupStatus.BUILDING for attempt in attempts):
        return Outcome.RUNNING, None
    if not attempts:
        return (Outcome.PENDING if ctx.now < end + ctx.settings.grace else Outcome.MISSED), None
    if len(attempts) > 1:
        return Outcome.FAILED, None
    failed = attempts[0]
    retry_at = (failed.end_time or failed.begin_time) + ctx.settings.retry_delay
    if ctx.now < retry_at + ctx.settings.grace:
        return Outcome.RETRY_PENDING, retry_at
    return Outcome.FAILED, retry_at


def _judged(windows: list[_Window], ctx: _Context) -> Expected | None:
    """The latest window that came due and counts, skipping one still open with nothing yet."""
    for window in reversed(windows):
        item = window.expected
        if window.counts and item.start <= ctx.now and item.outcome is not Outcome.PENDING:
            return item
    return None


def _by_policy(
    instance: Instance,
    schedule: Schedule,
    judged: Expected | None,
    last_good: Backup | None,
    allowed: timedelta,
    ctx: _Context,
) -> tuple[State, str, bool]:
    if judged is None:
        created = instance.created
        upcoming = schedule.next_start(ctx.now - schedule.length - ctx.settings.grace)
        window = ctx.window(upcoming, upcoming + schedule.length)
        if created is not None and created > ctx.covered_since:
            age = human_age(ctx.now - created)
            return State.OK, f"new instance, created {age} ago; first backup due {window}", False
        # Nothing due within the backups read (a sparse policy, a short read): use the age.
        fine = last_good is not None and ctx.now - last_good.begin_time <= allowed
        return (State.OK if fine else State.STALE), _good(last_good, ctx), True
    attempts = judged.attempts
    if judged.outcome is Outcome.GOOD:
        good = next(attempt for attempt in attempts if attempt.status.is_good)
        text = f"backed up at {ctx.at(good.begin_time)}"
        failed = [attempt for attempt in attempts if attempt.begin_time < good.begin_time]
        if failed:
            text += f", after a failure at {ctx.at(failed[0].begin_time)}"
        return State.OK, text, True
    if judged.outcome is Outcome.RUNNING:
        running = next(a for a in attempts if a.status is BackupStatus.BUILDING)
        text = f"backup running since {ctx.at(running.begin_time)}"
        if running is not attempts[0]:
            text = f"retry running since {ctx.at(running.begin_time)}, after a failure at "
            text += ctx.at(attempts[0].begin_time)
        return State.RUNNING, text, True
    if judged.outcome is Outcome.MISSED:
        window = ctx.window(judged.start, judged.end)
        return State.MISSED, f"no backup started in the {window} window", True
    first = f"backup failed at {ctx.at(attempts[0].begin_time)}"
    if judged.outcome is Outcome.RETRY_PENDING and judged.retry_at is not None:
        return State.FAILED, f"{first} — TaurusDB retries at about {ctx.at(judged.retry_at)}", True
    if len(attempts) > 1:
        retry = attempts[1]
        verb = "failed too" if retry.status is BackupStatus.FAILED else "did not succeed"
        return (
            State.FAILED_AFTER_RETRY,
            f"{first}, and the retry at {ctx.at(retry.begin_time)} {verb}",
            True,
        )
    deadline = (judged.retry_at or judged.end) + ctx.settings.grace
    return State.FAILED_AFTER_RETRY, f"{first}, and no retry started by {ctx.at(deadline)}", True


def _timeline_by_policy(windows: list[_Window], ctx: _Context) -> tuple[DayMark, ...]:
    marks: dict[date, Mark] = {}
    for window in windows:
        if not window.existed:
            continue  # the instance did not exist yet: nothing expected
        mark = _MARK_OF[window.expected.outcome] if window.covered else Mark.UNKNOWN
        day = window.expected.start.astimezone(ctx.zone).date()
        if day not in marks or MARK_ORDER[mark] < MARK_ORDER[marks[day]]:
            marks[day] = mark
    return tuple(DayMark(day, marks.get(day, Mark.NONE_EXPECTED)) for day in ctx.days)


def _timeline_by_backups(
    instance: Instance, backups: list[Backup], ctx: _Context
) -> tuple[DayMark, ...]:
    """Policy unknown: each day marked by the backups that started on it, of any type."""
    seen: dict[date, set[BackupStatus]] = {}
    for backup in backups:
        seen.setdefault(backup.begin_time.astimezone(ctx.zone).date(), set()).add(backup.status)
    marks = []
    for day in ctx.days:
        statuses = seen.get(day, set())
        day_start = datetime.combine(day, datetime.min.time(), tzinfo=ctx.zone)
        day_end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=ctx.zone)
        if any(status.is_good for status in statuses):
            mark = Mark.GOOD
        elif BackupStatus.BUILDING in statuses:
            mark = Mark.RUNNING
        elif statuses:
            mark = Mark.FAILED
        elif instance.created is not None and instance.created >= day_end:
            mark = Mark.NONE_EXPECTED
        elif day_start < ctx.covered_since:
            mark = Mark.UNKNOWN
        else:
            mark = Mark.NO_BACKUP
        marks.append(DayMark(day, mark))
    return tuple(marks)
