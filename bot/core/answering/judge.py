"""Judging health for the engine: which instances (the listing, or the backups when it
cannot be read), their policies, and one verdict per instance from `bot.core.health.assess`.

The reads go through the engine's caches; the verdict is kept while those reads are
(`JudgedHealth`), so asking again from the same data judges nothing again. Without
permission to list instances or read policies, health falls back to the age threshold
and says once, in its notice, which IAM action to grant; a listing that cannot be read
leaves health to the instances the backups show, and a listing read only in part (a
field or a row that could not be read) is said once too. Instances the backups show and
the listing does not are judged by the threshold, never dropped.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Collection, Coroutine, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from cachetools import TTLCache

from bot import messages
from bot.core.answering.cache import Cached
from bot.core.answering.empty_targets import unknown
from bot.core.answering.plan import Read, probe
from bot.core.answering.reader import merge, together
from bot.core.answering.window import ResolvedWindow
from bot.core.backup import Backup
from bot.core.clock import Clock
from bot.core.health.assess import assess
from bot.core.health.instances import Instance, InstanceListing, PolicyRead, PolicyUnreadable
from bot.core.health.inventory_cache import Fetched, InventoryCache, ListingFailed
from bot.core.health.reports import HISTORY_DAYS, FleetHealth, HealthSettings
from bot.core.human import human_age
from bot.core.query import Last, Target
from bot.errors import PermissionDenied

Run = Callable[[Sequence[Read], bool], Coroutine[Any, Any, list[Cached]]]
"""Reads through the engine's cache: `run(reads, refresh)`."""
Names = Callable[[], Awaitable[Collection[str]]]


@dataclass(frozen=True)
class Judged:
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


class JudgedHealth:
    """The fleet's health judged from the very same reads, kept for `ttl` seconds.

    Judging is pure but not free (about half a millisecond an instance): asked again from
    the same cached reads (the same objects, or equal ones), the health judged a moment
    ago is the answer, as stale as those reads are, no more.
    """

    def __init__(self, *, ttl: float, clock: Clock, maxsize: int = 64) -> None:
        self._entries: TTLCache[Hashable, tuple[tuple[object, ...], FleetHealth]] = TTLCache(
            maxsize=maxsize, ttl=max(ttl, 0.001), timer=lambda: clock().timestamp()
        )
        self._ttl = ttl

    def get(self, key: Hashable, inputs: tuple[object, ...]) -> FleetHealth | None:
        """The health judged for `key` from exactly `inputs`, if still kept."""
        stored = self._entries.get(key)
        if stored is None or len(stored[0]) != len(inputs):
            return None
        if all(
            kept is given or kept == given for kept, given in zip(stored[0], inputs, strict=True)
        ):
            return stored[1]
        return None

    def put(self, key: Hashable, inputs: tuple[object, ...], fleet: FleetHealth) -> None:
        """Keep what `inputs` were judged to be (nothing when caching is off)."""
        if self._ttl > 0:
            self._entries[key] = (inputs, fleet)


