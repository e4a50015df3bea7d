"""A page of `GET /v3/{project_id}/backups`, read as the API sends it.

A page is read in one pass by pydantic-core: its envelope strictly, each row on its own.
A row with no id or no readable start time is set aside (and counted), and a field that
cannot be read in an otherwise good row is dropped, so one odd row never costs a whole
answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from bot.core.backup import Backup
from bot.core.validation import first_problem

Model = TypeVar("Model", bound=BaseModel)

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
    """The body is not what was asked for: garbled JSON (`garbled`), or the wrong shape."""

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


def read_json(model: type[Model], body: bytes | str) -> Model:
    """`body` as `model`, or UnreadablePage saying where it is not one."""
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        first = first_problem(exc)
        garbled = first.kind == "json_invalid"
        raise UnreadablePage(first.where or "top level", garbled=garbled) from exc


def read_page(body: bytes | str) -> BackupPage:
    """Read one page of the listing; raise UnreadablePage only if the page itself is broken."""
    page = read_json(_Page, body)
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
