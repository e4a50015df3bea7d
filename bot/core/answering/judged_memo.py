"""Health judged a moment ago, kept while its inputs are the same: judging is pure but
not free (about half a millisecond an instance), so asking again from the same reads
judges nothing again.
"""

from __future__ import annotations

from collections.abc import Hashable

from cachetools import TTLCache

from bot.core.clock import Clock
from bot.core.health.reports import FleetHealth
from bot.messages.catalogue import reader_locale


class JudgedHealth:
    """The fleet's health judged from the very same reads, kept for `ttl` seconds.

    Asked again from the same cached reads (the same objects, or equal ones), the health
    judged a moment ago is the answer, as stale as those reads are, no more. Its reasons
    are sentences in the reader's language, so each language is judged (and kept) on its
    own.
    """

    def __init__(self, *, ttl: float, clock: Clock, maxsize: int = 64) -> None:
        self._entries: TTLCache[Hashable, tuple[tuple[object, ...], FleetHealth]] = TTLCache(
            maxsize=maxsize, ttl=max(ttl, 0.001), timer=lambda: clock().timestamp()
        )
        self._ttl = ttl

    def get(self, key: Hashable, inputs: tuple[object, ...]) -> FleetHealth | None:
        """The health judged for `key` from exactly `inputs`, if still kept."""
        stored = self._entries.get((reader_locale(), key))
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
            self._entries[(reader_locale(), key)] = (inputs, fleet)