class HealthJudge:
    """Judges the health of the instances asked about, from reads through `run`."""

    def __init__(
        self,
        *,
        run: Run,
        names: Names,
        inventory: InventoryCache | None,
        clock: Clock,
        settings: HealthSettings,
        ttl: float,
    ) -> None:
        self._run = run
        self._names = names
        self.inventory = inventory
        self._clock = clock
        self.settings = settings
        self._judged = JudgedHealth(ttl=ttl, clock=clock)

    async def judge(
        self,
        about: Sequence[Target],
        reads: Sequence[Read],
        window: ResolvedWindow,
        *,
        zone: ZoneInfo,
        refresh: bool,
    ) -> Judged:
        results, listing = await together(self._run(reads, refresh), self._listing(refresh=refresh))
        backups = merge(cached.listing.backups for cached in results)
        requests, fetched_at = 0, self._clock()
        known: InstanceListing | None = None
        notices: list[str] = []
        if listing is not None:
            requests, fetched_at = listing.requests, listing.fetched_at
            if isinstance(listing.value, InstanceListing):
                known = listing.value
            elif isinstance(listing.value, ListingFailed):
                limit = human_age(self.settings.stale_after)
                notices.append(messages.listing_failed(listing.value.reason, limit))
            else:
                notices.append(self._notice(listing.value, messages.MAY_NOT_LIST_INSTANCES))
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
                notices.append(self._notice(read.denied, messages.MAY_NOT_READ_POLICIES))
                for instance in chosen:
                    policies.setdefault(
                        instance.id, PolicyUnreadable(messages.NO_PERMISSION_TO_READ_IT)
                    )
            reason = messages.NOT_IN_THE_LISTING
            notices.extend(_gaps(known, chosen, skipped=not about or bool(unlisted)))
        for instance in unlisted:
            policies[instance.id] = PolicyUnreadable(reason)
        notice = " · ".join(notices) or None
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
            probed = merge([tuple(backups), *(cached.listing.backups for cached in probes)])
            fleet = assess(
                instances,
                policies,
                probed,
                now=now,
                covered_since=window.begin or now,
                zone=zone,
                settings=self.settings,
            )
            as_of = min([fetched_at, *(cached.fetched_at for cached in used)])
            fleet = replace(fleet, backups=tuple(backups), notice=notice, as_of=as_of)
            self._judged.put((tuple(about), zone.key), inputs, fleet)
        return Judged(fleet, instances, policies, used, requests, fetched_at, known is not None)

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
            # Those the backups show and the listing does not are judged too, never dropped
            # (a listing cut short, a row that could not be read, an instance just made).
            told = {instance.id for instance in listed}
            told.update(instance.name for instance in listed if instance.name)
            seen = _seen(backup for cached in results for backup in cached.listing.backups)
            return listed, [i for i in seen if i.id not in told], []
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
        probes = await self._run([probe(target) for target in absent], refresh)
        for target, cached in zip(absent, probes, strict=True):
            if not cached.listing.backups:
                raise await unknown(target, names=lambda: self._known_names(listed))
            unlisted.extend(_seen(cached.listing.backups))
        ids = set(chosen)
        return list(chosen.values()), [i for i in _unique(unlisted) if i.id not in ids], probes

    def with_seen(self, judged: Judged, rows: Sequence[Backup], *, zone: ZoneInfo) -> FleetHealth:
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
            settings=self.settings,
        )
        redone = replace(redone, backups=fleet.backups, notice=fleet.notice, as_of=fleet.as_of)
        self._judged.put(key, inputs, redone)
        return redone

    async def _known_names(self, listed: Sequence[Instance]) -> list[str]:
        """Names to suggest for a typo: the listed instances' (those without backups too),
        then those seen in backups."""
        names = dict.fromkeys(instance.name for instance in listed if instance.name)
        names.update(dict.fromkeys(await self._names()))
        return list(names)

    async def _listing(self, *, refresh: bool) -> Fetched[InstanceListing] | None:
        """The instance listing (or its denial); None for a source that has none."""
        if self.inventory is None:
            return None
        return await self.inventory.instances(refresh=refresh)

    def _notice(self, denied: PermissionDenied, what: str) -> str:
        """What health could not know, and what to grant, in one sentence."""
        limit = human_age(self.settings.stale_after)
        listing = what == messages.MAY_NOT_LIST_INSTANCES
        unseen = messages.INSTANCES_WITHOUT_BACKUPS_UNSEEN if listing else ""
        return messages.judged_by_threshold(
            what=what,
            limit=limit,
            unseen=unseen,
            action=denied.action,
            legacy=denied.legacy_action,
        )


def _gaps(listing: InstanceListing, chosen: Sequence[Instance], *, skipped: bool) -> list[str]:
    """What the listing could not say of the instances judged, in one note (none: nothing
    missing): each field health uses that was dropped or null, and, when they may be
    among those judged, the rows set aside for want of an id."""
    counts: dict[str, int] = {}
    for instance in chosen:
        missing = set(listing.dropped.get(instance.id, ()))
        if not instance.status_known:
            missing.add("status")
        for name in sorted(missing):
            counts[name] = counts.get(name, 0) + 1
    parts = [messages.field_of_instances(name, count) for name, count in sorted(counts.items())]
    if skipped and listing.skipped:
        parts.append(messages.records_without_id(listing.skipped))
    return [messages.listing_partly_unread(parts)] if parts else []


def listed_targets(judged: Judged | None) -> frozenset[Target]:
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


def inventory_requests(judged: Judged | None) -> int:
    """The inventory requests health made for this ask (0 without health)."""
    return 0 if judged is None else judged.requests


def _seen(backups: Iterable[Backup]) -> list[Instance]:
    """The instances `backups` name, once each, as known from backups alone."""
    names: dict[str, str] = {}
    for backup in backups:  # thousands of rows, a few instances: one model per instance
        if key := backup.instance_id or backup.instance_name:  # else no instance to name
            names.setdefault(key, backup.instance_name)
    return [Instance.seen_in_backups(key, name or key) for key, name in names.items()]


def _unique(instances: Iterable[Instance]) -> list[Instance]:
    found: dict[str, Instance] = {}
    for instance in instances:
        found.setdefault(instance.id, instance)
    return list(found.values())
