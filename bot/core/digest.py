"""The daily digest's content: pure, from the fleet's health to what a team reads first.

The last 24 hours per instance, failures first, then instances with no good backup for
longer than the threshold, then a compact table of the rest. Health is judged from a
week of rows (FleetHealth), so "no good backup for over 26 h" is known, not guessed;
the last 24 hours are among those rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.backup import Backup, BackupStatus
from bot.core.query import Last
from bot.core.staleness import FleetHealth, InstanceHealth

DIGEST_PERIOD = timedelta(hours=24)
HISTORY = Last(7, "d")
"""How far back health is judged from (longer if the threshold is), so it is conclusive."""


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
    stale: tuple[InstanceHealth, ...]
    rest: tuple[InstanceDay, ...]
    missed: tuple[str, ...]
    instances: int

    @property
    def healthy(self) -> bool:
        """Nothing failed and nothing is stale."""
        return not self.failures and not self.stale


def build_digest(fleet: FleetHealth, *, now: datetime, missed: Sequence[str] = ()) -> Digest:
    """The digest of `fleet`: its health, and the last 24 hours of the rows it was judged from."""
    day_start = now - DIGEST_PERIOD
    recent = [backup for backup in fleet.backups if backup.begin_time >= day_start]
    failures = tuple(b for b in recent if b.status is BackupStatus.FAILED)
    stale_names = {health.name for health in fleet.stale}
    failed_names = {backup.instance_name for backup in failures}
    rest = []
    for health in fleet.instances:
        if health.name in stale_names or health.name in failed_names:
            continue
        mine = [b for b in recent if (b.instance_name or b.instance_id) == health.name]
        rest.append(
            InstanceDay(
                name=health.name,
                backups=len(mine),
                failed=sum(1 for b in mine if b.status is BackupStatus.FAILED),
                building=sum(1 for b in mine if b.status is BackupStatus.BUILDING),
                last_good=health.last_good,
            )
        )
    rest.sort(key=lambda day: day.name)
    return Digest(
        failures=failures,
        stale=fleet.stale,
        rest=tuple(rest),
        missed=tuple(missed),
        instances=len(fleet.instances),
    )
