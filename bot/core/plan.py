"""From a Query to the fewest upstream reads.

Request counts, per target (no target = one read of every instance), with n backups in
the window and screen page k (0-based, 10 rows a page):

| query shape                        | requests                                    |
|------------------------------------|---------------------------------------------|
| with a status filter               | ceil(n / 100), at least 1: the whole window |
| without one, screen page k         | ceil((k + 1) / 10) API pages of 100 rows    |
| a backup id                        | 1                                           |
| a name that matched nothing        | + 1 probe (limit 1, no window)              |
| a window shorter than the staleness | + the last week read whole, for the         |
| threshold (26 h): today, last 24h   | no-good-backup warnings (as digests read)   |

Everything goes through the cache, so a second ask within the TTL, the next screen
page within the same 100 rows, or the same probe costs nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.core.params import MAX_LIMIT, ListBackupsParams
from bot.core.query import Query, Target
from bot.core.window import ResolvedWindow

PAGE_SIZE = 10


@dataclass(frozen=True)
class Read:
    """One upstream read: from `params.offset`, the whole window (`want` None) or `want` rows."""

    target: Target | None
    params: ListBackupsParams
    want: int | None


def target_filter(target: Target | None) -> dict[str, str]:
    """The API parameter that selects a target."""
    return {} if target is None else {target.kind: target.value}


def plan(query: Query, window: ResolvedWindow, *, page: int, whole: bool = False) -> list[Read]:
    """The reads that answer screen page `page` of `query` over `window`.

    `whole` reads every backup of the window, as a status filter does (digests, watches).
    """
    targets: tuple[Target | None, ...] = query.targets or (None,)
    reads: list[Read] = []
    for target in targets:
        base = ListBackupsParams.build(
            **target_filter(target),
            backup_type=query.backup_type,
            begin_time=window.begin,
            end_time=window.end,
        )
        if query.statuses or whole:
            reads.append(Read(target, base, want=None))
            continue
        api_pages = math.ceil((page + 1) * PAGE_SIZE / MAX_LIMIT)
        reads.extend(
            Read(target, base.model_copy(update={"offset": index * MAX_LIMIT}), want=MAX_LIMIT)
            for index in range(api_pages)
        )
    return reads


def probe(target: Target) -> Read:
    """A read that tells whether a target exists at all: one row, any time, any type."""
    return Read(target, ListBackupsParams.build(**target_filter(target), limit=1), want=1)


NAMES_READ = Read(None, ListBackupsParams(limit=MAX_LIMIT), want=MAX_LIMIT)
"""The newest 100 backups of the project: where near names come from when none are known."""
