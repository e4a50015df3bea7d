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

from bot.core.timefmt import parse_api_time


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


def _api_time(value: Any) -> Any:
    return parse_api_time(value) if isinstance(value, str) else value


def _optional_api_time(value: Any) -> Any:
    if value in ("", None):
        return None
    return _api_time(value)


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


ApiTime = Annotated[datetime, BeforeValidator(_api_time)]
OptionalApiTime = Annotated[datetime | None, BeforeValidator(_optional_api_time)]
LooseText = Annotated[str | None, BeforeValidator(_text)]


class Datastore(BaseModel):
    """The DB engine of a backup."""

    model_config = ConfigDict(frozen=True, extra="allow")

    type: str = ""
    version: LooseText = None


class Backup(BaseModel):
    """One full backup as listed by `GET /v3/{project_id}/backups`."""

    model_config = ConfigDict(frozen=True, extra="allow")

    id: str
    name: str = ""
    begin_time: ApiTime
    end_time: OptionalApiTime = None
    status: BackupStatus = BackupStatus.UNKNOWN
    take_up_time: int | None = Field(default=None, ge=0)
    type: str = ""
    size: int | None = Field(default=None, ge=0)
    datastore: Datastore | None = None
    instance_id: str = ""
    instance_name: str = ""
    backup_level: LooseText = None
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
