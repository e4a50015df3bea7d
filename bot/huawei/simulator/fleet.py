"""A deterministic, realistic fleet of TaurusDB instances and their backups.

The same `now` gives the same fleet: about ten instances, 60 days of daily automated
backups, some manual ones, a few failures, an instance whose recent backups all fail,
one backup building right now, and sizes that grow day by day.

Records carry what the official SDK's `Backups` model knows, with its types: `size` in
MB as a float, `backup_mode` ("completed" for a full backup; automated backups form
chains of seven, a full one then six "differential" ones), `backup_level` only for
instances with level-1 backups enabled, and `description` only when there is one.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from bot.core.timefmt import API_TIME_FORMAT, parse_api_time

SIMULATOR_PROJECT_ID = "0b1d2c3e4f5a69788796a5b4c3d2e1f0"
SIMULATOR_ACCESS_KEY = "SIMULATORAK0000DEMO"
SIMULATOR_SECRET_KEY = "simulator-demo-secret-not-a-real-key"  # a public demo value
SERVER_OFFSET = timezone(timedelta(hours=8))  # the API answers in the region's local offset
HISTORY_DAYS = 60
BACKUP_CHAIN = 7  # automated backups per chain: one full, then differential ones
LEVEL1_INSTANCES = frozenset({"orders-prod", "payments-prod"})  # level-1 backups enabled


def _hex_id(seed: str, suffix: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:32] + suffix


def instance_id_for(name: str) -> str:
    """The simulator's id for an instance name: 32 hex digits and `in07`."""
    return _hex_id(f"instance:{name}", "in07")


@dataclass(frozen=True)
class InstanceProfile:
    """How one simulated instance behaves."""

    name: str
    base_size_mb: int
    backup_hour: int
    failure_days: tuple[int, ...] = ()
    failing_since_days: int | None = None
    manual_backups: int = 1


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
BUILDING_INSTANCE = "analytics-dw"
FAILURE_REASONS = (
    "Backup failed: insufficient backup storage space.",
    "Backup failed: the instance was restarted during the backup.",
    "Backup failed: OBS upload timed out.",
)


def backup_record(
    *,
    profile_name: str,
    begin: datetime,
    minutes: int | None,
    status: str,
    kind: str,
    size_mb: float,
    serial: str,
    description: str = "",
    mode: str = "completed",
) -> dict[str, Any]:
    """One backup exactly as the API serialises it (times in the server's offset).

    `mode` is the `backup_mode`: "completed" (full) or "differential".
    """
    local_begin = begin.astimezone(SERVER_OFFSET)
    name = f"TaurusDB-{profile_name}-{local_begin:%Y%m%d%H%M%S}{serial[-3:]}"
    if kind == "manual":
        name = f"manual-{profile_name}-{local_begin:%Y%m%d%H%M}"
    record: dict[str, Any] = {
        "id": _hex_id(f"backup:{profile_name}:{serial}", "br07"),
        "name": name[:64],
        "begin_time": local_begin.strftime(API_TIME_FORMAT),
        "end_time": ""
        if minutes is None
        else (local_begin + timedelta(minutes=minutes)).strftime(API_TIME_FORMAT),
        "take_up_time": minutes or 0,
        "status": status,
        "type": kind,
        "size": size_mb,
        "datastore": {"type": "gaussdb-mysql", "version": "8.0"},
        "instance_id": instance_id_for(profile_name),
        "instance_name": profile_name,
    }
    # The reference: returned only when level-1 backups are enabled; "0" while a backup
    # is being created or when it failed.
    if profile_name in LEVEL1_INSTANCES:
        record["backup_level"] = "0" if status in ("FAILED", "BUILDING") else "2"
    if description:
        record["description"] = description
    record["backup_mode"] = mode
    return record


@dataclass(frozen=True)
class StoredBackup:
    """A backup in the fleet: its start (for filtering), its record, and that record as JSON."""

    begin: datetime
    record: dict[str, Any]
    encoded: bytes

    @classmethod
    def of(cls, record: dict[str, Any]) -> StoredBackup:
        """Store a record, encoding it once rather than on every page that shows it."""
        return cls(parse_api_time(record["begin_time"]), record, json.dumps(record).encode())


