"""The restore reads of TaurusDB: restorable times, tables at a point, log backups.

`GET /v3/{project_id}/instances/{instance_id}/restore-time` (SDK
`show_backup_restore_time`), `GET /v3.1/.../backups/restore/tables` (SDK
`show_restore_available_tables`) and `GET /v3/.../incremental-backups`. Read as the
other listings are: the envelope strictly, each row on its own (a range or a database
that cannot be read is counted, never the whole answer's failure); a 403 becomes
PermissionDenied naming the IAM action to grant.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from bot import messages
from bot.core.params import INSTANCE_ID_RE
from bot.core.restore.question import TableName
from bot.core.restore.ranges import Span
from bot.core.restore.source import LogBackup, LogListing, RangeListing, TableListing
from bot.errors import InvalidRequest
from bot.huawei.inventory import permitted
from bot.huawei.page import read_json
from bot.huawei.transport import Transport, counting
from bot.huawei.wire import format_api_time

# IAM actions, from each API's "Authorization Information", with the role/policy-based alias.
RESTORE_TIME_ACTION = ("gaussdbformysql:backup:getRestoreTime", "gaussdb:backup:list")
RESTORE_TABLES_ACTION = ("gaussdbformysql:backup:list", "gaussdb:backup:list")
# Log backups (ShowGaussMySqlIncrementalBackupList's page): the backups' own action.
LOG_BACKUPS_ACTION = ("gaussdbformysql:backup:list", "gaussdb:backup:list")
LOG_PAGE = 50  # the API takes 10, 20 or 50: the most, so a narrow window is one page


def to_ms(moment: datetime) -> int:
    """An instant as the API's UNIX milliseconds."""
    return round(moment.timestamp() * 1000)


def from_ms(value: int) -> datetime:
    """The API's UNIX milliseconds as an instant in UTC."""
    return datetime.fromtimestamp(value / 1000, UTC)


class _Range(BaseModel):
    model_config = ConfigDict(frozen=True)

    start_time: int = Field(ge=0)
    end_time: int = Field(ge=0)


class _RestoreTimes(BaseModel):
    """The body of `GET .../restore-time`: a strict envelope, rows as they came."""

    model_config = ConfigDict(frozen=True)

    restore_times: tuple[Any, ...] | None = None


class _Table(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1)


class _Database(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1)
    tables: tuple[Any, ...] | None = None


class _Tables(BaseModel):
    """The body of `GET .../backups/restore/tables`: a strict envelope, rows as they came."""

    model_config = ConfigDict(frozen=True)

    total_tables: int | None = None
    databases: tuple[Any, ...] | None = None


