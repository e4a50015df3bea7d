"""Answering a question: plan the reads, run them through the cache, merge, summarise.

This is the one path from a Query to an Answer; the Slack app, the digest, the CLI and
the tests all drive it. Counts are those of the whole window asked about (up to a
bound). Health, whether an instance went too long without a good backup, is about now:
it is judged from one read that reaches now (the last week, whole, no type), shared by
questions, digests and watches, whatever window, statuses and type the question has.
"""

from __future__ import annotations

import asyncio
import heapq
import math
from collections.abc import Coroutine, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from bot import messages
from bot.core.answer import UTC_ZONE, Answer, Ask
from bot.core.assess import assess
from bot.core.backup import Backup
from bot.core.cache import Cached, ListingCache
from bot.core.canonical import window_text
from bot.core.clock import Clock
from bot.core.health import DEFAULT_SETTINGS, HISTORY_DAYS, FleetHealth, HealthSettings
from bot.core.instances import Instance, InstanceListing, PolicyRead, PolicyUnreadable
from bot.core.inventory import Fetched, InventoryCache, JudgedHealth
from bot.core.plan import DEFAULT_MAX_WINDOW_ROWS, NAMES_READ, PAGE_SIZE, Read, plan, probe
from bot.core.query import Last, Query, Target, Window
from bot.core.source import WHOLE, BackupListing, BackupSource
from bot.core.summary import human_age, summarise
from bot.core.targets import empty_targets, unknown
from bot.core.window import ResolvedWindow, depends_on_zone, resolve
from bot.errors import PermissionDenied, UserError

KNOWN_NAMES_LIMIT = 2_000
First = TypeVar("First")
Second = TypeVar("Second")


@dataclass(frozen=True)
class _Judged:
    """Health, what it was judged from (so an answer can add instances its window saw),
    and what it cost: the backup reads, and the requests and age of the inventory reads."""

    fleet: FleetHealth
    instances: tuple[Instance, ...]
    policies: dict[str, PolicyRead]
    reads: list[Cached]
    requests: int
    fetched_at: datetime
    listed: bool


def health_window(stale_after: timedelta) -> Last:
    """How far back health is judged from: the 14 days of the timeline, or longer if the
    threshold is, so that "no good backup since the start of the read" is conclusive."""
    return Last(max(HISTORY_DAYS, math.ceil(stale_after / timedelta(days=1)) + 1), "d")


