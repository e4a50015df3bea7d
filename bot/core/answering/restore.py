"""A restore question answered: which instance, its retention, its ranges, the point's
verdict, the backup a restore starts from, and the table.

Reads, each cached for the listing cache's TTL and made once however many ask at the
same time: the instance listing and the policy (the inventory cache, shared with health),
the ranges of the retention window (one request per instance: `start_time`..`end_time`
over `keep_days`, never a request per day), the instance's backups of that window (the
reader, shared with questions and health), and, for a table, the tables at the point and
the latest ones (two requests, only when the point is restorable: the API refuses
others).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from cachetools import TTLCache

from bot.core.answering.empty_targets import unknown
from bot.core.answering.plan import plan, probe
from bot.core.answering.reader import Reader
from bot.core.answering.window import ResolvedWindow
from bot.core.backup import Backup
from bot.core.backup_source import WHOLE
from bot.core.clock import Clock
from bot.core.flights import SingleFlight
from bot.core.health.instances import BackupPolicy, InstanceListing
from bot.core.health.inventory_cache import InventoryCache
from bot.core.query import Query, Target
from bot.core.restore.point import resolve_point
from bot.core.restore.question import RestoreQuestion
from bot.core.restore.ranges import merged
from bot.core.restore.source import LogBackup, LogListing, RestoreSource, TableListing
from bot.core.restore.verdict import PointAnswer, Restorability, answer_point, table_verdict
from bot.errors import PermissionDenied, UpstreamError
from bot.messages.catalogue import english

Value = TypeVar("Value")
DEFAULT_KEEP_DAYS = 7  # TaurusDB's default retention, for an instance whose policy is unread
SERVER_CLOCK_LAG = timedelta(seconds=60)
LOG_LOOK_BACK = timedelta(hours=1)  # log backups are taken every few minutes
log = logging.getLogger(
    "backupbot.restore"
)  # as the backups listing: never ask past the server's now


@dataclass(frozen=True)
class RestoreAnswer:
    """The answer: the ranges (a timeline without a point), the point's verdict if one was
    asked, and what it cost."""

    question: RestoreQuestion
    zone: ZoneInfo
    ranges: Restorability
    point: PointAnswer | None
    requests: int
    as_of: datetime


@dataclass(frozen=True)
class _Instance:
    id: str
    name: str
    keep_days: int


class Restorer:
    """Answers restore questions about one project."""

    def __init__(
        self,
        *,
        source: RestoreSource,
        reader: Reader,
        inventory: InventoryCache | None,
        clock: Clock,
        ttl: float,
        ranges_ttl: float | None = None,
    ) -> None:
        """`ttl` keeps tables and backups as long as listings; `ranges_ttl` (default
        `ttl`) keeps the ranges and a denial of them, which change in minutes."""
        self._source = source
        self._reader = reader
        self._inventory = inventory
        self._clock = clock
        self._ttl = ttl
        timer = lambda: clock().timestamp()  # noqa: E731
        self._stored: TTLCache[Hashable, tuple[Any, datetime]] = TTLCache(
            maxsize=10_000, ttl=max(ttl, 0.001), timer=timer
        )
        self._ranges_ttl = ttl if ranges_ttl is None else ranges_ttl
        self._kept: TTLCache[Hashable, tuple[Any, datetime]] = TTLCache(
            maxsize=100_000, ttl=max(self._ranges_ttl, 0.001), timer=timer
        )
        self._denied: TTLCache[str, PermissionDenied] = TTLCache(
            maxsize=1, ttl=max(self._ranges_ttl, 0.001), timer=timer
        )
        self._flight: SingleFlight[tuple[Any, int, datetime]] = SingleFlight()

    async def answer(self, question: RestoreQuestion, *, zone: ZoneInfo) -> RestoreAnswer:
        """The answer; QueryError for an unknown instance, a future or missing time."""
        now = self._clock()
        point = None if question.at is None else resolve_point(question.at, now=now, zone=zone)
        spent = [0]
        instance = await self._instance(question.instance, spent)
        ranges = await self.restorability(instance.id, instance.name, instance.keep_days, spent)
        if point is not None and point > ranges.as_of - SERVER_CLOCK_LAG:
            ranges = await self.restorability(
                instance.id, instance.name, instance.keep_days, spent, refresh=True
            )
        verdict = None
        if point is not None:
            verdict = answer_point(ranges, point)
            if verdict.restorable:
                backups = await self._backups(instance.id, ranges, point, spent)
                table = None
                if question.table is not None:
                    then = await self._tables(instance.id, point, latest=False, spent=spent)
                    latest = await self._tables(instance.id, point, latest=True, spent=spent)
                    table = table_verdict(question.table, then=then.tables, now=latest.tables)
                verdict = answer_point(ranges, point, backups=backups, table=table)
            else:
                table = None
                if question.table is not None:
                    table = table_verdict(question.table, then=None, now=None)
                verdict = answer_point(ranges, point, table=table)
                if verdict.before is not None and verdict.after is not None:
                    last = await self._last_log(instance.id, verdict.before.end, spent)
                    verdict = replace(verdict, last_log=last)
        return RestoreAnswer(
            question=question,
            zone=zone,
            ranges=ranges,
            point=verdict,
            requests=spent[0],
            as_of=ranges.as_of,
        )

    async def restorability(
        self,
        instance_id: str,
        name: str,
        keep_days: int,
        spent: list[int] | None = None,
        *,
        refresh: bool = False,
        long_lived: bool = True,
    ) -> Restorability:
        """The instance's ranges over its retention window, read once per ranges TTL."""

        async def load() -> tuple[Restorability, int]:
            now = self._clock()
            listing = await self._source.restore_times(
                instance_id, start=now - timedelta(days=keep_days), end=now - SERVER_CLOCK_LAG
            )
            return Restorability(
                instance_id=instance_id,
                instance_name=name,
                spans=merged(listing.spans),
                keep_days=keep_days,
                as_of=now,
                unreadable=listing.unreadable,
            ), listing.requests

        key = ("ranges", instance_id, keep_days)
        return await self._cached(key, load, spent, refresh=refresh, long_lived=long_lived)

    @property
    def denied(self) -> PermissionDenied | None:
        """The denial of the ranges read, kept for the ranges TTL (None: not denied)."""
        return None if self._ranges_ttl <= 0 else self._denied.get("denied")

    def deny(self, denied: PermissionDenied) -> None:
        """Remember a denial: health does not ask again until it expires."""
        if self._ranges_ttl > 0:
            self._denied["denied"] = denied

    async def _tables(
        self, instance_id: str, point: datetime, *, latest: bool, spent: list[int]
    ) -> TableListing:
        async def load() -> tuple[TableListing, int]:
            listing = await self._source.tables_at(instance_id, at=point, latest=latest)
            return listing, listing.requests

        key = ("tables", instance_id, None if latest else point)
        return await self._cached(key, load, spent)

    async def _last_log(
        self, instance_id: str, end: datetime, spent: list[int]
    ) -> LogBackup | None:
        """The last log backup before a gap (ending at `end`), or None if it cannot be read:
        it explains the gap, it is not the answer."""

        async def load() -> tuple[LogListing, int]:
            listing = await self._source.log_backups(
                instance_id, start=end - LOG_LOOK_BACK, end=end
            )
            return listing, listing.requests

        try:
            listing = await self._cached(("logs", instance_id, end), load, spent)
        except UpstreamError as error:
            log.warning("Log backups of %s unread: %s", instance_id, english(error.said))
            return None
        return next((one for one in listing.backups if one.end <= end), None)

    async def _cached(
        self,
        key: Hashable,
        load: Callable[[], Awaitable[tuple[Value, int]]],
        spent: list[int] | None,
        *,
        refresh: bool = False,
        long_lived: bool = False,
    ) -> Value:
        """`load()` once per TTL and once however many ask at the same time."""
        full_key = (self._source.scope, key)
        store, ttl = (self._kept, self._ranges_ttl) if long_lived else (self._stored, self._ttl)
        stored = None if refresh or ttl <= 0 else store.get(full_key)
        if stored is not None:
            return cast(Value, stored[0])
        joined = self._flight.busy(full_key)

        async def run() -> tuple[Any, int, datetime]:
            value, requests = await load()
            return value, requests, self._clock()

        value, requests, fetched_at = await self._flight.run(full_key, run)
        if ttl > 0:
            store[full_key] = (value, fetched_at)
        if spent is not None and not joined:
            spent[0] += requests
        return cast(Value, value)

    async def _backups(
        self, instance_id: str, ranges: Restorability, point: datetime, spent: list[int]
    ) -> tuple[Backup, ...]:
        """The instance's backups begun in the retention window up to the point."""
        window = ResolvedWindow(begin=ranges.window_start, end=point, label="")
        reads = plan(Query(targets=(Target("instance_id", instance_id),)), window, rows=WHOLE)
        results = await self._reader.run(reads, refresh=False)
        spent[0] += sum(cached.listing.requests for cached in results if not cached.hit)
        return tuple(backup for cached in results for backup in cached.listing.backups)

    async def _instance(self, target: Target, spent: list[int]) -> _Instance:
        """The instance asked about, its id and its retention; QueryError if unknown."""
        listing = None
        if self._inventory is not None:
            fetched = await self._inventory.instances()
            spent[0] += fetched.requests
            if isinstance(fetched.value, InstanceListing):
                listing = fetched.value
        if listing is not None:
            found = next(
                (
                    one
                    for one in listing.instances
                    if (one.id if target.kind == "instance_id" else one.name) == target.value
                ),
                None,
            )
            if found is None:
                names = tuple(one.name for one in listing.instances if one.name)

                async def listed() -> tuple[str, ...]:
                    return names

                raise await unknown(target, names=listed)
            keep_days = await self._keep_days(found.id, spent)
            return _Instance(found.id, found.name or found.id, keep_days)
        if target.kind == "instance_id":
            keep_days = await self._keep_days(target.value, spent)
            return _Instance(target.value, target.value, keep_days)
        results = await self._reader.run([probe(target)], refresh=False)
        spent[0] += sum(cached.listing.requests for cached in results if not cached.hit)
        newest = next((b for cached in results for b in cached.listing.backups), None)
        if newest is None or not newest.instance_id:
            raise await unknown(target, names=self._reader.names)
        keep_days = await self._keep_days(newest.instance_id, spent)
        return _Instance(newest.instance_id, target.value, keep_days)

    async def _keep_days(self, instance_id: str, spent: list[int]) -> int:
        """The policy's retention; TaurusDB's default when the policy cannot be read."""
        if self._inventory is None:
            return DEFAULT_KEEP_DAYS
        policies = await self._inventory.policies([instance_id])
        spent[0] += policies.requests
        policy = policies.by_id.get(instance_id)
        if isinstance(policy, BackupPolicy) and policy.keep_days:
            return policy.keep_days
        return DEFAULT_KEEP_DAYS
