"""Instances and their policies, read rarely and shared.

They change in minutes, not seconds, so one read serves questions, digests and watches
for `ttl` seconds (BACKUPBOT_INVENTORY_TTL); concurrent asks share one read. A denial
(the IAM user may not list instances, or read policies) is kept as long, so a fleet
without the permission costs one refused request per TTL, not one per question.

Any other failure to read them (an error that outlasted the retries, a page that cannot
be read, even a bug) never fails an answer: the listing becomes `ListingFailed` (health
then judges the instances the backups show, and says why once), a policy
`PolicyUnreadable` (judged by the age threshold). Failures are not kept: the next ask
reads again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from cachetools import TTLCache

from bot import messages
from bot.core.clock import Clock
from bot.core.flights import SingleFlight
from bot.core.health.instances import (
    InstanceListing,
    InventorySource,
    PolicyRead,
    PolicyUnreadable,
    Wording,
    worded,
)
from bot.errors import PermissionDenied, UpstreamError

DEFAULT_INVENTORY_TTL = 600.0
MAX_POLICIES = 100_000
Value = TypeVar("Value")
log = logging.getLogger("backupbot.inventory")


@dataclass(frozen=True)
class ListingFailed:
    """The instance listing could not be read, and why: `why` is said in the language of
    whoever reads `reason` (one read serves readers of several)."""

    why: Wording

    @property
    def reason(self) -> str:
        return str(self.why)


def _refused(error: UpstreamError) -> Wording:
    """Why a read failed, in a few words (the API's own words as they came)."""
    return worded(messages.read_failed, summary=error.said, status=error.status)


def _unexpected(error: Exception, what: str) -> Wording:
    """A read that failed unexpectedly: logged with its traceback, said in a few words."""
    log.error("Reading the %s failed unexpectedly", what, exc_info=error)
    return worded(messages.unexpected_read_failure)


@dataclass(frozen=True)
class Fetched(Generic[Value]):
    """A value (or the denial that stood for it), when it was read, and the requests it took
    for this ask (0 when it came from the cache)."""

    value: Value | PermissionDenied | ListingFailed
    fetched_at: datetime
    requests: int


@dataclass(frozen=True)
class Policies:
    """The policy of each instance asked about, or the denial that stopped every read."""

    by_id: dict[str, PolicyRead]
    denied: PermissionDenied | None
    fetched_at: datetime
    requests: int


class InventoryCache:
    """The instance listing and each instance's policy, cached for `ttl` seconds."""

    def __init__(self, source: InventorySource, *, ttl: float, clock: Clock) -> None:
        self._source = source
        self._clock = clock
        self._ttl = ttl
        timer = lambda: clock().timestamp()  # noqa: E731
        size = max(ttl, 0.001)
        self._listing: TTLCache[
            Hashable, tuple[InstanceListing | PermissionDenied | ListingFailed, datetime]
        ] = TTLCache(maxsize=1, ttl=size, timer=timer)
        self._policies: TTLCache[str, tuple[PolicyRead, datetime]] = TTLCache(
            maxsize=MAX_POLICIES, ttl=size, timer=timer
        )
        self._policy_denied: TTLCache[Hashable, tuple[PermissionDenied, datetime]] = TTLCache(
            maxsize=1, ttl=size, timer=timer
        )
        self._flight: SingleFlight[Any] = SingleFlight()

    @property
    def ttl(self) -> float:
        """Seconds a read is kept: what changes in minutes may be cached as long."""
        return self._ttl

    async def instances(self, *, refresh: bool = False) -> Fetched[InstanceListing]:
        """Every instance of the project, the denial, or why it could not be read."""
        stored = None if refresh or self._ttl <= 0 else self._listing.get("listing")
        if stored is not None:
            return Fetched(stored[0], stored[1], 0)

        async def load() -> tuple[InstanceListing | PermissionDenied | ListingFailed, int]:
            try:
                listing = await self._source.list_instances()
            except PermissionDenied as denied:
                return denied, 1
            except UpstreamError as error:  # never an answer's failure: said once
                return ListingFailed(_refused(error)), 1
            except Exception as error:
                return ListingFailed(_unexpected(error, "instances")), 1
            return listing, listing.requests

        value, requests, fetched_at = await self._once("listing", load)
        if self._ttl > 0 and not isinstance(value, ListingFailed):
            self._listing["listing"] = (value, fetched_at)
        return Fetched(value, fetched_at, requests)

    async def policies(self, instance_ids: Sequence[str], *, refresh: bool = False) -> Policies:
        """The policy of each instance; those read before within the TTL cost nothing.

        A policy that could not be read is not kept: the next ask tries again.
        """
        now = self._clock()
        denied = None if refresh or self._ttl <= 0 else self._policy_denied.get("denied")
        if denied is not None:
            return Policies({}, denied[0], denied[1], 0)
        by_id: dict[str, PolicyRead] = {}
        oldest = now
        missing: list[str] = []
        for instance_id in dict.fromkeys(instance_ids):
            stored = None if refresh or self._ttl <= 0 else self._policies.get(instance_id)
            if stored is None:
                missing.append(instance_id)
            else:
                by_id[instance_id] = stored[0]
                oldest = min(oldest, stored[1])
        if not missing:
            return Policies(by_id, None, oldest, 0)

        async def load() -> tuple[tuple[dict[str, PolicyRead], PermissionDenied | None], int]:
            try:
                reads = await self._source.read_policies(missing)
            except PermissionDenied as denied:
                return ({}, denied), 1
            except UpstreamError as error:  # each policy unknown, not the answer
                return (dict.fromkeys(missing, PolicyUnreadable(_refused(error))), None), 1
            except Exception as error:
                failed = PolicyUnreadable(_unexpected(error, "policies"))
                return (dict.fromkeys(missing, failed), None), 1
            return (dict(reads.policies), None), reads.requests

        (read_now, refusal), requests, fetched_at = await self._once(("policies", *missing), load)
        if refusal is not None:
            if self._ttl > 0:
                self._policy_denied["denied"] = (refusal, fetched_at)
            return Policies({}, refusal, fetched_at, requests)
        for instance_id, read in read_now.items():
            by_id[instance_id] = read
            if self._ttl > 0 and not isinstance(read, PolicyUnreadable):
                self._policies[instance_id] = (read, fetched_at)
        return Policies(by_id, None, min(oldest, fetched_at), requests)

    async def _once(
        self, key: Hashable, load: Callable[[], Awaitable[tuple[Value, int]]]
    ) -> tuple[Value, int, datetime]:
        """`load()` once however many ask at the same time; the requests count only for the
        ask that made them."""
        joined = self._flight.busy(key)

        async def run() -> tuple[Value, int, datetime]:
            value, requests = await load()
            return value, requests, self._clock()

        value, requests, fetched_at = await self._flight.run(key, run)
        return value, 0 if joined else requests, fetched_at
