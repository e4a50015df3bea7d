"""The TaurusDB API of one project: backups read page by page, instances and policies.

It validates parameters before sending and reads whole windows with bounded
concurrency, never asking for more than needed. Requests themselves (authentication,
retries, errors) are `bot.huawei.transport`'s; instances and policies are
`bot.huawei.inventory`'s.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

from bot import messages
from bot.core.backup import Backup
from bot.core.instances import InstanceListing, PolicyRead, PolicyReads
from bot.core.params import MAX_LIMIT, ListBackupsParams
from bot.core.source import WHOLE, BackupListing, Reach, Rows, Whole
from bot.errors import UpstreamError
from bot.huawei.inventory import InstancePage, Inventory
from bot.huawei.page import BackupPage, ProblemLog, in_order, read_page, read_pages
from bot.huawei.transport import Transport, counting, reading
from bot.huawei.wire import to_query

MAX_PAGES = 2_000  # 200,000 backups: beyond this a listing is a runaway, not an answer


def _id(backup: Backup) -> str:
    return backup.id


class BackupsApi:
    """The TaurusDB backups API for one project in one region."""

    def __init__(self, transport: Transport, *, server_clock_lag: float = 60.0) -> None:
        """`transport` reaches the project; an end time within `server_clock_lag` seconds of
        now is left out, for a server whose clock lags ours would see it as future."""
        self._transport = transport
        self._inventory = Inventory(transport)
        self.project_id = transport.project_id
        self._server_lag = timedelta(seconds=server_clock_lag)
        self._problems = ProblemLog("a backup")

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

    async def _page(
        self, params: ListBackupsParams, *, gate: asyncio.Semaphore | None
    ) -> BackupPage:
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
        """The pages of a Reach: its newest rows, in whole pages, then on until every row
        since `reach.since` is read; and how many rows the window holds."""
        newest = -(-reach.rows // MAX_LIMIT) * MAX_LIMIT  # whole pages: reading on starts at one
        pages, total = await self._read(params, newest)
        merged = in_order(pages, _id)
        if len(merged) >= total or (bool(merged) and merged[-1].begin_time < reach.since):
            return pages, total
        # The rows since `since` are the first ones of this very listing: read on in the
        # listing that starts there, which says how far that is.
        since = self.prepare(params.model_copy(update={"begin_time": reach.since}))
        more, _ = await self._read(since, WHOLE, start=newest)
        return {**pages, **more}, total

    async def _read(
        self, params: ListBackupsParams, rows: int | Whole, *, start: int | None = None
    ) -> tuple[dict[int, BackupPage], int]:
        """The pages from `start` (default: `params.offset`) to the end of the window, or up
        to `rows` rows from there; and how many rows the window holds."""
        start = params.offset if start is None else start
        first_limit = MAX_LIMIT if rows is WHOLE else max(1, min(MAX_LIMIT, rows))
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
            too_large=lambda: UpstreamError(
                messages.BACKUP_LISTING_TOO_LARGE, explanation=messages.NARROW_THE_QUESTION
            ),
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
