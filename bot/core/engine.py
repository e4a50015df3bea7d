"""Answering a question: plan the reads, run them through the cache, merge, summarise.

This is the one path from a Query to an Answer; the Slack app, the digest, the CLI and
the tests all drive it.
"""

from __future__ import annotations

import asyncio
import difflib
import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.backup import Backup
from bot.core.cache import Cached, ListingCache
from bot.core.clock import Clock
from bot.core.digest import HISTORY
from bot.core.plan import NAMES_READ, PAGE_SIZE, Read, plan, probe
from bot.core.query import Query, QueryError, Target, canonical
from bot.core.source import BackupSource
from bot.core.summary import DEFAULT_STALE_AFTER, Summary, summarise
from bot.core.window import ResolvedWindow, resolve
from bot.errors import UserError

KNOWN_NAMES_LIMIT = 2_000
UTC_ZONE = ZoneInfo("UTC")


@dataclass(frozen=True)
class Ask:
    """One question: a query, which screen page, in whose time zone, and whether to refresh."""

    query: Query
    page: int = 0
    zone: ZoneInfo = UTC_ZONE
    refresh: bool = False


@dataclass(frozen=True)
class EmptyTarget:
    """A target with no backups in the window, and its newest backup outside it."""

    target: Target
    newest: Backup


@dataclass(frozen=True)
class Answer:
    """Everything needed to show an answer, whatever the medium."""

    query: Query
    window: ResolvedWindow
    backups: tuple[Backup, ...]
    page: int
    page_count: int
    matches: int
    summary: Summary
    as_of: datetime
    from_cache: bool
    requests: int
    empty_targets: tuple[EmptyTarget, ...]
    unreadable: int = 0  # rows of the window the API sent that could not be read

    @property
    def text(self) -> str:
        """The query's canonical text (what buttons carry)."""
        return canonical(self.query)


@dataclass(frozen=True)
class _Health:
    """Per-instance health over the history window, and the reads it took."""

    summary: Summary
    reads: list[Cached]


@dataclass(frozen=True)
class WindowRead:
    """All backups of a window, newest first, and when they were read."""

    backups: tuple[Backup, ...]
    window: ResolvedWindow
    as_of: datetime


