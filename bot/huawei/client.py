"""The TaurusDB API of one project: backups read page by page, instances and policies.

It validates parameters before sending and reads whole windows with bounded
concurrency, never asking for more than needed. Requests themselves (authentication,
retries, errors) are `bot.huawei.transport`'s; instances and policies are
`bot.huawei.inventory`'s; backups taken by hand `bot.huawei.backup_job`'s.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot import messages
from bot.core.backup import Backup
from bot.core.backup_action import Job, Started
from bot.core.backup_source import WHOLE, BackupListing, Reach, Rows, Whole
from bot.core.health.instances import InstanceListing, PolicyRead, PolicyReads
from bot.core.params import MAX_LIMIT, ListBackupsParams
from bot.errors import UpstreamError
from bot.huawei.backup_job import BackupJobs
from bot.huawei.inventory import InstancePage, Inventory
from bot.huawei.page import BackupPage, ProblemLog, in_order, read_page, read_pages
from bot.huawei.restore import RestoreApi
from bot.huawei.transport import Gate, PriorityGate, Transport, counting, reading
from bot.huawei.wire import to_query

MAX_PAGES = 2_000  # 200,000 backups: beyond this a listing is a runaway, not an answer


def _id(backup: Backup) -> str:
    return backup.id


def _reaches(page: BackupPage, since: datetime) -> bool:
    """Whether `page` goes back before `since`: the rows after it are not needed."""
    return bool(page.backups) and page.backups[-1].begin_time < since


def _too_large() -> UpstreamError:
    return UpstreamError(messages.BACKUP_LISTING_TOO_LARGE, hint=messages.NARROW_THE_QUESTION)


class BackupsApi:
    """The TaurusDB backups API for one project in one region."""

    def __init__(self, transport: Transport, *, server_clock_lag: float = 60.0) -> None:
        """`transport` reaches the project; an end time within `server_clock_lag` seconds of
        now is left out, for a server whose clock lags ours would see it as future."""
        self._transport = transport
        self._inventory = Inventory(transport)
        self._jobs = BackupJobs(transport)
        self.project_id = transport.project_id
        self._server_lag = timedelta(seconds=server_clock_lag)
        self._problems = ProblemLog("a backup")
        self.restores = RestoreApi(transport, scope=self.scope)

    @property
    def scope(self) -> str:
        """The endpoint and project: what a cached answer is valid for."""
        return f"{self.endpoint}/v3/{self.project_id}"

    @property
    def endpoint(self) -> str:
        """Where requests go (scheme, host and any path prefix)."""
        return self._transport.endpoint

    @property
    def requests_made(self) -> int:
        """Requests sent so far, retries included."""
        return self._transport.requests_made

    def prepare(self, params: ListBackupsParams) -> ListBackupsParams:
        """Check the clock-dependent rules; return what will actually be sent."""
        return params.checked_at(self._transport.clock(), server_lag=self._server_lag)

    async def list_page(self, params: ListBackupsParams) -> BackupPage:
        """One request: the page at `params.offset` of at most `params.limit` backups."""
        return await self._page(params, gate=None)

    async def _page(self, params: ListBackupsParams, *, gate: Gate | None) -> BackupPage:
        path = f"/v3/{self.project_id}/backups"
        query = to_query(self.prepare(params))
        page = await self._transport.get(path, query, reading(read_page), gate=gate)
        self._problems.log(page.problems)
        return page

    async def list_backups(self, params: ListBackupsParams, *, rows: Rows = WHOLE) -> BackupListing:
        """Read from `params.offset`: the WHOLE window, only its first `rows` backups, or a
        Reach (its newest rows, and on until every row since a moment is read).

        The first request reveals `total_count`; the remaining pages are fetched
        concurrently (bounded), and again if `total_count` grew meanwhile. Rows that
        shifted across page boundaries are de-duplicated by backup id. Should the API
        leave `total_count` out, pages are read one after another until one is short.
        """
        params = self.prepare(params)
        made = counting()
        if isinstance(rows, Reach) and params.offset == 0:
            pages, total = await self._reach(params, rows)
            merged = in_order(pages, _id)
        else:
            newest = rows.rows if isinstance(rows, Reach) else rows
            pages, total = await self._read(params, newest)
            merged = in_order(pages, _id)
            if newest is not WHOLE:
                merged = merged[:newest]
        skipped = [
            problem for page in pages.values() for problem in page.problems if problem.skipped
        ]
        return BackupListing(
            backups=tuple(merged),
            total_count=total,
            requests=made[0],
            unreadable=len(skipped),
            unreadable_at=tuple(problem.begin_time for problem in skipped),
        )

    async def _reach(
        self, params: ListBackupsParams, reach: Reach
    ) -> tuple[dict[int, BackupPage], int]:
        """The pages of a Reach, and how many rows its window holds.

        Its newest rows are read in whole pages, the oldest of them first, as urgent: if
        they end inside the days `reach.since` starts, the rest of those days is read on
        from where they end, in the listing that starts then (its first rows are this
        one's), which says how far that is. That page too goes out before any other still
        waiting, so reading on costs no more round trips than reading all those pages
        would.
        """
        newest = -(-reach.rows // MAX_LIMIT) * MAX_LIMIT  # whole pages: reading on starts at one
        first = await self.list_page(params.model_copy(update={"limit": MAX_LIMIT}))
        total = first.total_count
        if total is None or total <= newest or _reaches(first, reach.since):
            # All of it is the newest rows (or the API left the count out: page on).
            early, total = await self._read(params, newest, first=first)
            if total > newest and not _reaches(early[max(early)], reach.since):
                since = self.prepare(params.model_copy(update={"begin_time": reach.since}))
                more, _ = await self._read(since, WHOLE, start=newest)
                early.update(more)
            return early, total
        pages: dict[int, BackupPage] = {0: first}
        gate = PriorityGate(self._transport.concurrency)
        since = self.prepare(params.model_copy(update={"begin_time": reach.since}))
        offsets = list(range(MAX_LIMIT, newest, MAX_LIMIT))
        if len(offsets) + 1 > MAX_PAGES:
            raise _too_large()

        async def read(at: ListBackupsParams, offset: int, priority: int) -> BackupPage:
            page_params = at.model_copy(update={"offset": offset, "limit": MAX_LIMIT})
            pages[offset] = page = await self._page(page_params, gate=gate.at(priority))
            return page

        async with asyncio.TaskGroup() as group:

            async def oldest_first() -> None:
                oldest = await read(params, offsets[-1], 0) if offsets else first
                if not _reaches(oldest, reach.since):
                    group.create_task(read_on())

            async def read_on() -> None:
                held = (await read(since, newest, 0)).total_count
                if held is None:  # no count: page on, one after another
                    more, _ = await self._read(since, WHOLE, start=newest + MAX_LIMIT)
                    pages.update(more)
                    return
                rest = range(newest + MAX_LIMIT, held, MAX_LIMIT)
                if len(offsets) + len(rest) + 2 > MAX_PAGES:
                    raise _too_large()
                for offset in rest:
                    group.create_task(read(since, offset, 1))

            group.create_task(oldest_first())
            for offset in offsets[:-1]:
                group.create_task(read(params, offset, 1))
        return pages, total

    async def _read(
        self,
        params: ListBackupsParams,
        rows: int | Whole,
        *,
        start: int | None = None,
        first: BackupPage | None = None,
    ) -> tuple[dict[int, BackupPage], int]:
        """The pages from `start` (default: `params.offset`) to the end of the window, or up
        to `rows` rows from there (`first`: its first page, already read); and how many
        rows the window holds."""
        start = params.offset if start is None else start
        first_limit = MAX_LIMIT if rows is WHOLE else max(1, min(MAX_LIMIT, rows))
        if first is None:
            first = await self.list_page(
                params.model_copy(update={"offset": start, "limit": first_limit})
            )
        pages, extent = await read_pages(
            first,
            lambda offsets: self._fetch_pages(params, offsets),
            start=start,
            first_limit=first_limit,
            most=None if rows is WHOLE else rows,
            max_pages=MAX_PAGES,
            too_large=_too_large,
        )
        return pages, extent.total

    async def _fetch_pages(
        self, params: ListBackupsParams, offsets: list[int]
    ) -> list[tuple[int, BackupPage]]:
        async def fetch(offset: int, gate: asyncio.Semaphore) -> tuple[int, BackupPage]:
            page_params = params.model_copy(update={"offset": offset, "limit": MAX_LIMIT})
            return offset, await self._page(page_params, gate=gate)

        return await self._transport.bounded(offsets, fetch)

    async def instance_page(self, *, offset: int = 0, limit: int = MAX_LIMIT) -> InstancePage:
        """One request: the instances at `offset`, at most `limit` (1-100) of them."""
        return await self._inventory.instance_page(offset=offset, limit=limit)

    async def list_instances(self) -> InstanceListing:
        """Every instance of the project (see `Inventory.list_instances`)."""
        return await self._inventory.list_instances()

    async def show_policy(self, instance_id: str) -> PolicyRead:
        """One request: the automated backup policy of one instance (see `Inventory`)."""
        return await self._inventory.show_policy(instance_id)

    async def read_policies(self, instance_ids: Sequence[str]) -> PolicyReads:
        """The policy of each instance (see `Inventory.read_policies`)."""
        return await self._inventory.read_policies(instance_ids)

    async def create_backup(self, *, instance_id: str, name: str, description: str) -> Started:
        """Take a backup by hand, sent once (see `BackupJobs.create_backup`)."""
        return await self._jobs.create_backup(
            instance_id=instance_id, name=name, description=description
        )

    async def show_job(self, job_id: str) -> Job | None:
        """A job now; None while the API does not know it yet."""
        return await self._jobs.show_job(job_id)

    async def find_backups(self, *, instance_id: str, name: str | None = None) -> list[Backup]:
        """The instance's latest backups (of that name), newest first."""
        return await self._jobs.find_backups(instance_id=instance_id, name=name)
