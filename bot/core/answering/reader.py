"""Merging listings, and running two reads at once: what the engine and the health judge share."""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import Coroutine, Iterable
from typing import Any, TypeVar

from bot.core.backup import Backup

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
