"""The backup record: what the API returns, typed, and tolerant of what real responses do.

The API reference contradicts itself (datastore "GaussDB(for MySQL)" vs "gaussdb-mysql",
ids ending `in01` vs `in07`, `backup_level` a string), and newer responses add fields
such as `backup_mode`; so values are checked loosely and unknown fields are kept.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


class BackupStatus(StrEnum):
    """Backup states the API documents, plus UNKNOWN for anything newer."""

    BUILDING = "BUILDING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    AVAILABLE = "AVAILABLE"
    UNKNOWN = "UNKNOWN"

    @classmethod
    def _missing_(cls, value: object) -> BackupStatus:
        if isinstance(value, str):
            for member in cls:
                if member.value == value.upper():
                    return member
        return cls.UNKNOWN

    @property
    def is_good(self) -> bool:
        """A backup one could restore from."""
        return self in (BackupStatus.COMPLETED, BackupStatus.AVAILABLE)


def _empty_is_none(value: Any) -> Any:
    return None if value == "" else value


# Times are parsed by pydantic-core itself (it reads `+0800`, `+08:00` and `Z`): a Python
# validator per field tripled the cost of reading a page (bench/bench_paging.py).
OptionalTime = Annotated[datetime | None, BeforeValidator(_empty_is_none)]


class Datastore(BaseModel):
    """The DB engine of a backup."""

    model_config = ConfigDict(frozen=True, extra="allow", coerce_numbers_to_str=True)

    type: str = ""
    version: str | None = None


class Backup(BaseModel):
    """One full backup as listed by `GET /v3/{project_id}/backups`."""

    model_config = ConfigDict(frozen=True, extra="allow", coerce_numbers_to_str=True)

    id: str
    name: str = ""
    begin_time: datetime
    end_time: OptionalTime = None
    status: BackupStatus = BackupStatus.UNKNOWN
    take_up_time: int | None = Field(default=None, ge=0)
    type: str = ""
    size: int | None = Field(default=None, ge=0)
    datastore: Datastore | None = None
    instance_id: str = ""
    instance_name: str = ""
    backup_level: str | None = None
    description: str | None = None
    backup_mode: str | None = None

    @property
    def extra_fields(self) -> dict[str, Any]:
        """Fields the API sent that this model does not know by name."""
        return dict(self.model_extra or {})


class BackupPage(BaseModel):
    """One page of the listing, as the API returned it."""

    model_config = ConfigDict(frozen=True, extra="allow")

    backups: tuple[Backup, ...] = ()
    total_count: int = Field(default=0, ge=0)
