"""Pages of the API's listings (backups, instances), read as the API sends them.

A page is read in one pass by pydantic-core: its envelope strictly, each row on its own.
A row without what it cannot do without (an id; for a backup, a readable start time) is
set aside (and counted), and a field that cannot be read in an otherwise good row is
dropped, so one odd row never costs a whole answer. A listing is read page by page up to
its `total_count`, or, when the API leaves that out (the SDK allows it), until a short
page (`read_pages`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, Protocol, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from bot.core.backup import Backup
from bot.core.params import MAX_LIMIT
from bot.errors import UnreadablePage
from bot.support.validation import first_problem

Model = TypeVar("Model", bound=BaseModel)
Row = TypeVar("Row", bound=BaseModel)
MAX_LOGGED_ROWS = 1_000  # distinct unreadable rows remembered, so each is logged once
log = logging.getLogger("backupbot.huawei")

_BEGIN_TIME: TypeAdapter[datetime] = TypeAdapter(AwareDatetime)  # as Backup.begin_time
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

    @property
    def begin_time(self) -> datetime | None:
        """When the row's backup began, if it says so readably: where the row belongs."""
        value = self.row.get("begin_time") if isinstance(self.row, Mapping) else None
        try:
            return _BEGIN_TIME.validate_python(value)
        except ValidationError:
            return None


@dataclass(frozen=True)
class Page(Generic[Row]):
    """One page of a listing: the rows read, and those that could not be.

    `total_count` is None when the API left it out (the SDK allows that).
    """

    items: tuple[Row, ...]
    total_count: int | None
    problems: tuple[RowProblem, ...] = ()

    @property
    def unreadable(self) -> int:
        """How many rows were left out because they could not be read."""
        return sum(problem.skipped for problem in self.problems)

    @property
    def rows(self) -> int:
        """How many rows the API sent, readable or not."""
        return len(self.items) + self.unreadable


class BackupPage(Page[Backup]):
    """One page of the backups listing."""

    @property
    def backups(self) -> tuple[Backup, ...]:
        """The backups read."""
        return self.items


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
    """Read one page of the backups listing; UnreadablePage only if the page itself is broken."""
    page = read_json(_Page, body)
    backups, problems = read_rows(page.backups or (), Backup, essential=ESSENTIAL_FIELDS)
    return BackupPage(backups, page.total_count, problems)


def read_rows(
    rows: Sequence[object], model: type[Row], *, essential: frozenset[str]
) -> tuple[tuple[Row, ...], tuple[RowProblem, ...]]:
    """Each row as a `model`, on its own: those read, and what could not be."""
    if all(type(row) is model for row in rows):
        return tuple(rows), ()  # type: ignore[arg-type]  # checked just above
    read: list[Row] = []
    problems: list[RowProblem] = []
    for row in rows:
        item, problem = (row, None) if type(row) is model else read_row(row, model, essential)
        if item is not None:
            read.append(item)
        if problem is not None:
            problems.append(problem)
    return tuple(read), tuple(problems)


def read_row(
    row: object, model: type[Row], essential: frozenset[str]
) -> tuple[Row | None, RowProblem | None]:
    """One row on its own: the item, if it has its `essential` fields, and what could not
    be read.

    A known field sent as null is taken as absent (the SDK reads it so), not as a problem.
    """
    if not isinstance(row, Mapping):
        try:
            return model.model_validate(row), None
        except ValidationError as exc:
            return None, RowProblem(row, (), _reason(exc.errors()), skipped=True)
    values = {k: v for k, v in row.items() if v is not None or k not in model.model_fields}
    try:
        return model.model_validate(values), None
    except ValidationError as exc:
        errors = exc.errors()
    fields = tuple(sorted({str(error["loc"][0]) for error in errors if error["loc"]}))
    if not fields or essential.intersection(fields):
        return None, RowProblem(row, fields, _reason(errors), skipped=True)
    kept = {key: value for key, value in values.items() if key not in fields}
    try:
        item = model.model_validate(kept)
    except ValidationError as again:
        return None, RowProblem(row, fields, _reason(again.errors()), skipped=True)
    return item, RowProblem(row, fields, _reason(errors), skipped=False)


