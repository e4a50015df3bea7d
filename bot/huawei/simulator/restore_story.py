"""What the simulated fleet can be restored to, derived from its backups and a few events.

Each instance's log is backed up every `LOG_EVERY` minutes, so it is restorable from the
end of its oldest retained good full backup (begun within `keep_days`) to the last log
backup, a few minutes ago. On `GAP_INSTANCE` the log backups failed for a while
`GAP_DAYS_AGO` days ago: nothing is restorable from that failure until the end of the
next good full backup. Every instance has the same schema, where one table was created
and one dropped (`CREATED_TABLE`, `DROPPED_TABLE`). Pure: tests compute their truth from
the served ranges and these names, never from the bot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.huawei.simulator.fleet import Fleet
from bot.huawei.wire import parse_api_time

LOG_EVERY = timedelta(minutes=5)
GAP_INSTANCE = "payments-prod"
GAP_DAYS_AGO = 10
GAP_HOUR = 8  # UTC: the log backups failed from then until the next full backup ended
SCHEMA = {
    "shop": ("customers", "order_items", "orders", "payments"),
    "app": ("sessions", "settings", "users"),
    "audit": ("events",),
}
CREATED_TABLE = ("shop", "refunds")
CREATED_DAYS_AGO, CREATED_AT = 4, timedelta(hours=10)
DROPPED_TABLE = ("shop", "orders_archive")
DROPPED_DAYS_AGO, DROPPED_AT = 1, timedelta(hours=3, minutes=17)


@dataclass(frozen=True)
class Story:
    """One instance's restorable ranges (UTC, both ends included) and its table events."""

    spans: tuple[tuple[datetime, datetime], ...]
    created: datetime
    dropped: datetime


def _midnight(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def last_log_backup(now: datetime) -> datetime:
    """The end of the newest log backup: the last 5-minute mark at least a minute ago."""
    moment = now.astimezone(UTC) - timedelta(minutes=1)
    step = int(LOG_EVERY.total_seconds())
    return datetime.fromtimestamp(int(moment.timestamp()) // step * step, UTC)


def full_backup_ends(fleet: Fleet, instance_id: str, *, since: datetime) -> list[datetime]:
    """When each good full backup of the instance begun since `since` ended, oldest first."""
    ends = []
    for stored in fleet.backups:
        record = stored.record
        if (
            record.get("instance_id") == instance_id
            and record.get("status") in ("COMPLETED", "AVAILABLE")
            and record.get("backup_mode", "completed") == "completed"
            and record.get("end_time")
            and stored.begin >= since
        ):
            ends.append(parse_api_time(record["end_time"]).astimezone(UTC))
    return sorted(ends)


def story(fleet: Fleet, instance_id: str, now: datetime) -> Story:
    """The instance's ranges as of `now` (none for an unknown instance or one kept 0 days)."""
    today = _midnight(now)
    created = today - timedelta(days=CREATED_DAYS_AGO) + CREATED_AT
    dropped = today - timedelta(days=DROPPED_DAYS_AGO) + DROPPED_AT
    declared = fleet.inventory().get(instance_id)
    keep_days = int((declared.policy.get("keep_days") or 0) if declared else 0)
    ends = full_backup_ends(fleet, instance_id, since=now - timedelta(days=keep_days))
    last = last_log_backup(now)
    if not keep_days or not ends or ends[0] >= last:
        return Story((), created, dropped)
    name = declared.record.get("name") if declared is not None else None
    failures = sorted(
        {
            *([today - timedelta(days=GAP_DAYS_AGO) + timedelta(hours=GAP_HOUR)]
              if name == GAP_INSTANCE else []),
            *([fleet.log_failures[name]] if name in fleet.log_failures else []),
        }
    )  # fmt: skip
    spans = [(ends[0], last)]
    for failed in failures:
        start, _ = spans[-1]
        resumed = next((end for end in ends if end > failed), None)
        if start < failed and resumed is not None and resumed < last:
            spans[-1:] = [(start, failed), (resumed, last)]
    return Story(tuple(spans), created, dropped)


def tables_at(story_: Story, moment: datetime) -> dict[str, list[str]]:
    """The tables of each database at `moment`, names sorted."""
    databases = {name: list(tables) for name, tables in SCHEMA.items()}
    if moment >= story_.created:
        databases[CREATED_TABLE[0]].append(CREATED_TABLE[1])
    if moment < story_.dropped:
        databases[DROPPED_TABLE[0]].append(DROPPED_TABLE[1])
    return {name: sorted(tables) for name, tables in databases.items()}


def log_backups(
    story_: Story, *, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """The log backups (begin, end) inside the ranges that begin within [start, end], newest
    first: one every LOG_EVERY, none where a range is missing."""
    found = []
    for first, last in story_.spans:
        moment = last
        while moment - LOG_EVERY >= first:
            begin = moment - LOG_EVERY
            if start <= begin <= end:
                found.append((begin, moment))
            if begin < start:
                break
            moment = begin
    return sorted(found, reverse=True)
