"""What a policy expects and what happened: each expected automated backup's outcome,
and the timeline of the reader's last days, one mark a day.

The model is described in `bot.core.health.reports`.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from bot.core.backup import Backup, BackupStatus
from bot.core.health.instances import Instance, Schedule
from bot.core.health.reports import MARK_OF, MARK_ORDER, Context, DayMark, Expected, Mark, Outcome


@dataclass(frozen=True)
class ExpectedWindow:
    """An expected backup, whether the instance existed then, and whether the read covers it."""

    expected: Expected
    existed: bool
    covered: bool

    @property
    def counts(self) -> bool:
        return self.existed and self.covered


def expected_windows(
    instance: Instance, schedule: Schedule, backups: list[Backup], ctx: Context
) -> list[ExpectedWindow]:
    """Every window from the first timeline day to the end of today, with its outcome."""
    first_day = datetime.combine(ctx.days[0], datetime.min.time(), tzinfo=ctx.zone)
    since = min(first_day, ctx.covered_since) - timedelta(days=1)
    starts = schedule.starts(since, ctx.now + timedelta(days=8))
    # Thousands of backups, a few dozen windows: each window's attempts by bisection.
    automated, moments = _oldest_first([backup for backup in backups if backup.type == "auto"])
    last_day = ctx.days[-1] + timedelta(days=1)
    result = []
    for start, following in pairwise(starts):
        if start.astimezone(ctx.zone).date() >= last_day:
            break
        first = bisect_left(moments, start.timestamp())
        attempts = tuple(automated[first : bisect_left(moments, following.timestamp(), first)])
        end = start + schedule.length
        outcome, retry_at = _outcome(attempts, end, ctx)
        result.append(
            ExpectedWindow(
                Expected(start, end, outcome, attempts, retry_at),
                existed=instance.created is None or start >= instance.created,
                covered=start >= ctx.covered_since,
            )
        )
    return result


def _oldest_first(backups: list[Backup]) -> tuple[list[Backup], list[float]]:
    """`backups` oldest first, and their start times as timestamps (they usually come
    newest first: then only turned round)."""
    moments = [backup.begin_time.timestamp() for backup in backups]
    if all(a >= b for a, b in pairwise(moments)):
        return backups[::-1], moments[::-1]
    pairs = sorted(zip(moments, range(len(backups)), strict=True))
    return [backups[index] for _, index in pairs], [moment for moment, _ in pairs]


def _outcome(
    attempts: tuple[Backup, ...], end: datetime, ctx: Context
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


def latest_due(windows: list[ExpectedWindow], ctx: Context) -> Expected | None:
    """The latest window that came due and counts, skipping one still open with nothing yet."""
    for window in reversed(windows):
        item = window.expected
        if window.counts and item.start <= ctx.now and item.outcome is not Outcome.PENDING:
            return item
    return None


def timeline_by_policy(windows: list[ExpectedWindow], ctx: Context) -> tuple[DayMark, ...]:
    marks: dict[date, Mark] = {}
    for window in windows:
        if not window.existed:
            continue  # the instance did not exist yet: nothing expected
        mark = MARK_OF[window.expected.outcome] if window.covered else Mark.UNKNOWN
        day = window.expected.start.astimezone(ctx.zone).date()
        if day not in marks or MARK_ORDER[mark] < MARK_ORDER[marks[day]]:
            marks[day] = mark
    return tuple(DayMark(day, marks.get(day, Mark.NONE_EXPECTED)) for day in ctx.days)


def timeline_by_backups(
    instance: Instance, backups: list[Backup], ctx: Context
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
