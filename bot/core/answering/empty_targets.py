"""Telling "nothing in this window" apart from "no such instance or backup", and saying so.

A target with nothing in the window is probed for its newest backup of the question's
type, then of any type when it has none of that type (statuses cannot be probed). One
with no backup at all is unknown: a name is answered with the names a typo away.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence

from bot import messages
from bot.core.answering.answer import EmptyTarget
from bot.core.answering.cache import Cached
from bot.core.answering.plan import Read, probe
from bot.core.answering.reader import Reader
from bot.core.answering.window import ResolvedWindow
from bot.core.language.typos import near
from bot.core.query import Query, Target
from bot.errors import QueryError

NAME_TYPOS = 2  # edits between a name asked about and one seen: "ordrs-prod", "Orders-Prod"
Names = Callable[[], Awaitable[Collection[str]]]


async def empty_targets(
    query: Query,
    window: ResolvedWindow,
    reads: Sequence[Read],
    results: Sequence[Cached],
    *,
    reader: Reader,
    refresh: bool,
    exists: Callable[[Target], bool] = lambda target: False,
) -> tuple[tuple[EmptyTarget, ...], list[Cached]]:
    """The notes of the targets empty in the window, and the probes they took (through
    the `reader`); raises QueryError for a target with no backup at all, unless it
    `exists` (the instance listing gives it: then it has no backups yet)."""
    found: dict[Target, int] = {}
    for read, cached in zip(reads, results, strict=True):
        if read.target is not None:
            found[read.target] = found.get(read.target, 0) + cached.listing.total_count
    empty = [target for target, total in found.items() if total == 0]
    typed = await reader.run([probe(t, query.backup_type) for t in empty], refresh=refresh)
    # None of that type: does the target exist at all? (Statuses cannot be probed.)
    untyped_targets = [
        target
        for target, cached in zip(empty, typed, strict=True)
        if not cached.listing.backups and query.backup_type is not None
    ]
    untyped = await reader.run([probe(target) for target in untyped_targets], refresh=refresh)
    found_untyped = {
        target
        for target, cached in zip(untyped_targets, untyped, strict=True)
        if cached.listing.backups
    }
    notes = []
    for target, cached in zip(empty, typed, strict=True):
        if cached.listing.backups:
            newest = cached.listing.backups[0]
            # A probe cached before the window's read could contradict it: say nothing.
            if not window.contains(newest.begin_time):
                notes.append(EmptyTarget(target, newest))
        elif target in found_untyped or exists(target):
            notes.append(EmptyTarget(target, None))
        else:
            raise await unknown(target, names=reader.names)
    return tuple(notes), [*typed, *untyped]


async def unknown(target: Target, *, names: Names) -> QueryError:
    """The error for a target with no backup at all; a name gets the known names a typo
    away."""
    if target.kind == "backup_id":
        return QueryError(
            messages.no_backup_with_id(target.value),
            messages.CHECK_THE_BACKUP_ID,
            word=target.value,
        )
    if target.kind == "instance_id":
        return QueryError(
            messages.no_backups_for_instance_id(target.value),
            messages.CHECK_THE_INSTANCE_ID,
            word=target.value,
        )
    nearest = near(target.value, await names(), within=NAME_TYPOS, most=3)
    hint = messages.did_you_mean_names(nearest) if nearest else messages.NAMES_ARE_CASE_SENSITIVE
    return QueryError(messages.no_instance_named(target.value), hint, word=target.value)
