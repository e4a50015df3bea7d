"""What an on-call engineer needs first, computed from backups: pure functions only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.backup import Backup, BackupStatus

DEFAULT_STALE_AFTER = timedelta(hours=26)
STATUS_ORDER = (
    BackupStatus.FAILED,
    BackupStatus.BUILDING,
    BackupStatus.COMPLETED,
    BackupStatus.AVAILABLE,
    BackupStatus.UNKNOWN,
)
SPARKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class InstanceHealth:
    """One instance as seen in the rows read.

    `last_good` is its newest good backup among them. When there is none, all that is
    known is that it had no good backup since `covered_since`.
    """

    name: str
    instance_id: str
    backups: int
    failed: int
    last_good: Backup | None
    covered_since: datetime | None
    stale: bool
    sizes: tuple[int, ...]

    def last_good_age(self, now: datetime) -> timedelta | None:
        """How old the newest good backup is, if one was seen."""
        return None if self.last_good is None else now - self.last_good.begin_time

    def staleness(self, now: datetime) -> str:
        """How long the instance has gone without a good backup, in words."""
        age = self.last_good_age(now)
        if age is not None:
            return f"last good backup {human_age(age)} ago"
        if self.covered_since is not None:
            return f"no good backup for over {human_age(now - self.covered_since)}"
        return "no good backup seen"


@dataclass(frozen=True)
class Summary:
    """Counts by status, failures first, size, the slowest, and per-instance health."""

    counts: tuple[tuple[BackupStatus, int], ...]
    total: int
    total_size_mb: int
    failures: tuple[Backup, ...]
    slowest: tuple[Backup, ...]
    instances: tuple[InstanceHealth, ...]
    covered_since: datetime | None
    complete: bool

    @property
    def stale(self) -> tuple[InstanceHealth, ...]:
        """Instances with no good backup for longer than the threshold."""
        return tuple(health for health in self.instances if health.stale)

    def count(self, status: BackupStatus) -> int:
        """How many backups have `status`."""
        return dict(self.counts).get(status, 0)


def summarise(
    backups: Sequence[Backup],
    *,
    now: datetime,
    covered_since: datetime | None,
    complete: bool,
    stale_after: timedelta = DEFAULT_STALE_AFTER,
) -> Summary:
    """Summarise newest-first `backups`, all of them since `covered_since`.

    `covered_since` is what makes a warning conclusive: an instance with no good backup
    among the rows has none since that moment, and is stale if that is long enough ago.
    """
    by_status = Counter(backup.status for backup in backups)
    per_instance: dict[str, list[Backup]] = {}
    for backup in backups:
        per_instance.setdefault(backup.instance_id or backup.instance_name, []).append(backup)
    healths = [
        _health(rows, now=now, covered_since=covered_since, stale_after=stale_after)
        for rows in per_instance.values()
    ]
    healths.sort(key=lambda health: (not health.stale, -health.failed, health.name))
    failures = tuple(
        sorted(
            (b for b in backups if b.status is BackupStatus.FAILED),
            key=lambda b: b.begin_time,
            reverse=True,
        )
    )
    timed = [backup for backup in backups if backup.take_up_time]
    slowest = tuple(sorted(timed, key=lambda b: (-(b.take_up_time or 0), b.id))[:3])
    return Summary(
        counts=tuple((status, by_status[status]) for status in STATUS_ORDER if by_status[status]),
        total=len(backups),
        total_size_mb=sum(backup.size or 0 for backup in backups if backup.status.is_good),
        failures=failures,
        slowest=slowest,
        instances=tuple(healths),
        covered_since=covered_since,
        complete=complete,
    )


def _health(
    rows: list[Backup], *, now: datetime, covered_since: datetime | None, stale_after: timedelta
) -> InstanceHealth:
    good = [backup for backup in rows if backup.status.is_good]
    last_good = max(good, key=lambda backup: backup.begin_time, default=None)
    if last_good is not None:
        stale = now - last_good.begin_time > stale_after
    else:
        stale = covered_since is not None and now - covered_since > stale_after
    chronological = sorted(good, key=lambda backup: backup.begin_time)
    return InstanceHealth(
        name=rows[0].instance_name or rows[0].instance_id,
        instance_id=rows[0].instance_id,
        backups=len(rows),
        failed=sum(1 for backup in rows if backup.status is BackupStatus.FAILED),
        last_good=last_good,
        covered_since=covered_since,
        stale=stale,
        sizes=tuple(backup.size or 0 for backup in chronological),
    )


def sparkline(values: Sequence[int], *, width: int = 14) -> str:
    """A one-line trend, e.g. ▁▂▂▃▅▆█, of the last `width` values ('' if fewer than 3)."""
    recent = list(values)[-width:]
    if len(recent) < 3:
        return ""
    low, high = min(recent), max(recent)
    if high == low:
        return SPARKS[3] * len(recent)
    scale = (len(SPARKS) - 1) / (high - low)
    return "".join(SPARKS[round((value - low) * scale)] for value in recent)


def human_size(megabytes: int) -> str:
    """Sizes as people say them: 812 MB, 48.2 GB, 1.3 TB."""
    if megabytes < 1024:
        return f"{megabytes} MB"
    if megabytes < 1024 * 1024:
        return f"{megabytes / 1024:.1f} GB"
    return f"{megabytes / 1024 / 1024:.1f} TB"


def human_age(age: timedelta) -> str:
    """Ages as people say them: 45 s, 12 min, 5 h, 3 d."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 90 * 60:
        return f"{seconds // 60} min"
    if seconds < 48 * 3600:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"


def human_duration(minutes: int | None) -> str:
    """Backup durations: 7 min, 2 h 05 min."""
    if minutes is None:
        return "-"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"