class Engine:
    """Answers questions about one project's backups."""

    def __init__(
        self,
        *,
        source: BackupSource,
        cache: ListingCache,
        clock: Clock,
        inventory: InventoryCache | None = None,
        health_settings: HealthSettings = DEFAULT_SETTINGS,
        max_window_rows: int = DEFAULT_MAX_WINDOW_ROWS,
    ) -> None:
        self.source = source
        self.cache = cache
        self.inventory = inventory
        self._clock = clock
        self.health_settings = health_settings
        self.max_window_rows = max_window_rows
        self.health_window = health_window(health_settings.stale_after)
        self._judged = JudgedHealth(ttl=cache.ttl, clock=clock)
        self._known_names: dict[str, None] = {}

    @property
    def known_names(self) -> tuple[str, ...]:
        """Instance names seen in recent results, oldest first."""
        return tuple(self._known_names)

    async def answer(self, ask: Ask) -> Answer:
        """Answer `ask`, or raise QueryError (bad window, unknown instance) / UpstreamError."""
        query, refresh = ask.query, ask.refresh
        window = self._resolve(query.effective_window, zone=ask.zone, refresh=refresh)
        reads, results, judged = await self._read(query, window, zone=ask.zone, refresh=refresh)
        listed = _listed(judged)
        notes, probes = await empty_targets(
            query,
            window,
            reads,
            results,
            run=partial(self._run, refresh=refresh),
            names=self._names,
            exists=lambda target: target in listed,
        )
        rows, complete, window_total = self._window_rows([cached.listing for cached in results])
        unreadable = sum(cached.listing.unreadable for cached in results)
        matching = [b for b in rows if b.status in query.statuses] if query.statuses else rows
        page_count = max(1, math.ceil(len(matching) / PAGE_SIZE))
        page = min(max(ask.page, 0), page_count - 1)
        covered_since = window.begin if complete else (rows[-1].begin_time if rows else None)
        summary = summarise(rows, covered_since=covered_since, complete=complete)
        health = None
        if judged is not None:
            health = judged.fleet
            if not query.targets and not judged.listed:
                # Without the listing, every instance is those the backups show: the
                # window's too, though none in the health read (none for too long).
                health = self._with_seen(judged, rows, zone=ask.zone)
        used = [*results, *probes, *(judged.reads if judged is not None else ())]
        as_of = min(cached.fetched_at for cached in used)
        if judged is not None:
            as_of = min(as_of, judged.fetched_at)
        return Answer(
            query=query,
            window=window,
            backups=tuple(matching[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]),
            page=page,
            page_count=page_count,
            matches=len(matching),
            summary=summary,
            window_total=window_total,
            health=health,
            as_of=as_of,
            from_cache=all(cached.hit for cached in used) and not _inventory_requests(judged),
            requests=sum(cached.listing.requests for cached in used if not cached.hit)
            + _inventory_requests(judged),
            empty_targets=notes,
            unreadable=unreadable,
        )

    async def _read(
        self, query: Query, window: ResolvedWindow, *, zone: ZoneInfo, refresh: bool
    ) -> tuple[list[Read], list[Cached], _Judged | None]:
        """The question's window (up to the bound) and, for a question about instances,
        their health, read at once; returns the window's reads, their results, the health."""
        reads = plan(query, window, rows=self.max_window_rows)
        about = _instances_asked(query)
        if about is None:
            return reads, await self._run(reads, refresh=refresh), None
        # Re-anchoring twice would give the two reads of "last 7d" different bounds.
        again = self._anchor_key(self.health_window, UTC_ZONE) != self._anchor_key(
            query.effective_window, zone
        )
        health_window = self._resolve(self.health_window, zone=UTC_ZONE, refresh=refresh and again)
        health_reads = plan(Query(targets=about), health_window, rows=WHOLE)
        # A question read that is also health's read is read whole, once, for both.
        shared = {read.params for read in health_reads}
        reads = [replace(read, rows=WHOLE) if read.params in shared else read for read in reads]
        results, judged = await _together(
            self._run(reads, refresh=refresh),
            self._judge(about, health_reads, health_window, zone=zone, refresh=refresh),
        )
        return reads, results, judged

    def _window_rows(
        self, listings: Sequence[BackupListing]
    ) -> tuple[list[Backup], bool, int | None]:
        """The window's rows newest first, whether they are all of it, and how many it has.

        Each read holds its target's newest rows, so the newest N of their union are
        the union's newest N: what an incomplete answer says its counts cover.
        """
        merged = _merge(listing.backups for listing in listings)
        # Rows the API sent but nobody could read are not missing: the answer says so.
        if all(
            len(listing.backups) + listing.unreadable >= listing.total_count for listing in listings
        ):
            return merged, True, len(merged)
        overlapping = sum(len(listing.backups) for listing in listings) != len(merged)
        total = None if overlapping else sum(listing.total_count for listing in listings)
        return merged[: self.max_window_rows], False, total

    async def health(
        self,
        targets: Sequence[Target] = (),
        *,
        zone: ZoneInfo = UTC_ZONE,
        refresh: bool = False,
    ) -> FleetHealth:
        """Each instance's health as of now, for a reader in `zone`: `targets` (instance
        names or ids; none means every instance), judged by its policy from the instance
        listing, its policy and the last 14 days of backups read whole (no type, no status).

        Digests, watches, `/backups health` and every answer about instances judge health
        here, through the caches, so they share their reads. Without permission to list
        instances or read policies, instances are judged by the age threshold and the
        health's notice says what to grant. Raises QueryError for a target that is neither
        listed nor has any backup.
        """
        window = self._resolve(self.health_window, zone=UTC_ZONE, refresh=refresh)
        about = tuple(targets)
        reads = plan(Query(targets=about), window, rows=WHOLE)
        return (await self._judge(about, reads, window, zone=zone, refresh=refresh)).fleet

    async def _judge(
        self,
        about: Sequence[Target],
        reads: Sequence[Read],
        window: ResolvedWindow,
        *,
        zone: ZoneInfo,
        refresh: bool,
    ) -> _Judged:
        results, listing = await _together(
            self._run(reads, refresh=refresh), self._listing(refresh=refresh)
        )
        backups = _merge(cached.listing.backups for cached in results)
        requests, fetched_at = 0, self._clock()
        known: InstanceListing | None = None
        notice = None
        if listing is not None:
            requests, fetched_at = listing.requests, listing.fetched_at
            if isinstance(listing.value, InstanceListing):
                known = listing.value
            else:
                notice = self._notice(listing.value, messages.MAY_NOT_LIST_INSTANCES)
        chosen, unlisted, probes = await self._chosen(about, reads, results, known, refresh)
        policies: dict[str, PolicyRead] = {}
        reason = messages.LISTING_UNREADABLE
        if known is not None and self.inventory is not None:
            ids = [instance.id for instance in chosen]
            read = await self.inventory.policies(ids, refresh=refresh)
            requests += read.requests
            fetched_at = min(fetched_at, read.fetched_at)
            policies.update(read.by_id)
            if read.denied is not None:
                notice = self._notice(read.denied, messages.MAY_NOT_READ_POLICIES)
            reason = messages.NOT_IN_THE_LISTING
        for instance in unlisted:
            policies[instance.id] = PolicyUnreadable(reason)
        if notice is not None:
            for instance in chosen:
                policies.setdefault(
                    instance.id, PolicyUnreadable(messages.NO_PERMISSION_TO_READ_IT)
                )
        instances = (*chosen, *unlisted)
        used = [*results, *probes]
        inputs = (
            *(cached.listing for cached in used),
            listing.value if listing is not None else None,
            *instances,
            *policies.values(),
        )
        fleet = None if refresh else self._judged.get((tuple(about), zone.key), inputs)
        if fleet is None:
            now = self._clock()
            # A probe's newest backup is older than the read: it still tells the last good one.
            probed = _merge([tuple(backups), *(cached.listing.backups for cached in probes)])
            fleet = assess(
                instances,
                policies,
                probed,
                now=now,
                covered_since=window.begin or now,
                zone=zone,
                settings=self.health_settings,
            )
            as_of = min([fetched_at, *(cached.fetched_at for cached in used)])
            fleet = replace(fleet, backups=tuple(backups), notice=notice, as_of=as_of)
            self._judged.put((tuple(about), zone.key), inputs, fleet)
        return _Judged(fleet, instances, policies, used, requests, fetched_at, known is not None)

    async def _chosen(
        self,
        about: Sequence[Target],
        reads: Sequence[Read],
        results: Sequence[Cached],
        known: InstanceListing | None,
        refresh: bool,
    ) -> tuple[list[Instance], list[Instance], list[Cached]]:
        """The listed instances asked about (none named: all), those known only from their
        backups, and the probes it took to tell a target with no backup lately from none."""
        listed = list(known.instances) if known is not None else []
        if not about:
            ids = {instance.id for instance in listed}
            seen = (
                []
                if known is not None
                else _seen(backup for cached in results for backup in cached.listing.backups)
            )
            return listed, [i for i in seen if i.id not in ids], []
        chosen: dict[str, Instance] = {}
        absent: list[Target] = []
        unlisted: list[Instance] = []
        for read, cached in zip(reads, results, strict=True):
            target = read.target
            if target is None:
                continue
            matches = [instance for instance in listed if _names(instance, target)]
            for instance in matches:
                chosen.setdefault(instance.id, instance)
            if matches:
                continue
            if cached.listing.backups:
                unlisted.extend(_seen(cached.listing.backups))
            else:
                absent.append(target)
        probes = await self._run([probe(target) for target in absent], refresh=refresh)
        for target, cached in zip(absent, probes, strict=True):
            if not cached.listing.backups:
                raise await unknown(target, names=self._names)
            unlisted.extend(_seen(cached.listing.backups))
        ids = set(chosen)
        return list(chosen.values()), [i for i in _unique(unlisted) if i.id not in ids], probes

    def _with_seen(self, judged: _Judged, rows: Sequence[Backup], *, zone: ZoneInfo) -> FleetHealth:
        """Health with the instances `rows` show that it did not know, judged alike."""
        ids = {instance.id for instance in judged.instances}
        extra = [instance for instance in _seen(rows) if instance.id not in ids]
        if not extra:
            return judged.fleet
        inputs = (judged.fleet, tuple(instance.id for instance in extra))
        key = ("seen", tuple(instance.id for instance in judged.instances), zone.key)
        kept = self._judged.get(key, inputs)
        if kept is not None:
            return kept
        policies = dict(judged.policies)
        for instance in extra:
            policies[instance.id] = PolicyUnreadable(messages.LISTING_UNREADABLE)
        fleet = judged.fleet
        redone = assess(
            (*judged.instances, *extra),
            policies,
            fleet.backups,
            now=fleet.now,
            covered_since=fleet.covered_since,
            zone=zone,
            settings=self.health_settings,
        )
        redone = replace(redone, backups=fleet.backups, notice=fleet.notice, as_of=fleet.as_of)
        self._judged.put(key, inputs, redone)
        return redone

    async def _listing(self, *, refresh: bool) -> Fetched[InstanceListing] | None:
        """The instance listing (or its denial); None for a source that has none."""
        if self.inventory is None:
            return None
        return await self.inventory.instances(refresh=refresh)

    def _notice(self, denied: PermissionDenied, what: str) -> str:
        """What health could not know, and what to grant, in one sentence."""
        limit = human_age(self.health_settings.stale_after)
        listing = what == messages.MAY_NOT_LIST_INSTANCES
        unseen = messages.INSTANCES_WITHOUT_BACKUPS_UNSEEN if listing else ""
        return messages.judged_by_threshold(
            what=what,
            limit=limit,
            unseen=unseen,
            action=denied.action,
            legacy=denied.legacy_action,
        )

    def _anchor_key(self, window: Window | None, zone: ZoneInfo) -> tuple[str, str, str]:
        """Asks that resolve a window alike share its anchor: "last 7d" whatever the zone."""
        words = "" if window is None else window_text(window)
        return (self.source.scope, words, zone.key if depends_on_zone(window) else "")

    def _resolve(self, window: Window | None, *, zone: ZoneInfo, refresh: bool) -> ResolvedWindow:
        """`window` in absolute times, "now" anchored so repeated asks share reads."""
        now = self.cache.anchor(self._anchor_key(window, zone), refresh=refresh)
        return resolve(window, now=now, zone=zone)

    async def _run(self, reads: Sequence[Read], *, refresh: bool) -> list[Cached]:
        async def one(read: Read) -> Cached:
            cached = await self.cache.fetch(
                (self.source.scope, read.params, read.rows),
                lambda: self.source.list_backups(read.params, rows=read.rows),
                refresh=refresh,
            )
            if not cached.hit:
                self._learn(cached.listing.backups)
            return cached

        return list(await asyncio.gather(*(one(read) for read in reads)))

    async def _names(self) -> tuple[str, ...]:
        """Instance names seen so far; the newest 100 backups are read for some if none were."""
        if not self._known_names:
            await self._run([NAMES_READ], refresh=False)
        return self.known_names

    def _learn(self, backups: Sequence[Backup]) -> None:
        for backup in backups:
            if backup.instance_name:
                self._known_names.pop(backup.instance_name, None)
                self._known_names[backup.instance_name] = None
        while len(self._known_names) > KNOWN_NAMES_LIMIT:
            del self._known_names[next(iter(self._known_names))]


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
            raise UserError(
                messages.no_such_profile(name), messages.the_profiles_are(known)
            ) from None

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


