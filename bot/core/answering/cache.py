"""A short-lived cache of upstream listings, with single flight and anchored windows.

Keys are the upstream request (scope, parameters, how much to read). Concurrent asks
for the same key share one upstream call: twenty engineers asking the same thing in an
incident cost one API call. A read that a stored one covers (`bot.core.answering.cover`: the same
instances, a window inside its window) is cut from it, at no call at all. Relative
windows ("last 7d") are anchored: the first ask fixes "now" for the window's words, and
asks within the TTL reuse it, so they resolve to the very same parameters and share one
entry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import datetime

from cachetools import TTLCache

from bot.core.answering.cover import Coverage, Span, achieved, derive
from bot.core.backup_source import BackupListing
from bot.core.clock import Clock
from bot.core.flights import SingleFlight


@dataclass(frozen=True)
class Cached:
    """A listing and when it was fetched; `hit` is True when this ask cost no API call."""

    listing: BackupListing
    fetched_at: datetime
    hit: bool


class ListingCache:
    """TTL cache of listings; ttl 0 turns storing off (single flight still applies)."""

    def __init__(self, *, ttl: float, maxsize: int, clock: Clock) -> None:
        self.ttl = ttl
        self._clock = clock
        timer = self._timestamp
        self._entries: TTLCache[Hashable, tuple[BackupListing, datetime, Coverage | None]] = (
            TTLCache(maxsize=maxsize, ttl=max(ttl, 0.001), timer=timer)
        )
        # The keys of stored reads that cover something, by what they are of.
        self._covering: dict[Hashable, dict[Hashable, None]] = {}
        self._anchors: TTLCache[Hashable, datetime] = TTLCache(
            maxsize=maxsize, ttl=max(ttl, 0.001), timer=timer
        )
        self._flight: SingleFlight[tuple[BackupListing, datetime]] = SingleFlight()
        self.hits = 0
        self.misses = 0

    def _timestamp(self) -> float:
        return self._clock().timestamp()

    def anchor(self, key: Hashable, *, refresh: bool = False) -> datetime:
        """The "now" to resolve a relative window with: shared by asks within the TTL."""
        now = self._clock()
        if self.ttl <= 0 or refresh:
            self._anchors[key] = now
            return now
        anchored = self._anchors.get(key)
        if anchored is None:
            self._anchors[key] = anchored = now
        return anchored

    async def fetch(
        self,
        key: Hashable,
        load: Callable[[], Awaitable[BackupListing]],
        *,
        refresh: bool = False,
        span: Span | None = None,
    ) -> Cached:
        """The cached listing for `key`, one cut from a stored read that covers `span`
        (what `key` reads), or load it (once, however many ask at the same time).

        `refresh` skips stored entries and stores the new one; it still joins a load
        already under way, which is as fresh as it gets.
        """
        if not refresh and self.ttl > 0:
            stored = self._entries.get(key)
            if stored is not None:
                self.hits += 1
                return Cached(stored[0], stored[1], hit=True)
            covered = None if span is None else self._covered(span)
            if covered is not None:
                self.hits += 1
                return covered
        joined = self._flight.busy(key)
        if joined:
            self.hits += 1
        else:
            self.misses += 1
        listing, fetched_at = await self._flight.run(key, lambda: self._load(key, load, span))
        return Cached(listing, fetched_at, hit=joined)

    def _covered(self, span: Span) -> Cached | None:
        """`span` cut from a stored read that holds all of it, if one does."""
        keys = self._covering.get(span.domain)
        if not keys:
            return None
        for key in list(keys):
            stored = self._entries.get(key)
            if stored is None:
                del keys[key]  # expired or evicted
                continue
            listing, fetched_at, coverage = stored
            if coverage is not None and coverage.covers(span):
                return Cached(derive(listing, span), fetched_at, hit=True)
        if not keys:
            del self._covering[span.domain]
        return None

    async def _load(
        self,
        key: Hashable,
        load: Callable[[], Awaitable[BackupListing]],
        span: Span | None,
    ) -> tuple[BackupListing, datetime]:
        started = self._clock()
        listing = await load()
        fetched_at = self._clock()
        if self.ttl > 0:
            coverage = None if span is None else achieved(span, listing, read_at=started)
            self._entries[key] = (listing, fetched_at, coverage)
            if coverage is not None:
                self._covering.setdefault(coverage.domain, {})[key] = None
        return listing, fetched_at
