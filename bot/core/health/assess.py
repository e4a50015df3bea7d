"""Judging each instance's health: its state and the reason, in the reader's words.

The model is described in `bot.core.health.reports`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import messages
from bot.core.backup import Backup, BackupStatus
from bot.core.health.instances import Instance, PolicyRead, PolicyUnreadable, Schedule
from bot.core.health.reports import (
    DEFAULT_SETTINGS,
    SEVERITY,
    Context,
    DayMark,
    Expected,
    FleetHealth,
    HealthReport,
    HealthSettings,
    Mark,
    Outcome,
    State,
)
from bot.core.health.timeline import (
    expected_windows,
    latest_due,
    timeline_by_backups,
    timeline_by_policy,
)
from bot.core.human import human_age

DESCRIPTION_LIMIT = 300
TAIL = 8  # characters of an id shown to tell two instances of one name apart


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
    context = Context(now, zone, covered_since, settings, days)
    by_instance: dict[str, list[Backup]] = {}
    for backup in backups:
        by_instance.setdefault(backup.instance_id or backup.instance_name, []).append(backup)
    tails = id_tails(instances)
    reports = []
    for instance in instances:
        own = by_instance.get(instance.id) or []
        if not own and instance.id not in tails:  # rows without an instance id: by name,
            own = by_instance.get(instance.name) or []  # unless two instances share it
        read = policies.get(instance.id, PolicyUnreadable("not read"))
        report = _assess_one(instance, read, own, context)
        reports.append(replace(report, id_tail=tails.get(instance.id, "")))
    reports.sort(key=_worst_first)
    return FleetHealth(tuple(reports), days, now, zone, covered_since)


def id_tails(instances: Sequence[Instance], shortest: int = TAIL) -> dict[str, str]:
    """The end of each id shared by another instance's label: long enough to tell them
    apart (ids end alike, e.g. `in07`), by instance id; unique labels get none."""
    groups: dict[str, list[str]] = {}
    for instance in instances:
        groups.setdefault(instance.label, []).append(instance.id)
    tails: dict[str, str] = {}
    for ids in groups.values():
        unique = list(dict.fromkeys(ids))
        if len(unique) < 2:
            continue
        size = shortest
        while size < max(map(len, unique)) and len({i[-size:] for i in unique}) < len(unique):
            size += 1
        tails.update((i, i[-size:]) for i in unique)
    return tails


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
        report.label,
    )


def _assess_one(
    instance: Instance, read: PolicyRead, backups: list[Backup], ctx: Context
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
            unknown = messages.not_understood(str(exc))
        off = messages.KEEP_DAYS_ZERO if read.keep_days == 0 else messages.NO_WINDOW_OR_DAYS
    judged: Expected | None = None
    if unknown is not None:
        expectation = messages.policy_unknown(unknown)
        state, reason, due = _by_threshold(instance, last_good, expectation, ctx)
        allowed: timedelta | None = ctx.settings.stale_after
        timeline = timeline_by_backups(instance, backups, ctx)
    elif schedule is None:
        expectation = messages.automated_backups_off(off)
        state, reason, due = (
            State.NO_AUTOMATED,
            messages.and_then(expectation, _good(last_good, ctx)),
            True,
        )
        allowed = None
        timeline = tuple(DayMark(day, Mark.NONE_EXPECTED) for day in ctx.days)
    else:
        expectation = messages.expected(describe(schedule, zone=ctx.zone, now=ctx.now))
        expected = expected_windows(instance, schedule, backups, ctx)
        judged = latest_due(expected, ctx)
        allowed = schedule.longest_gap + schedule.length + ctx.settings.retry_delay
        allowed += ctx.settings.grace
        state, reason, due = _by_policy(instance, schedule, judged, last_good, allowed, ctx)
        timeline = timeline_by_policy(expected, ctx)
    if not backups and due:
        state, reason = (
            State.NO_BACKUPS,
            messages.no_backups_at_all_in(ctx.covered, expectation),
        )
    if not instance.is_normal:
        state, reason = State.NOT_NORMAL, messages.instance_is(instance.status_words, reason)
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


def _good(last_good: Backup | None, ctx: Context) -> str:
    if last_good is None:
        return messages.no_good_backup_in(ctx.covered)
    return messages.last_good_backup(human_age(ctx.now - last_good.begin_time))


def _said(backup: Backup) -> str:
    """What the API said of a failed backup, if anything: the first thing on-call reads."""
    text = (backup.description or "").strip()
    return f" ({text[:DESCRIPTION_LIMIT]})" if text else ""


def _by_threshold(
    instance: Instance, last_good: Backup | None, expectation: str, ctx: Context
) -> tuple[State, str, bool]:
    """No usable policy: judge by the age of the last good backup, as before policies."""
    limit = ctx.settings.stale_after
    note = messages.judged_by_the(expectation, human_age(limit))
    created = instance.created
    if last_good is None and created is not None and ctx.now - created <= limit:
        return State.OK, messages.new_instance(human_age(ctx.now - created), note), False
    if last_good is not None and ctx.now - last_good.begin_time <= limit:
        return State.OK, messages.and_then(_good(last_good, ctx), note), True
    return State.STALE, messages.and_then(_good(last_good, ctx), note), True


def _by_policy(
    instance: Instance,
    schedule: Schedule,
    judged: Expected | None,
    last_good: Backup | None,
    allowed: timedelta,
    ctx: Context,
) -> tuple[State, str, bool]:
    if judged is None:
        created = instance.created
        upcoming = schedule.next_start(ctx.now - schedule.length - ctx.settings.grace)
        window = ctx.window(upcoming, upcoming + schedule.length)
        if created is not None and created > ctx.covered_since:
            age = human_age(ctx.now - created)
            return State.OK, messages.new_instance(age, messages.first_backup_due(window)), False
        # Nothing due within the backups read (a sparse policy, a short read): use the age.
        fine = last_good is not None and ctx.now - last_good.begin_time <= allowed
        return (State.OK if fine else State.STALE), _good(last_good, ctx), True
    attempts = judged.attempts
    if judged.outcome is Outcome.GOOD:
        good = next(attempt for attempt in attempts if attempt.status.is_good)
        failed = [attempt for attempt in attempts if attempt.begin_time < good.begin_time]
        failed_at = ctx.at(failed[0].begin_time) if failed else None
        return State.OK, messages.backed_up_at(ctx.at(good.begin_time), failed_at), True
    if judged.outcome is Outcome.RUNNING:
        running = next(a for a in attempts if a.status is BackupStatus.BUILDING)
        text = messages.backup_running_since(ctx.at(running.begin_time))
        if running is not attempts[0]:
            since, failed_at = ctx.at(running.begin_time), ctx.at(attempts[0].begin_time)
            text = messages.retry_running_since(since, failed_at)
        return State.RUNNING, text, True
    if judged.outcome is Outcome.MISSED:
        window = ctx.window(judged.start, judged.end)
        return State.MISSED, messages.no_backup_started(window), True
    at, said = ctx.at(attempts[0].begin_time), _said(attempts[0])
    if judged.outcome is Outcome.RETRY_PENDING and judged.retry_at is not None:
        retry_at = ctx.at(judged.retry_at)
        return State.FAILED, messages.failed_retry_due(at=at, said=said, retry_at=retry_at), True
    if len(attempts) > 1:
        retry = attempts[1]
        retry_said = ""
        if retry.description and retry.description != attempts[0].description:
            retry_said = _said(retry)
        text = messages.failed_and_the_retry(
            at=at,
            said=said,
            retry_at=ctx.at(retry.begin_time),
            retry_failed=retry.status is BackupStatus.FAILED,
            retry_said=retry_said,
        )
        return State.FAILED_AFTER_RETRY, text, True
    deadline = ctx.at((judged.retry_at or judged.end) + ctx.settings.grace)
    return (
        State.FAILED_AFTER_RETRY,
        messages.failed_no_retry_by(at=at, said=said, deadline=deadline),
        True,
    )
