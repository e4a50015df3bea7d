"""A deterministic, realistic fleet of TaurusDB instances, their policies and backups.

The same `now` gives the same fleet: ten instances with 60 days of daily automated
backups, some manual ones, a few failures, an instance whose recent backups all fail,
one backup building right now, and sizes that grow day by day. Six more show what only
policies reveal: one with no backups at all, one backed up weekly, one with automated
backups off, one whose last window was missed, one whose last backup failed and was
retried by TaurusDB half an hour later, and one whose status is not normal. Every
instance has a policy consistent with its backups. What a record holds is `records`'s;
how each instance behaves is `instances`'s.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.huawei.simulator.instance_profiles import (
    BUILDING_INSTANCE,
    DEMO_INSTANCES,
    FAILURE_REASONS,
    HEALTH_INSTANCES,
    HISTORY_DAYS,
)
from bot.huawei.simulator.records import (
    DeclaredInstance,
    StoredBackup,
    backup_record,
    instance_record,
)

BACKUP_CHAIN = 7  # automated backups per chain: one full, then differential ones
ARCHIVE_INSTANCE = "bulk-archive"


class Fleet:
    """The simulator's data: backups newest first, and the instances they belong to.

    Instances are declared (with their record and policy) or merely seen in backups;
    those get a record and a policy derived from their backups (see `inventory`).
    """

    def __init__(self, backups: list[dict[str, Any]] | None = None) -> None:
        self.version = 0
        self._backups: list[StoredBackup] = []
        self.instances: dict[str, str] = {}
        self.declared: dict[str, DeclaredInstance] = {}
        self._inventory: tuple[int, dict[str, DeclaredInstance]] = (-1, {})
        # When an instance's log backups failed, by name (see restore_story): nothing is
        # restorable from then until its next good full backup ends.
        self.log_failures: dict[str, datetime] = {}
        for record in backups or []:
            self.add(record)

    def declare(self, record: dict[str, Any], policy: dict[str, Any]) -> None:
        """Add an instance with its listing record and policy, backups or not."""
        self.declared[record["id"]] = DeclaredInstance(record, policy)
        self.instances[record["name"]] = record["id"]
        self.version += 1

    def inventory(self) -> dict[str, DeclaredInstance]:
        """Every instance by id, sorted by name: declared ones, then any seen only in backups.

        One seen only in backups was created a day before its oldest backup and is backed
        up daily in the UTC hour of its newest automated backup (off if it has none).
        """
        version, cached = self._inventory
        if version == self.version:
            return cached
        newest_auto: dict[str, datetime] = {}
        oldest: dict[str, datetime] = {}
        for stored in self._backups:
            key = stored.record.get("instance_id", "")
            oldest[key] = stored.begin
            if stored.record.get("type") == "auto":
                newest_auto.setdefault(key, stored.begin)
        found = dict(self.declared)
        for name, instance_id in self.instances.items():
            if instance_id in found or not instance_id:
                continue
            hour = (
                newest_auto[instance_id].astimezone(UTC).hour if instance_id in newest_auto else 0
            )
            window = f"{hour:02d}:00-{(hour + 1) % 24:02d}:00"
            keep_days = 7 if instance_id in newest_auto else 0
            created = oldest.get(instance_id, datetime(2020, 1, 1, tzinfo=UTC)) - timedelta(days=1)
            record = instance_record(
                name=name, status="ACTIVE", created=created, window=window, keep_days=keep_days
            )
            policy: dict[str, Any] = {"keep_days": 0}
            if keep_days:
                policy = {"keep_days": keep_days, "start_time": window, "period": "1,2,3,4,5,6,7"}
            found[instance_id] = DeclaredInstance(record, policy)
        inventory = dict(sorted(found.items(), key=lambda item: item[1].record["name"]))
        self._inventory = (self.version, inventory)
        return inventory

    @property
    def backups(self) -> list[StoredBackup]:
        """All backups, newest first."""
        return self._backups

    def add(self, record: dict[str, Any]) -> None:
        """Add a backup record (as the API would return it)."""
        self.extend([record])

    def replace(self, record: dict[str, Any]) -> None:
        """Put a changed record in place of the backup with its id (a backup that ended)."""
        self._backups = [
            StoredBackup.of(record) if stored.record.get("id") == record["id"] else stored
            for stored in self._backups
        ]
        self.version += 1

    def remove(self, backup_id: str) -> None:
        """Take the backup with this id out of the listing (deleted in the console)."""
        self._backups = [s for s in self._backups if s.record.get("id") != backup_id]
        self.version += 1

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
        now = now.astimezone(UTC)
        fleet = cls()
        fleet.extend([*_demo_records(now), *_health_records(now)])
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        for profile in (*DEMO_INSTANCES, *HEALTH_INSTANCES):
            created = today - timedelta(days=profile.created_days_ago) + timedelta(hours=9)
            record = instance_record(
                name=profile.name,
                status=profile.status,
                created=created,
                window=profile.window,
                keep_days=profile.policy()["keep_days"],
            )
            fleet.declare(record, profile.policy())
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

    @classmethod
    def archive(cls, count: int, now: datetime, *, days: int = 30) -> Fleet:
        """One instance, `ARCHIVE_INSTANCE`, with `count` backups spread evenly over the last
        `days` days, every 50th failed: a window of many pages for one question."""
        step = timedelta(days=days) / max(count, 1)
        start = now.astimezone(UTC).replace(microsecond=0)
        records = [
            backup_record(
                profile_name=ARCHIVE_INSTANCE,
                begin=(start - step * (index + 1)).replace(microsecond=0),
                minutes=3,
                status="FAILED" if index % 50 == 49 else "COMPLETED",
                kind="auto" if index % 10 else "manual",
                size_mb=round(900 + (index % 100) * 0.37, 2),
                serial=f"archive{index:07d}",
            )
            for index in range(count)
        ]
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


def _health_records(now: datetime) -> list[dict[str, Any]]:
    """The backups of HEALTH_INSTANCES, each consistent with its policy and story."""
    records: list[dict[str, Any]] = []
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    for profile in HEALTH_INSTANCES:
        rng = random.Random(profile.name)
        created = today - timedelta(days=profile.created_days_ago) + timedelta(hours=9)
        retried = today + timedelta(hours=profile.backup_hour)
        if retried > now - timedelta(hours=2):
            retried -= timedelta(days=1)
        growth = 1.0
        # Automated backups older than keep_days are gone: TaurusDB deletes them.
        for days_ago in range(min(HISTORY_DAYS, profile.keep_days - 1), -1, -1):
            growth *= 1.0 + rng.uniform(0.001, 0.008)
            start = today - timedelta(days=days_ago) + timedelta(hours=profile.backup_hour)
            begin = start + timedelta(minutes=rng.randrange(0, 50), seconds=rng.randrange(60))
            if (
                not profile.automated
                or start.isoweekday() not in profile.weekdays
                or start < created
                or start > now - timedelta(hours=profile.quiet_hours)
                or begin > now - timedelta(minutes=5)
            ):
                continue
            size = round(profile.base_size_mb * growth, 2)
            minutes = max(1, round(size / rng.uniform(1_400, 2_200)))
            if profile.retried and start == retried:
                records.append(
                    backup_record(
                        profile_name=profile.name,
                        begin=begin,
                        minutes=3,
                        status="FAILED",
                        kind="auto",
                        size_mb=0,
                        serial=f"auto{days_ago:03d}",
                        description=FAILURE_REASONS[2],
                        mode="differential" if begin.toordinal() % BACKUP_CHAIN else "completed",
                    )
                )
                begin += timedelta(minutes=3 + 30)  # TaurusDB retries about 30 min later
            records.append(
                backup_record(
                    profile_name=profile.name,
                    begin=begin,
                    minutes=minutes,
                    status="COMPLETED",
                    kind="auto",
                    size_mb=size,
                    serial=f"{'retry' if profile.retried and start == retried else 'auto'}"
                    f"{days_ago:03d}",
                    mode="differential" if begin.toordinal() % BACKUP_CHAIN else "completed",
                )
            )
        for index in range(profile.manual_backups):
            begin = today - timedelta(days=3 + 7 * index) + timedelta(hours=14)
            records.append(
                backup_record(
                    profile_name=profile.name,
                    begin=begin,
                    minutes=1,
                    status="AVAILABLE",
                    kind="manual",
                    size_mb=round(profile.base_size_mb * 1.0137, 2),
                    serial=f"manual{index:02d}",
                    description="before a test run" if index == 0 else "",
                )
            )
    return records