class Engine:
    """Answers questions about one project's backups."""

    def __init__(
        self,
        *,
        source: BackupSource,
        cache: ListingCache,
        clock: Clock,
        stale_after: timedelta = DEFAULT_STALE_AFTER,
    ) -> None:
        self.source = source
        self.cache = cache
        self._clock = clock
        self.stale_after = stale_after
        self._known_names: dict[str, None] = {}

    @property
    def known_names(self) -> tuple[str, ...]:
        """Instance names seen in recent results, oldest first."""
        return tuple(self._known_names)

    async def answer(self, ask: Ask) -> Answer:
        """Answer `ask`, or raise QueryError (bad window, unknown instance) / UpstreamError."""
        query = ask.query
        window = self._resolve(query, zone=ask.zone, refresh=ask.refresh)
        reads = plan(query, window, page=ask.page)
        results = await self._run(reads, refresh=ask.refresh)
        notes = await self._check_targets(query, window, reads, results, refresh=ask.refresh)

        loaded = _merge(cached.listing.backups for cached in results)
        unreadable = sum(cached.listing.unreadable for cached in results)
        if query.statuses:
            matching = [backup for backup in loaded if backup.status in query.statuses]
            matches, complete = len(matching), True
        else:
            matching = loaded
            totals = {
                read.target: cached.listing.total_count
                for read, cached in zip(reads, results, strict=True)
            }
            matches = sum(totals.values())
            complete = len(loaded) >= matches
        page_count = max(1, math.ceil(matches / PAGE_SIZE))
        page = min(max(ask.page, 0), page_count - 1)
        covered_since = window.begin if complete else (loaded[-1].begin_time if loaded else None)
        now = self._clock()
        summary = summarise(
            loaded, now=now, covered_since=covered_since, complete=complete,
            stale_after=self.stale_after,
        )  # fmt: skip
        if self._too_short_for_health(query, covered_since, now):
            history = await self._health(query, zone=ask.zone, refresh=ask.refresh, now=now)
            summary = replace(summary, instances=history.summary.instances)
            results = [*results, *history.reads]
        return Answer(
            query=query,
            window=window,
            backups=tuple(matching[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]),
            page=page,
            page_count=page_count,
            matches=matches,
            summary=summary,
            as_of=min(cached.fetched_at for cached in results),
            from_cache=all(cached.hit for cached in results),
            requests=sum(cached.listing.requests for cached in results if not cached.hit),
            empty_targets=notes,
            unreadable=unreadable,
        )

    def _too_short_for_health(
        self, query: Query, covered_since: datetime | None, now: datetime
    ) -> bool:
        """A window shorter than the staleness threshold cannot tell who went without a good
        backup: "last 24h" says nothing of an instance whose last good one is 4 days old."""
        if query.targets and all(target.kind == "backup_id" for target in query.targets):
            return False
        return covered_since is None or now - covered_since < self.stale_after

    async def _health(
        self, query: Query, *, zone: ZoneInfo, refresh: bool, now: datetime
    ) -> _Health:
        history = Query(targets=query.targets, window=HISTORY, profile=query.profile)
        window = self._resolve(history, zone=zone, refresh=refresh)
        reads = await self._run(plan(history, window, page=0, whole=True), refresh=refresh)
        rows = _merge(cached.listing.backups for cached in reads)
        summary = summarise(
            rows, now=now, covered_since=window.begin, complete=True, stale_after=self.stale_after
        )
        return _Health(summary, reads)

    async def window(self, query: Query, *, zone: ZoneInfo = UTC_ZONE) -> WindowRead:
        """Every backup of the query's window (targets and type applied, statuses not).

        For digests and watches: they need all rows, not a page. Goes through the cache,
        so a watch and a question about the same instances share their reads.
        """
        window = self._resolve(query, zone=zone, refresh=False)
        reads = plan(query, window, page=0, whole=True)
        results = await self._run(reads, refresh=False)
        await self._check_targets(query, window, reads, results, refresh=False)
        return WindowRead(
            backups=tuple(_merge(cached.listing.backups for cached in results)),
            window=window,
            as_of=min(cached.fetched_at for cached in results),
        )

    def _resolve(self, query: Query, *, zone: ZoneInfo, refresh: bool) -> ResolvedWindow:
        """The query's window in absolute times, "now" anchored so repeated asks share reads."""
        key = (self.source.scope, canonical(Query(window=query.window)), zone.key)
        now = self.cache.anchor(key, refresh=refresh)
        return resolve(query.effective_window, now=now, zone=zone)

    async def _run(self, reads: Sequence[Read], *, refresh: bool) -> list[Cached]:
        async def one(read: Read) -> Cached:
            cached = await self.cache.fetch(
                (self.source.scope, read.params, read.want),
                lambda: self.source.list_backups(read.params, want=read.want),
                refresh=refresh,
            )
            if not cached.hit:
                self._learn(cached.listing.backups)
            return cached

        return list(await asyncio.gather(*(one(read) for read in reads)))

    def _learn(self, backups: Sequence[Backup]) -> None:
        for backup in backups:
            if backup.instance_name:
                self._known_names.pop(backup.instance_name, None)
                self._known_names[backup.instance_name] = None
        while len(self._known_names) > KNOWN_NAMES_LIMIT:
            del self._known_names[next(iter(self._known_names))]

    async def _check_targets(
        self,
        query: Query,
        window: ResolvedWindow,
        reads: Sequence[Read],
        results: Sequence[Cached],
        *,
        refresh: bool,
    ) -> tuple[EmptyTarget, ...]:
        """Tell "nothing in this window" apart from "no such instance or backup"."""
        found: dict[Target, int] = {}
        for read, cached in zip(reads, results, strict=True):
            if read.target is not None:
                found[read.target] = found.get(read.target, 0) + cached.listing.total_count
        empty = [target for target, total in found.items() if total == 0]
        probes = await self._run([probe(target) for target in empty], refresh=refresh)
        notes = []
        for target, cached in zip(empty, probes, strict=True):
            if not cached.listing.backups:
                raise await self._not_found(target)
            notes.append(EmptyTarget(target, cached.listing.backups[0]))
        return tuple(notes)

    async def _not_found(self, target: Target) -> QueryError:
        if target.kind == "backup_id":
            return QueryError(
                f"no backup with id {target.value}",
                "check the id: it is shown in each backup's details",
                word=target.value,
            )
        if target.kind == "instance_id":
            return QueryError(
                f"no backups for instance id {target.value}",
                "check the id, or ask by instance name",
                word=target.value,
            )
        if not self._known_names:
            await self._run([NAMES_READ], refresh=False)
        near = difflib.get_close_matches(target.value, self._known_names, n=3, cutoff=0.6)
        hint = (
            "did you mean " + " or ".join(near) + "?"
            if near
            else "names are case-sensitive; ask without a name to see every instance"
        )
        return QueryError(f"no instance named {target.value}", hint, word=target.value)


@dataclass(frozen=True)
class Engines:
    """One engine per cloud profile; a question picks its own with `@name`."""

    default: str
    by_name: dict[str, Engine]

    def engine(self, profile: str | None) -> Engine:
        """The engine of `profile` (None: the default), or a UserError listing the others."""
        name = profile or self.default
        try:
            return self.by_name[name]
        except KeyError:
            known = ", ".join(f"@{other}" for other in sorted(self.by_name))
            raise UserError(f"there is no profile @{name}", f"the profiles are {known}") from None

    @property
    def known_names(self) -> tuple[str, ...]:
        """Instance names seen recently under any profile."""
        names: dict[str, None] = {}
        for engine in self.by_name.values():
            names.update(dict.fromkeys(engine.known_names))
        return tuple(names)

    @classmethod
    def single(cls, engine: Engine, name: str = "default") -> Engines:
        """Just one engine (one project): tests, the demo."""
        return cls(name, {name: engine})


def _merge(listings: Iterable[tuple[Backup, ...]]) -> list[Backup]:
    """All rows once each, newest first, from listings that are each newest first."""
    parts = [backups for backups in listings if backups]
    if len(parts) == 1:
        return list(parts[0])  # one listing: the client already ordered and de-duplicated it
    seen: set[str] = set()
    merged: list[Backup] = []
    for backup in heapq.merge(*parts, key=lambda b: b.begin_time, reverse=True):
        if backup.id not in seen:
            seen.add(backup.id)
            merged.append(backup)
    return merged