def _listed(judged: _Judged | None) -> frozenset[Target]:
    """The targets that name an instance the listing gives."""
    if judged is None:
        return frozenset()
    return frozenset(
        target
        for instance in judged.instances
        if not instance.unlisted
        for target in (Target("instance_name", instance.name), Target("instance_id", instance.id))
    )


def _names(instance: Instance, target: Target) -> bool:
    """Whether `target` is this instance, by name or by id."""
    if target.kind == "instance_name":
        return instance.name == target.value
    return target.kind == "instance_id" and instance.id == target.value


def _inventory_requests(judged: _Judged | None) -> int:
    return 0 if judged is None else judged.requests


def _seen(backups: Iterable[Backup]) -> list[Instance]:
    """The instances `backups` name, once each, as known from backups alone."""
    names: dict[str, str] = {}
    for backup in backups:  # thousands of rows, a few instances: one model per instance
        names.setdefault(backup.instance_id or backup.instance_name, backup.instance_name)
    return [Instance.seen_in_backups(key, name or key) for key, name in names.items()]


def _unique(instances: Iterable[Instance]) -> list[Instance]:
    found: dict[str, Instance] = {}
    for instance in instances:
        found.setdefault(instance.id, instance)
    return list(found.values())


def _instances_asked(query: Query) -> tuple[Target, ...] | None:
    """The instances whose health an answer shows: those named (none: every instance),
    or None when the question is only about backup ids."""
    if not query.targets:
        return ()
    instances = tuple(target for target in query.targets if target.kind != "backup_id")
    return instances or None


async def _together(
    first: Coroutine[Any, Any, First], second: Coroutine[Any, Any, Second]
) -> tuple[First, Second]:
    """Both at once; if one fails, the other is cancelled and the first failure raised."""
    try:
        async with asyncio.TaskGroup() as group:
            one, two = group.create_task(first), group.create_task(second)
    except* Exception as failures:
        raise failures.exceptions[0] from None
    return one.result(), two.result()


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
