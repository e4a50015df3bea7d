"""The simulated instances: how each one behaves (its backup window and weekdays, its
failures, its status, its age), from which the fleet derives its backups and policies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

HISTORY_DAYS = 60


@dataclass(frozen=True)
class InstanceProfile:
    """How one simulated instance behaves.

    The fields after `manual_backups` serve the health instances: `weekdays` of the
    policy (1 is Monday), `automated` False for a policy that takes none, `status`,
    `created_days_ago`, `quiet_hours` (no automated backup for windows that started
    within that many hours) and `retried` (the last window that ended at least an hour
    ago failed, and TaurusDB's retry 30 minutes later succeeded).
    """

    name: str
    base_size_mb: int
    backup_hour: int
    failure_days: tuple[int, ...] = ()
    failing_since_days: int | None = None
    manual_backups: int = 1
    weekdays: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)
    automated: bool = True
    status: str = "ACTIVE"
    created_days_ago: int = 400
    quiet_hours: int = 0
    retried: bool = False
    keep_days: int = 90  # enough to keep every automated backup of HISTORY_DAYS

    def policy(self) -> dict[str, Any]:
        """`backup_policy` as `GET .../backups/policy` serialises it."""
        if not self.automated:
            return {"keep_days": 0}  # as RDS documents a policy that is off
        return {
            "keep_days": self.keep_days,
            "start_time": self.window,
            "period": ",".join(str(day) for day in self.weekdays),
        }

    @property
    def window(self) -> str:
        """The one-hour backup window in UTC, "hh:00-HH:00" (the SDK's rule)."""
        return f"{self.backup_hour:02d}:00-{(self.backup_hour + 1) % 24:02d}:00"


DEMO_INSTANCES: tuple[InstanceProfile, ...] = (
    InstanceProfile("orders-prod", 48_000, 2, failure_days=(3, 19), manual_backups=3),
    InstanceProfile("orders-staging", 6_500, 3),
    InstanceProfile("payments-prod", 31_000, 1, failure_days=(11,), manual_backups=2),
    InstanceProfile("users-prod", 12_400, 2),
    InstanceProfile("inventory-prod", 22_800, 4, failure_days=(27,)),
    InstanceProfile("analytics-dw", 180_000, 0, manual_backups=0),
    InstanceProfile("billing-prod", 9_700, 3, failure_days=(1,)),
    InstanceProfile("search-prod", 15_300, 5),
    InstanceProfile("legacy-crm", 3_200, 1, failing_since_days=3, manual_backups=0),
    InstanceProfile("reporting-dev", 1_800, 6, manual_backups=2),
)
HEALTH_INSTANCES: tuple[InstanceProfile, ...] = (
    InstanceProfile("sessions-prod", 2_100, 4, manual_backups=0, created_days_ago=3,
                    quiet_hours=24 * 4, keep_days=7),
    InstanceProfile("archive-prod", 64_000, 3, weekdays=(1,), manual_backups=0, keep_days=30),
    InstanceProfile("scratch-dev", 900, 3, automated=False, manual_backups=2),
    InstanceProfile("events-prod", 7_300, 7, manual_backups=0, quiet_hours=26, keep_days=14),
    InstanceProfile("ledger-prod", 11_900, 5, manual_backups=0, retried=True, keep_days=14),
    InstanceProfile("warehouse-prod", 95_000, 1, manual_backups=0, status="FROZEN",
                    quiet_hours=48, keep_days=14),
)  # fmt: skip
NO_BACKUPS_INSTANCE = "sessions-prod"
BUILDING_INSTANCE = "analytics-dw"
FAILURE_REASONS = (
    "Backup failed: insufficient backup storage space.",
    "Backup failed: the instance was restarted during the backup.",
    "Backup failed: OBS upload timed out.",
)