def in_order(pages: Mapping[int, Page[Row]], key: Callable[[Row], str]) -> list[Row]:
    """The rows of `pages` by offset, once each by `key` (rows shift while paging)."""
    seen: set[str] = set()
    found: list[Row] = []
    for offset in sorted(pages):
        for item in pages[offset].items:
            if (value := key(item)) not in seen:
                seen.add(value)
                found.append(item)
    return found


class Sized(Protocol):
    """What paging needs of a page: how many rows came, and the count the API reported."""

    @property
    def rows(self) -> int: ...
    @property
    def total_count(self) -> int | None: ...


Paged = TypeVar("Paged", bound=Sized)
Fetch = Callable[[list[int]], Awaitable[list[tuple[int, Paged]]]]


@dataclass
class Extent:
    """How far a listing reaches, as far as the pages read so far tell.

    The API's `total_count` when any page reported one (the largest: it may grow while
    paging); otherwise the rows seen, and one more page wanted while the furthest page
    read was full.
    """

    reported: int | None = None
    seen: int = 0
    furthest: int = -1
    full: bool = False

    def add(self, offset: int, limit: int, page: Sized) -> None:
        if page.total_count is not None:
            self.reported = max(self.reported or 0, page.total_count)
        self.seen = max(self.seen, offset + page.rows)
        if offset > self.furthest:
            self.furthest, self.full = offset, page.rows >= limit

    @property
    def end(self) -> int:
        """The offset up to which pages are still to be read."""
        if self.reported is not None:
            return self.reported
        return self.seen + 1 if self.full else self.seen

    @property
    def total(self) -> int:
        """How many rows the listing holds."""
        return self.reported if self.reported is not None else self.seen


async def read_pages(
    first: Paged,
    fetch: Fetch[Paged],
    *,
    start: int,
    first_limit: int,
    most: int | None,
    max_pages: int,
    too_large: Callable[[], Exception],
) -> tuple[dict[int, Paged], Extent]:
    """Every page of a listing from `start`, given its `first` (of `first_limit` rows):
    the others are fetched concurrently by `fetch(offsets)`, again while the extent grows,
    up to `most` rows from `start` (None: all); `too_large()` is raised past `max_pages`."""
    pages: dict[int, Paged] = {start: first}
    extent = Extent()
    extent.add(start, first_limit, first)
    while True:
        end = extent.end if most is None else min(extent.end, start + most)
        missing = [o for o in range(start + first_limit, end, MAX_LIMIT) if o not in pages]
        if not missing:
            return pages, extent
        if len(pages) + len(missing) > max_pages:
            raise too_large()
        for offset, page in await fetch(missing):
            pages[offset] = page
            extent.add(offset, MAX_LIMIT, page)


class ProblemLog:
    """Logs each row that could not be read whole, once per process, with its content;
    `what` names a row ("a backup", "an instance")."""

    def __init__(self, what: str) -> None:
        self._what = what
        self._logged: set[str] = set()

    def log(self, problems: Iterable[RowProblem]) -> None:
        for problem in problems:
            text = json.dumps(problem.row, ensure_ascii=False, default=str)[:2000]
            if text in self._logged:
                continue
            if len(self._logged) >= MAX_LOGGED_ROWS:
                self._logged.clear()
            self._logged.add(text)
            if problem.skipped:
                log.warning(
                    "Skipped %s the TaurusDB API sent that could not be read (%s): %s",
                    self._what,
                    problem.reason,
                    text,
                )
            else:
                log.warning(
                    "Ignored unreadable fields %s of %s the TaurusDB API sent (%s): %s",
                    ", ".join(problem.fields),
                    self._what,
                    problem.reason,
                    text,
                )