class _Log(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str = ""
    begin_time: AwareDatetime
    end_time: AwareDatetime


class _Logs(BaseModel):
    """The body of `GET .../incremental-backups`: a strict envelope, rows as they came."""

    model_config = ConfigDict(frozen=True)

    backups: tuple[Any, ...] | None = None
    total_count: int | None = None


@dataclass(frozen=True)
class _LogPage:
    """One page of log backups as read, with what paging on needs: its row count (read or
    not) and the API's `total_count` (optional in the SDK)."""

    listing: LogListing
    rows: int
    total_count: int | None


def _read_log_page(body: bytes | str) -> _LogPage:
    page = read_json(_Logs, body)
    found: list[LogBackup] = []
    unreadable = 0
    for row in page.backups or ():
        try:
            log = _Log.model_validate(row)
        except ValidationError:
            unreadable += 1
            continue
        found.append(LogBackup(log.name, log.begin_time, log.end_time))
    listing = LogListing(backups=_newest_first(found), requests=1, unreadable=unreadable)
    return _LogPage(listing, len(page.backups or ()), page.total_count)


def _newest_first(logs: Iterable[LogBackup]) -> tuple[LogBackup, ...]:
    """Whatever order the API lists them in (its reference does not say)."""
    return tuple(sorted(logs, key=lambda log: log.end, reverse=True))


def read_log_backups(body: bytes | str) -> LogListing:
    """The log backups of one page, each read on its own, newest first."""
    return _read_log_page(body).listing


def read_restore_times(body: bytes | str) -> RangeListing:
    """The ranges of one answer, each read on its own (one that cannot be is counted)."""
    rows = read_json(_RestoreTimes, body).restore_times or ()
    spans: list[Span] = []
    unreadable = 0
    for row in rows:
        try:
            read = _Range.model_validate(row)
        except ValidationError:
            unreadable += 1
            continue
        spans.append(Span(from_ms(read.start_time), from_ms(read.end_time)))
    return RangeListing(spans=tuple(spans), requests=1, unreadable=unreadable)


def read_tables(body: bytes | str) -> TableListing:
    """The tables of one answer, database by database and table by table."""
    databases = read_json(_Tables, body).databases or ()
    found: set[TableName] = set()
    unreadable = 0
    for row in databases:
        try:
            database = _Database.model_validate(row)
        except ValidationError:
            unreadable += 1
            continue
        for table_row in database.tables or ():
            try:
                found.add(TableName(database.name, _Table.model_validate(table_row).name))
            except ValidationError:
                unreadable += 1
    return TableListing(tables=frozenset(found), requests=1, unreadable=unreadable)


class RestoreApi:
    """The restore reads of one project (a `RestoreSource`)."""

    def __init__(self, transport: Transport, *, scope: str) -> None:
        self._transport = transport
        self.scope = scope

    def _instance_path(self, instance_id: str, *, version: str = "v3") -> str:
        if not INSTANCE_ID_RE.match(instance_id):
            raise InvalidRequest(
                messages.invalid_instance_id(instance_id), messages.INSTANCE_ID_RULE
            )
        return f"/{version}/{self._transport.project_id}/instances/{instance_id}"

    async def restore_times(
        self, instance_id: str, *, start: datetime, end: datetime
    ) -> RangeListing:
        """One request: the ranges between `start` and `end` (UNIX ms, UTC)."""
        query = [("start_time", str(to_ms(start))), ("end_time", str(to_ms(end)))]
        return await self._ranges(instance_id, query)

    async def restore_times_on(self, instance_id: str, day: date) -> RangeListing:
        """One request: the ranges of one UTC day (`date`)."""
        return await self._ranges(instance_id, [("date", day.isoformat())])

    async def _ranges(self, instance_id: str, query: list[tuple[str, str]]) -> RangeListing:
        path = f"{self._instance_path(instance_id)}/restore-time"
        made = counting()
        read = await permitted(
            self._transport, path, query, read_restore_times, RESTORE_TIME_ACTION
        )
        return RangeListing(read.spans, requests=made[0], unreadable=read.unreadable)

    async def tables_at(self, instance_id: str, *, at: datetime, latest: bool) -> TableListing:
        """One request: every table at `at` (a restorable point), or the latest ones."""
        path = f"{self._instance_path(instance_id, version='v3.1')}/backups/restore/tables"
        query = [("restore_time", str(to_ms(at))), ("last_table_info", str(latest).lower())]
        made = counting()
        read = await permitted(self._transport, path, query, read_tables, RESTORE_TABLES_ACTION)
        return TableListing(read.tables, requests=made[0], unreadable=read.unreadable)

    async def log_backups(self, instance_id: str, *, start: datetime, end: datetime) -> LogListing:
        """Every log backup begun between `start` and `end`, newest first: page after page
        (LOG_PAGE rows each) until `total_count` is reached or a page comes short, so the
        newest is found whatever the API's order and however many there are."""
        path = f"{self._instance_path(instance_id)}/incremental-backups"
        window = [("begin_time", format_api_time(start)), ("end_time", format_api_time(end))]
        made = counting()
        found: dict[tuple[str, datetime, datetime], LogBackup] = {}
        unreadable = offset = 0
        while True:
            query = [("offset", str(offset)), ("limit", str(LOG_PAGE)), *window]
            page = await permitted(self._transport, path, query, _read_log_page, LOG_BACKUPS_ACTION)
            known = len(found)
            for log in page.listing.backups:
                found.setdefault((log.name, log.begin, log.end), log)
            repeated = bool(page.listing.backups) and len(found) == known  # paging ignored
            unreadable += page.listing.unreadable
            offset += page.rows
            done = page.total_count if page.total_count is not None else offset + 1
            if page.rows < LOG_PAGE or offset >= done or repeated:
                break
        return LogListing(_newest_first(found.values()), requests=made[0], unreadable=unreadable)
