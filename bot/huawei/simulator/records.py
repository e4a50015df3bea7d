"""Backups and instances exactly as the API serialises them: ids, times in the server's
offset, and the fields and types of the official SDK's models.

Records carry what the official SDK's `Backups` model knows, with its types: `size` in
MB as a float, `backup_mode` ("completed" for a full backup, "differential" otherwise),
`backup_level` only for instances with level-1 backups enabled, and `description` only
when there is one.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from bot.huawei.wire import API_TIME_FORMAT, parse_api_time

SIMULATOR_PROJECT_ID = "0b1d2c3e4f5a69788796a5b4c3d2e1f0"
SIMULATOR_ACCESS_KEY = "SIMULATORAK0000DEMO"
SIMULATOR_SECRET_KEY = "simulator-demo-secret-not-a-real-key"  # a public demo value
SERVER_OFFSET = timezone(timedelta(hours=8))  # the API answers in the region's local offset
LEVEL1_INSTANCES = frozenset({"orders-prod", "payments-prod"})  # level-1 backups enabled


def _hex_id(seed: str, suffix: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:32] + suffix


def instance_id_for(name: str) -> str:
    """The simulator's id for an instance name: 32 hex digits and `in07`."""
    return _hex_id(f"instance:{name}", "in07")


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


def instance_record(
    *, name: str, status: str, created: datetime, window: str, keep_days: int
) -> dict[str, Any]:
    """One instance as `GET /v3/{project_id}/instances` serialises it (the SDK's field types)."""
    digest = hashlib.sha256(f"network:{name}".encode()).hexdigest()
    local_created = created.astimezone(SERVER_OFFSET).strftime(API_TIME_FORMAT)
    return {
        "id": instance_id_for(name),
        "name": name,
        "status": status,
        "private_ips": [f"192.168.{int(digest[:2], 16)}.{int(digest[2:4], 16) % 250 + 2}"],
        "proxy_ips": [],
        "readonly_private_ips": [],
        "public_ips": [],
        "port": "3306",
        "type": "Cluster",
        "region": "cn-north-4",
        "datastore": {"type": "gaussdb-mysql", "version": "8.0"},
        "created": local_created,
        "updated": local_created,
        "db_user_name": "root",
        "vpc_id": str(uuid.UUID(digest[:32])),
        "subnet_id": str(uuid.UUID(digest[32:64])),
        "security_group_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"security-group:{name}")),
        "flavor_ref": "gaussdb.mysql.xlarge.x86.4",
        "flavor_info": {"vcpus": "4", "ram": "16"},
        "volume": {"type": "POOL", "size": "0"},
        # The SDK types backup_strategy.keep_days as a string.
        "backup_strategy": {"start_time": window, "keep_days": str(keep_days)},
        "enterprise_project_id": "0",
        "time_zone": "UTC+08:00",
        "charge_info": {"charge_mode": "postPaid"},
        "tags": [],
    }


@dataclass(frozen=True)
class DeclaredInstance:
    """An instance of the fleet: its listing record and its policy, as the API sends them."""

    record: dict[str, Any]
    policy: dict[str, Any]


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


@dataclass
class ManualBackup:
    """One backup taken by hand, and its job."""

    job_id: str
    instance_id: str
    instance_name: str
    record: dict[str, Any]
    started: datetime
    minutes: float
    fails: bool
    size_mb: float
    status: str = "BUILDING"
    listed_from: datetime | None = None  # when the listing shows it (None: listed already)
