"""The reader: one per project, built once and handed to both the engine and the health
judge, so that a question and its health read through one cache and learn one set of
names. Also what both do with what they read: merge listings, and read two things at once.
"""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import Coroutine, Hashable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

from bot.core.answering.cache import Cached, ListingCache
from bot.core.answering.cover import derive
from bot.core.answering.plan import NAMES_READ, Read
from bot.core.backup import Backup
from bot.core.backup_source import BackupSource

KNOWN_NAMES_LIMIT = 2_000

First = TypeVar("First")
Second = TypeVar("Second")


async def together(
    first: Coroutine[Any, Any, First], second: Coroutine[Any, Any, Second]
) -> tuple[First, Second]:
    """Both at once; if one fails, the other is cancelled and the first failure raised."""
    try:
        async with asyncio.TaskGroup() as group:
            one, two = group.create_task(first), group.create_task(second)
    except* Exception as failures:
        raise failures.exceptions[0] from None
    return one.result(), two.result()


def merge(listings: Iterable[tuple[Backup, ...]]) -> list[Backup]:
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


class Reader:
    """Reads backups through the listing cache, and learns the instance names it sees."""

    def __init__(self, *, source: BackupSource, cache: ListingCache) -> None:
        self.source = source
        self.cache = cache
        self._known_names: dict[str, None] = {}

    @property
    def scope(self) -> str:
        """The project the source reads (a cache key's first part)."""
        return self.source.scope

    @property
    def known_names(self) -> tuple[str, ...]:
        """Instance names seen in recent results, oldest first."""
        return tuple(self._known_names)

    def anchor(self, key: Hashable, *, refresh: bool) -> datetime:
        """ "Now" for a window's words, the same for every ask within the cache's TTL."""
        return self.cache.anchor(key, refresh=refresh)

    async def run(self, reads: Sequence[Read], *, refresh: bool) -> list[Cached]:
        """Each read through the cache (a read `via` another is cut from that one's rows)."""
        scope = self.source.scope

        async def one(read: Read) -> Cached:
            made = read.made
            cached = await self.cache.fetch(
                (scope, made.params, made.rows),
                lambda: self.source.list_backups(made.params, rows=made.rows),
                refresh=refresh,
                span=made.span(scope),
            )
            if not cached.hit:
                self._learn(cached.listing.backups)
            span = read.span(scope)
            if read.via is not None and span is not None:
                cached = replace(cached, listing=derive(cached.listing, span))
            return cached

        return list(await asyncio.gather(*(one(read) for read in reads)))

    async def names(self) -> tuple[str, ...]:
        """Instance names seen so far; the newest 100 backups are read for some if none were."""
        if not self._known_names:
            await self.run([NAMES_READ], refresh=False)
        return self.known_names

    def _learn(self, backups: Sequence[Backup]) -> None:
        # Each name once, where it last appears: thousands of rows, a few names.
        names = list(dict.fromkeys(b.instance_name for b in reversed(backups) if b.instance_name))
        for name in reversed(names):
            self._known_names.pop(name, None)
            self._known_names[name] = None
        while len(self._known_names) > KNOWN_NAMES_LIMIT:
            del self._known_names[next(iter(self._known_names))]
