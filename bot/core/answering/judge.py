"""Judging health for the engine: which instances (the listing, or the backups when it
cannot be read), their policies, and one verdict per instance, in three steps:

- read (here): the health window's backups through the shared `Reader`, the instance
  listing and the chosen instances' policies through the inventory cache (which are
  chosen, and the probe of a target with no backup lately: `chosen`);
- fall back (`bot.core.health.fallback`, pure): each instance's policy or why it is
  unknown, and the notice of what health could not know;
- assess (`bot.core.health.assess`, pure): one verdict per instance, kept while its
  inputs are (`judged_memo`), so asking again from the same data judges nothing again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import messages
from bot.core.answering.cache import Cached
from bot.core.answering.chosen import choose, seen_in
from bot.core.answering.judged_memo import JudgedHealth
from bot.core.answering.plan import Read
from bot.core.answering.reader import Reader, merge, together
from bot.core.answering.restore import Restorer
from bot.core.answering.restore_health import with_restorability
from bot.core.answering.window import ResolvedWindow
from bot.core.backup import Backup
from bot.core.clock import Clock
from bot.core.health.assess import assess
from bot.core.health.fallback import fallback
from bot.core.health.instances import Instance, InstanceListing, PolicyRead, PolicyUnreadable
from bot.core.health.inventory_cache import Fetched, InventoryCache, ListingFailed, Policies
from bot.core.health.reports import HISTORY_DAYS, FleetHealth, HealthSettings
from bot.core.query import Last, Target
from bot.errors import PermissionDenied


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


@dataclass(frozen=True)
class HealthRead:
    """What health is judged from, as read: the window's backups (`results`) and the probes
    of targets without any, the listing (None: the source has none) and the policies of
    the listed instances chosen (None without a listing), and what the inventory cost."""

    results: list[Cached]
    probes: list[Cached]
    listing: InstanceListing | PermissionDenied | ListingFailed | None
    chosen: list[Instance]
    unlisted: list[Instance]
    policies: Policies | None
    requests: int
    fetched_at: datetime

    @property
    def listed(self) -> bool:
        """Whether the instance listing could be read."""
        return isinstance(self.listing, InstanceListing)


def health_window(stale_after: timedelta) -> Last:
    """How far back health is judged from: the 14 days of the timeline, or longer if the
    threshold is, so that "no good backup since the start of the read" is conclusive."""
    return Last(max(HISTORY_DAYS, math.ceil(stale_after / timedelta(days=1)) + 1), "d")


class HealthJudge:
    """Judges the health of the instances asked about, from reads through the `reader`."""

    def __init__(
        self,
        *,
        reader: Reader,
        inventory: InventoryCache | None,
        clock: Clock,
        settings: HealthSettings,
    ) -> None:
        self._reader = reader
        self.inventory = inventory
        self._clock = clock
        self.settings = settings
        self.window = health_window(settings.stale_after)
        self._judged = JudgedHealth(ttl=reader.cache.ttl, clock=clock)
        self.restorer: Restorer | None = None  # set when the source has restore reads

    async def judge(
        self,
        about: Sequence[Target],
        reads: Sequence[Read],
        window: ResolvedWindow,
        *,
        zone: ZoneInfo,
        refresh: bool,
    ) -> Judged:
        """The health of `about` (none: every instance) as of now, for a reader in `zone`,
        from `reads` of `window` (health's, or cut from a question's): read, fall back,
        assess. Raises QueryError for a target neither listed nor with any backup."""
        read = await self._read(about, reads, refresh=refresh)
        policies, notice = fallback(
            listing=read.listing,
            policies=read.policies,
            chosen=read.chosen,
            unlisted=read.unlisted,
            skipped=not about or bool(read.unlisted),
            stale_after=self.settings.stale_after,
        )
        instances = (*read.chosen, *read.unlisted)
        fleet = self._assessed(
            about, read, instances, policies, notice=notice, window=window, zone=zone,
            refresh=refresh,
        )  # fmt: skip
        used = [*read.results, *read.probes]
        requests = read.requests
        if self.restorer is not None:
            fleet, spent = await with_restorability(fleet, policies, restorer=self.restorer)
            requests += spent
        return Judged(fleet, instances, policies, used, requests, read.fetched_at, read.listed)

    async def _read(
        self, about: Sequence[Target], reads: Sequence[Read], *, refresh: bool
    ) -> HealthRead:
        """The backups, the listing and the policies health is judged from."""
        results, listing = await together(
            self._reader.run(reads, refresh=refresh), self._listing(refresh=refresh)
        )
        requests, fetched_at = 0, self._clock()
        value = None
        if listing is not None:
            requests, fetched_at, value = listing.requests, listing.fetched_at, listing.value
        known = value if isinstance(value, InstanceListing) else None
        chosen, unlisted, probes = await choose(
            about, reads, results, known=known, reader=self._reader, refresh=refresh
        )
        policies = None
        if known is not None and self.inventory is not None:
            ids = [instance.id for instance in chosen]
            policies = await self.inventory.policies(ids, refresh=refresh)
            requests += policies.requests
            fetched_at = min(fetched_at, policies.fetched_at)
        return HealthRead(results, probes, value, chosen, unlisted, policies, requests, fetched_at)

    def _assessed(
        self,
        about: Sequence[Target],
        read: HealthRead,
        instances: tuple[Instance, ...],
        policies: dict[str, PolicyRead],
        *,
        notice: str | None,
        window: ResolvedWindow,
        zone: ZoneInfo,
        refresh: bool,
    ) -> FleetHealth:
        """One verdict per instance, or the one judged a moment ago from the same inputs."""
        backups = merge(cached.listing.backups for cached in read.results)
        used = [*read.results, *read.probes]
        inputs = (
            *(cached.listing for cached in used),
            read.listing,
            *instances,
            *policies.values(),
        )
        key = (tuple(about), zone.key)
        fleet = None if refresh else self._judged.get(key, inputs)
        if fleet is not None:
            return fleet
        now = self._clock()
        # A probe's newest backup is older than the read: it still tells the last good one.
        probed = merge([tuple(backups), *(cached.listing.backups for cached in read.probes)])
        fleet = assess(
            instances,
            policies,
            probed,
            now=now,
            covered_since=window.begin or now,
            zone=zone,
            settings=self.settings,
        )
        as_of = min([read.fetched_at, *(cached.fetched_at for cached in used)])
        fleet = replace(fleet, backups=tuple(backups), notice=notice, as_of=as_of)
        self._judged.put(key, inputs, fleet)
        return fleet

    def with_seen(self, judged: Judged, rows: Sequence[Backup], *, zone: ZoneInfo) -> FleetHealth:
        """Health with the instances `rows` show that it did not know, judged alike."""
        ids = {instance.id for instance in judged.instances}
        extra = [instance for instance in seen_in(rows) if instance.id not in ids]
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

    async def _listing(self, *, refresh: bool) -> Fetched[InstanceListing] | None:
        """The instance listing (or its denial); None for a source that has none."""
        if self.inventory is None:
            return None
        return await self.inventory.instances(refresh=refresh)


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


def inventory_requests(judged: Judged | None) -> int:
    """The inventory requests health made for this ask (0 without health)."""
    return 0 if judged is None else judged.requests
