"""The backup record: what the API returns, typed, and tolerant of what real responses do.

The API reference contradicts itself (datastore "GaussDB(for MySQL)" vs "gaussdb-mysql",
ids ending `in01` vs `in07`, `backup_level` a string, `size` a Long where the official
SDK reads a float), and newer responses add fields such as `backup_mode`; so values are
checked loosely and unknown fields are kept.

A page is read in one pass by pydantic-core: its envelope strictly, each row on its own.
A row with no id or no readable start time is set aside (and counted), and a field that
cannot be read in an otherwise good row is dropped, so one odd row never costs a whole
answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AliasChoices,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_serializer,
)
from pydantic_core import ErrorDetails

from bot.core.validation import first_problem


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


# Without these a backup cannot be placed in a window nor told apart from another.
ESSENTIAL_FIELDS = frozenset({"id", "begin_time"})


@dataclass(frozen=True)
class RowProblem:
    """A row of a page that could not be read whole, as it came, and why.

    `skipped` rows were left out; otherwise only the `fields` named were dropped.
    """

    row: object
    fields: tuple[str, ...]
    reason: str
    skipped: bool


@dataclass(frozen=True)
class BackupPage:
    """One page of the listing: the rows read, and those that could not be.

    `total_count` is None when the API left it out (the SDK allows that).
    """

    backups: tuple[Backup, ...]
    total_count: int | None
    problems: tuple[RowProblem, ...] = ()

    @property
    def unreadable(self) -> int:
        """How many rows were left out because they could not be read."""
        return sum(problem.skipped for problem in self.problems)

    @property
    def rows(self) -> int:
        """How many rows the API sent, readable or not."""
        return len(self.backups) + self.unreadable


class UnreadablePage(Exception):
    """The body is not a page: garbled JSON (`garbled`), or an envelope of the wrong shape."""

    def __init__(self, location: str, *, garbled: bool) -> None:
        super().__init__(location)
        self.location = location
        self.garbled = garbled


# A row that is not a well-formed Backup is kept as it came (the union is tried left to
# right), so pydantic-core still reads the whole page in one pass with no Python per row.
_Row = Annotated[Backup | Any, Field(union_mode="left_to_right")]


class _Page(BaseModel):
    """The page as the API sent it: a strict envelope, rows as Backups or as they came."""

    model_config = ConfigDict(frozen=True)

    backups: tuple[_Row, ...] | None = None
    total_count: int | None = Field(default=None, ge=0)


def _reason(errors: list[ErrorDetails]) -> str:
    return "; ".join(
        f"{'.'.join(map(str, error['loc'])) or 'row'}: {error['msg']}" for error in errors
    )


def read_page(body: bytes | str) -> BackupPage:
    """Read one page of the listing; raise UnreadablePage only if the page itself is broken."""
    try:
        page = _Page.model_validate_json(body)
    except ValidationError as exc:
        first = first_problem(exc)
        garbled = first.kind == "json_invalid"
        raise UnreadablePage(first.where or "top level", garbled=garbled) from exc
    rows = page.backups or ()
    if all(type(row) is Backup for row in rows):
        return BackupPage(backups=rows, total_count=page.total_count)
    backups: list[Backup] = []
    problems: list[RowProblem] = []
    for row in rows:
        backup, problem = (row, None) if type(row) is Backup else read_row(row)
        if backup is not None:
            backups.append(backup)
        if problem is not None:
            problems.append(problem)
    return BackupPage(
        backups=tuple(backups), total_count=page.total_count, problems=tuple(problems)
    )


def read_row(row: object) -> tuple[Backup | None, RowProblem | None]:
    """One row on its own: the backup, if it can be placed, and what could not be read.

    A known field sent as null is taken as absent (the SDK reads it so), not as a problem.
    """
    if not isinstance(row, Mapping):
        try:
            return Backup.model_validate(row), None
        except ValidationError as exc:
            return None, RowProblem(row, (), _reason(exc.errors()), skipped=True)
    values = {k: v for k, v in row.items() if v is not None or k not in Backup.model_fields}
    try:
        return Backup.model_validate(values), None
    except ValidationError as exc:
        errors = exc.errors()
    fields = tuple(sorted({str(error["loc"][0]) for error in errors if error["loc"]}))
    if not fields or ESSENTIAL_FIELDS.intersection(fields):
        return None, RowProblem(row, fields, _reason(errors), skipped=True)
    kept = {key: value for key, value in values.items() if key not in fields}
    try:
        backup = Backup.model_validate(kept)
    except ValidationError as again:
        return None, RowProblem(row, fields, _reason(again.errors()), skipped=True)
    return backup, RowProblem(row, fields, _reason(errors), skipped=False)