class Fleet:
    """The simulator's data: backups newest first, and the instances they belong to."""

    def __init__(self, backups: list[dict[str, Any]] | None = None) -> None:
        self.version = 0
        self._backups: list[StoredBackup] = []
        self.instances: dict[str, str] = {}
        for record in backups or []:
            self.add(record)

    @property
    def backups(self) -> list[StoredBackup]:
        """All backups, newest first."""
        return self._backups

    def add(self, record: dict[str, Any]) -> None:
        """Add a backup record (as the API would return it)."""
        self.extend([record])

    def extend(self, records: list[dict[str, Any]]) -> None:
        """Add many records at once (one sort)."""
        for record in records:
            self._backups.append(StoredBackup.of(record))
            if record.get("instance_name"):
                self.instances[record["instance_name"]] = record.get("instance_id", "")
        self._backups.sort(key=lambda item: item.begin, reverse=True)
        self.version += 1

    @classmethod
    def demo(cls, now: datetime) -> Fleet:
        """The demo fleet as it stands at `now`."""
        fleet = cls()
        fleet.extend(list(_demo_records(now.astimezone(UTC))))
        return fleet

    @classmethod
    def bulk(cls, count: int, now: datetime) -> Fleet:
        """`count` backups, one an hour going back from `now`, spread over the demo instances."""
        records = []
        start = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        for index in range(count):
            profile = DEMO_INSTANCES[index % len(DEMO_INSTANCES)]
            begin = start - timedelta(hours=index + 1)
            records.append(
                backup_record(
                    profile_name=profile.name,
                    begin=begin,
                    minutes=7,
                    status="COMPLETED",
                    kind="auto",
                    size_mb=round(profile.base_size_mb + (index % 100) * 0.37, 2),
                    serial=f"bulk{index:07d}",
                )
            )
        fleet = cls()
        fleet.extend(records)
        return fleet


def _demo_records(now: datetime) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    for profile in DEMO_INSTANCES:
        rng = random.Random(profile.name)
        growth = 1.0
        for days_ago in range(HISTORY_DAYS, -1, -1):
            growth *= 1.0 + rng.uniform(0.001, 0.008)
            size = round(profile.base_size_mb * growth, 2)
            begin = (
                today
                - timedelta(days=days_ago)
                + timedelta(
                    hours=profile.backup_hour,
                    minutes=rng.randrange(0, 50),
                    seconds=rng.randrange(60),
                )
            )
            if begin > now - timedelta(minutes=5):
                continue
            failing = (
                profile.failing_since_days is not None and days_ago <= profile.failing_since_days
            )
            if days_ago in profile.failure_days or failing:
                status, minutes, stored_size = "FAILED", rng.randrange(1, 4), 0.0
                description = FAILURE_REASONS[(days_ago + len(profile.name)) % len(FAILURE_REASONS)]
            else:
                status, minutes, stored_size, description = "COMPLETED", 0, size, ""
                minutes = max(1, round(size / rng.uniform(1_400, 2_200)))
            records.append(
                backup_record(
                    profile_name=profile.name,
                    begin=begin,
                    minutes=minutes,
                    status=status,
                    kind="auto",
                    size_mb=stored_size,
                    serial=f"auto{days_ago:03d}",
                    description=description,
                    mode="differential" if begin.toordinal() % BACKUP_CHAIN else "completed",
                )
            )
        for index in range(profile.manual_backups):
            days_ago = 2 + (index * 17 + len(profile.name)) % (HISTORY_DAYS - 3)
            begin = today - timedelta(days=days_ago) + timedelta(hours=14, minutes=index * 7)
            size = round(profile.base_size_mb * (1.0 + 0.004 * (HISTORY_DAYS - days_ago)), 2)
            records.append(
                backup_record(
                    profile_name=profile.name,
                    begin=begin,
                    minutes=max(1, int(size // 1_800)),
                    status="AVAILABLE",
                    kind="manual",
                    size_mb=size,
                    serial=f"manual{index:02d}",
                    description="before schema migration" if index == 0 else "",
                )
            )
    building_begin = now - timedelta(minutes=20)
    records.append(
        backup_record(
            profile_name=BUILDING_INSTANCE,
            begin=building_begin,
            minutes=None,
            status="BUILDING",
            kind="manual",
            size_mb=0,
            serial="building",
            description="requested from the console",
        )
    )
    return records
