"""What an on-call engineer needs first, computed from backups: pure functions only."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
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
GOOD = frozenset(status for status in BackupStatus if status.is_good)


@dataclass(frozen=True)
class InstanceSummary:
    """One instance among the rows summarised: how many, how many failed, its sizes.

    Whether it has a good backup recent enough is not for rows of any window to say:
    see InstanceHealth, judged from a read that reaches now.
    """

    name: str
    instance_id: str
    backups: int
    failed: int
    sizes: tuple[float, ...]


@dataclass(frozen=True)
class InstanceHealth:
    """Whether an instance has a good backup recent enough, as of when it was judged.

    `last_good` is its newest good backup. When it is None, all that is known is that it
    had no good backup since `covered_since`.
    """

    name: str
    instance_id: str
    last_good: Backup | None
    covered_since: datetime | None
    stale: bool

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
class FleetHealth:
    """Per-instance health as of `judged_at`, from every backup since `covered_since`.

    The rows it was judged from are kept in `backups` (newest first): digests and
    watches list the failures among them.
    """

    instances: tuple[InstanceHealth, ...]
    backups: tuple[Backup, ...]
    covered_since: datetime | None
    stale_after: timedelta
    judged_at: datetime
    as_of: datetime

    @property
    def stale(self) -> tuple[InstanceHealth, ...]:
        """Instances with no good backup for longer than the threshold."""
        return tuple(health for health in self.instances if health.stale)

    def including(self, sightings: Iterable[Sighting]) -> FleetHealth:
        """This health, plus the instances sighted elsewhere that had no backup at all here.

        Such an instance had no good backup since `covered_since`, or since the last
        good backup the other read found.
        """
        known = {_key(health) for health in self.instances}
        added = []
        for sighting in sightings:
            if _key(sighting) in known:
                continue
            known.add(_key(sighting))
            added.append(
                judge(
                    name=sighting.name,
                    instance_id=sighting.instance_id,
                    last_good=sighting.last_good,
                    covered_since=self.covered_since,
                    now=self.judged_at,
                    stale_after=self.stale_after,
                )
            )
        if not added:
            return self
        return replace(self, instances=_ordered([*self.instances, *added]))


@dataclass(frozen=True)
class Sighting:
    """An instance seen by another read than health's, and its last good backup if that
    read can tell (a probe of its newest backup can; a window in the past cannot)."""

    name: str
    instance_id: str
    last_good: Backup | None


def _key(instance: InstanceHealth | Sighting) -> str:
    return instance.instance_id or instance.name


def _ordered(healths: Iterable[InstanceHealth]) -> tuple[InstanceHealth, ...]:
    return tuple(sorted(healths, key=lambda health: (not health.stale, health.name)))


def judge(
    *,
    name: str,
    instance_id: str,
    last_good: Backup | None,
    covered_since: datetime | None,
    now: datetime,
    stale_after: timedelta,
) -> InstanceHealth:
    """An instance is stale when its last good backup, or the lack of one for as long as
    the rows cover, is older than `stale_after`; with neither, nothing is concluded."""
    if last_good is not None:
        stale = now - last_good.begin_time > stale_after
    else:
        stale = covered_since is not None and now - covered_since > stale_after
    return InstanceHealth(
        name=name,
        instance_id=instance_id,
        last_good=last_good,
        covered_since=covered_since,
        stale=stale,
    )


def assess(
    backups: Sequence[Backup],
    *,
    now: datetime,
    covered_since: datetime | None,
    stale_after: timedelta,
    as_of: datetime,
) -> FleetHealth:
    """The health of every instance among `backups` (newest first, all since
    `covered_since`, read at `as_of`), judged at `now`."""
    newest_good: dict[str, tuple[Backup, Backup | None]] = {}
    for backup in backups:
        key = backup.instance_id or backup.instance_name
        seen = newest_good.get(key)
        if seen is None:
            newest_good[key] = (backup, backup if backup.status in GOOD else None)
        elif seen[1] is None and backup.status in GOOD:
            newest_good[key] = (seen[0], backup)
    healths = [
        judge(
            name=first.instance_name or first.instance_id,
            instance_id=first.instance_id,
            last_good=last_good,
            covered_since=covered_since,
            now=now,
            stale_after=stale_after,
        )
        for first, last_good in newest_good.values()
    ]
    return FleetHealth(
        instances=_ordered(healths),
        backups=tuple(backups),
        covered_since=covered_since,
        stale_after=stale_after,
        judged_at=now,
        as_of=as_of,
    )


@dataclass(frozen=True)
class Summary:
    """Counts by status, failures first, size, the slowest, and each instance's share.

    It describes the rows given, nothing more: whether an instance is healthy now is
    FleetHealth's business, judged from a read that reaches now.
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


def human_size(megabytes: float) -> str:
    """Sizes as people say them: 812 MB, 48.2 GB, 1.3 TB (the API's MB may be fractional).

    Whole megabytes are enough under a gigabyte, except under 10 MB, where rounding a
    fractional size could turn 0.4 MB into "0 MB".
    """
    if round(megabytes) < 1024:
        if megabytes != int(megabytes) and round(megabytes, 1) < 10:
            return f"{megabytes:.1f} MB"
        return f"{megabytes:.0f} MB"
    if round(megabytes / 1024, 1) < 1024:  # 1048575 MB is 1.0 TB, not 1024.0 GB
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
