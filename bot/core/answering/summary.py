"""What an on-call engineer needs first, computed from backups: pure functions only."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.core.backup import Backup, BackupStatus

STATUS_ORDER = (
    BackupStatus.FAILED,
    BackupStatus.BUILDING,
    BackupStatus.COMPLETED,
    BackupStatus.AVAILABLE,
    BackupStatus.UNKNOWN,
)
SPARKS = "▁▂▃▄▅▆▇█"
GOOD = frozenset(status for status in BackupStatus if status.is_good)


@dataclass(frozen=True)
class InstanceSummary:
    """One instance among the rows summarised: how many, how many failed, its sizes.

    Whether it has a good backup recent enough is not for rows of any window to say:
    see `bot.core.health.reports`, judged from a read that reaches now.
    """

    name: str
    instance_id: str
    backups: int
    failed: int
    sizes: tuple[float, ...]


@dataclass(frozen=True)
class Summary:
    """Counts by status, failures first, size, the slowest, and each instance's share.

    It describes the rows given, nothing more: whether an instance is healthy now is
    `bot.core.health.reports`'s business, judged from a read that reaches now.
    """

    counts: tuple[tuple[BackupStatus, int], ...]
    total: int
    total_size_mb: float
    failures: tuple[Backup, ...]
    slowest: tuple[Backup, ...]
    instances: tuple[InstanceSummary, ...]
    covered_since: datetime | None
    complete: bool

    def count(self, status: BackupStatus) -> int:
        """How many backups have `status`."""
        return dict(self.counts).get(status, 0)


@dataclass
class _Tally:
    """Running totals for one instance during the single pass of `summarise`."""

    first: Backup
    backups: int = 0
    failed: int = 0
    sizes: list[float] = field(default_factory=list)


def summarise(
    backups: Sequence[Backup],
    *,
    covered_since: datetime | None,
    complete: bool,
) -> Summary:
    """Summarise `backups`, newest first, which are all the backups since `covered_since`
    (`complete`: of the whole window asked about, else only its newest).

    One pass over the rows: this runs on every answer, for up to tens of thousands.
    """
    counts: Counter[BackupStatus] = Counter()
    tallies: dict[str, _Tally] = {}
    failures: list[Backup] = []
    good_size: float = 0
    for backup in backups:
        status = backup.status
        counts[status] += 1
        key = backup.instance_id or backup.instance_name
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = _Tally(first=backup)
        tally.backups += 1
        if status in GOOD:
            size = backup.size or 0
            good_size += size
            tally.sizes.append(size)
        elif status is BackupStatus.FAILED:
            tally.failed += 1
            failures.append(backup)
    instances = [_instance(tally) for tally in tallies.values()]
    instances.sort(key=lambda instance: (-instance.failed, instance.name))
    slowest = heapq.nsmallest(
        3,
        (backup for backup in backups if backup.take_up_time),
        key=lambda backup: (-(backup.take_up_time or 0), backup.id),
    )
    return Summary(
        counts=tuple((status, counts[status]) for status in STATUS_ORDER if counts[status]),
        total=len(backups),
        total_size_mb=good_size,
        failures=tuple(failures),
        slowest=tuple(slowest),
        instances=tuple(instances),
        covered_since=covered_since,
        complete=complete,
    )


def _instance(tally: _Tally) -> InstanceSummary:
    return InstanceSummary(
        name=tally.first.instance_name or tally.first.instance_id,
        instance_id=tally.first.instance_id,
        backups=tally.backups,
        failed=tally.failed,
        sizes=tuple(reversed(tally.sizes)),
    )


def sparkline(values: Sequence[float], *, width: int = 14) -> str:
    """A one-line trend, e.g. ▁▂▂▃▅▆█, of the last `width` values ('' if fewer than 3)."""
    recent = list(values)[-width:] if width > 0 else []
    if len(recent) < 3:
        return ""
    low, high = min(recent), max(recent)
    if high == low:
        return SPARKS[3] * len(recent)
    scale = (len(SPARKS) - 1) / (high - low)
    return "".join(SPARKS[round((value - low) * scale)] for value in recent)
