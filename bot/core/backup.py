"""The backup record: what the API returns, typed, and tolerant of what real responses do.

The API reference contradicts itself (datastore "GaussDB(for MySQL)" vs "gaussdb-mysql",
ids ending `in01` vs `in07`, `backup_level` a string, `size` a Long where the official
SDK reads a float), and newer responses add fields such as `backup_mode`; so values are
checked loosely and unknown fields are kept. Reading pages of them, row by row, is the
Huawei adapter's business (`bot.huawei.page`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AliasChoices,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_serializer,
)


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
# validator per field tripled the cost of reading a page (bench/bench_paging.py). A time
# without an offset is not one the API documents, and could not be compared with others.
OptionalTime = Annotated[AwareDatetime | None, BeforeValidator(_empty_is_none)]


# A sanity bound, not a product limit: a size beyond an exabyte is garbage, and a huge
# enough one would overflow the sums and the units of a summary.
MAX_SIZE_MB = 1e12


class Datastore(BaseModel):
    """The DB engine of a backup; the SDK lets either part be null."""

    model_config = ConfigDict(frozen=True, extra="allow", coerce_numbers_to_str=True)

    type: str | None = None
    version: str | None = None


class Backup(BaseModel):
    """One full backup as listed by `GET /v3/{project_id}/backups`.

    `status` is what the bot reasons with; `status_text` keeps the status exactly as the
    API sent it, so a state this model does not know (the API's `DELETING`) is shown as
    it came rather than as UNKNOWN. `size` is in MB, an int or a float as it came.
    """

    model_config = ConfigDict(frozen=True, extra="allow", coerce_numbers_to_str=True)

    id: str = Field(min_length=1)
    name: str = ""
    begin_time: AwareDatetime
    end_time: OptionalTime = None
    status: BackupStatus = BackupStatus.UNKNOWN
    status_text: str = Field(default="", validation_alias=AliasChoices("status"), exclude=True)
    take_up_time: int | None = Field(default=None, ge=0)
    type: str = ""
    size: int | float | None = Field(default=None, ge=0, le=MAX_SIZE_MB, allow_inf_nan=False)
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

    @property
    def status_label(self) -> str:
        """The status to show: the known state, or an unknown one exactly as it came."""
        if self.status is not BackupStatus.UNKNOWN:
            return self.status.value
        return self.status_text or BackupStatus.UNKNOWN.value

    @field_serializer("status")
    def _dump_status(self, status: BackupStatus) -> str:
        return self.status_label
