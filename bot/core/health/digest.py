"""The daily digest's content: pure, from the fleet's health to what a team reads first.

The last 24 hours per instance, failures first, then the instances whose health is
alarming (policy-aware, see `bot.core.health.reports`), then a compact table of the rest, and
the fleet's health itself for the timeline. The last 24 hours are among the rows health
was judged from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.core.backup import Backup, BackupStatus
from bot.core.health.reports import FleetHealth, HealthReport

DIGEST_PERIOD = timedelta(hours=24)


@dataclass(frozen=True)
class InstanceDay:
    """One line of the digest table: an instance's last 24 hours."""

    name: str
    backups: int
    failed: int
    building: int
    last_good: Backup | None


@dataclass(frozen=True)
class Digest:
    """What a digest says."""

    failures: tuple[Backup, ...]
    alarming: tuple[HealthReport, ...]
    rest: tuple[InstanceDay, ...]
    missed: tuple[date, ...]  # earlier digests that could not be sent, not yet said
    fleet: FleetHealth

    @property
    def instances(self) -> int:
        """How many instances the digest is about."""
        return len(self.fleet.reports)

    @property
    def healthy(self) -> bool:
        """Nothing failed in the last 24 hours and no instance's health is alarming."""
        return not self.failures and not self.alarming


def build_digest(fleet: FleetHealth, *, now: datetime, missed: Sequence[date] = ()) -> Digest:
    """The digest of `fleet`: its health, and the last 24 hours of the rows it was judged from."""
    day_start = now - DIGEST_PERIOD
    recent = [backup for backup in fleet.backups if backup.begin_time >= day_start]
    failures = tuple(b for b in recent if b.status is BackupStatus.FAILED)
    by_instance: dict[str, list[Backup]] = {}
    for backup in recent:  # grouped once: a fleet of thousands is not read once per instance
        by_instance.setdefault(backup.instance_id or backup.instance_name, []).append(backup)
    failed = {backup.instance_id or backup.instance_name for backup in failures}
    rest = []
    for report in fleet.reports:
        instance = report.instance
        if report.alarming or instance.id in failed:
            continue
        mine = by_instance.get(instance.id, [])
        rest.append(
            InstanceDay(
                name=report.label,
                backups=len(mine),
                failed=sum(1 for b in mine if b.status is BackupStatus.FAILED),
                building=sum(1 for b in mine if b.status is BackupStatus.BUILDING),
                last_good=report.last_good,
            )
        )
    rest.sort(key=lambda day: day.name)
    return Digest(
        failures=failures,
        alarming=fleet.alarming,
        rest=tuple(rest),
        missed=tuple(missed),
        fleet=fleet,
    )
