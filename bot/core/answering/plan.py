"""From a Query to the fewest upstream reads.

Request counts, per target (no target = one read of every instance), with n backups in
the window (targets and type applied), h in the last 14 days health reads (targets, no
type) and the bound B (`BACKUPBOT_MAX_WINDOW_ROWS`, default 5,000); pages of 100, at
least 1, 8 at a time. Statuses are filtered and every screen page cut locally. A
question about instances needs their health too; `share` makes one read serve both
where one holds the other:

| the window asked                                      | requests, question and health   |
|-------------------------------------------------------|---------------------------------|
| inside the last 14 days, any type (`today`, `last     | ceil(h / 100): health's read;   |
| 24h`, `yesterday`, `last 7d manual`, `last 14d`)      | the window is cut from it       |
| holding the last 14 days, reaching now, no type       | ceil(min(n, B) / 100), health   |
| (`last 30d`, `since 2026-11-01`)                      | cut from it; if its newest B    |
|                                                       | rows end inside the 14 days, it |
|                                                       | reads on: ceil(h / 100)         |
| any other (a type and longer than 14 days, past,      | ceil(min(n, B) / 100)           |
| overlapping: `last 30d manual`, `2026-10-01`)         | + ceil(h / 100)                 |
| backup ids only                                       | 1 (no health)                   |

Then, besides:

| what                                  | requests                                        |
|---------------------------------------|-------------------------------------------------|
| health's inventory (bot.core.         | + ceil(I / 100) instance pages and one policy   |
| inventory), once per TTL              | read per instance judged                        |
| a name with nothing in the window     | + 1 probe (1 row, any time, the question's      |
|                                       | type); + 1 untyped if there is none of the type |
| a name not listed, none in 14 d       | + 1 probe (1 row, any time, any type)           |
| a name that matches nothing           | + 1 read of the newest 100, for near names      |

Everything goes through the cache, so a second ask within the TTL, any screen page of
the same window, a digest after a question, the same probe, or a question whose rows a
cached read holds (`bot.core.answering.cover`) costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot.core.answering.cover import Span, promised
from bot.core.answering.window import ResolvedWindow
from bot.core.backup_source import Reach, Rows
from bot.core.params import MAX_LIMIT, ListBackupsParams
from bot.core.query import BackupType, Query, Target

PAGE_SIZE = 10
DEFAULT_MAX_WINDOW_ROWS = 5_000


@dataclass(frozen=True)
class Read:
    """One upstream read: from `params.offset`, the WHOLE window or its newest `rows`; or,
    with `via`, what it would read, cut from the read `via`, which holds all of it."""

    target: Target | None
    params: ListBackupsParams
    rows: Rows
    via: Read | None = None

    @property
    def made(self) -> Read:
        """The read actually sent upstream for this one."""
        return self.via or self

    def span(self, scope: str) -> Span | None:
        """What this read asks for, in `scope` (see `bot.core.answering.cover`)."""
        return Span.of(scope, self.params, self.rows)


def target_filter(target: Target | None) -> dict[str, str]:
    """The API parameter that selects a target."""
    return {} if target is None else {target.kind: target.value}


def plan(query: Query, window: ResolvedWindow, *, rows: Rows) -> list[Read]:
    """One read per target of `query` over `window`: its newest `rows`, or the WHOLE of it.

    The type is an API parameter; statuses are not, so they are applied to what was read.
    """
    targets: tuple[Target | None, ...] = query.targets or (None,)
    return [
        Read(
            target,
            ListBackupsParams.build(
                **target_filter(target),
                backup_type=query.backup_type,
                begin_time=window.begin,
                end_time=window.end,
            ),
            rows=rows,
        )
        for target in targets
    ]


def share(
    question: list[Read], health: list[Read], *, now: datetime
) -> tuple[list[Read], list[Read]]:
    """The question's reads and health's, so that one read serves both where it can.

    For each target both read: a question inside health's window (any type) is cut from
    health's read; a question without a type whose window holds health's, both reaching
    now, reads on until it holds all of health's days (a Reach) and health is cut from
    it. Other windows (a past one, one that only overlaps) are read apart.
    """
    health_of = {read.target: read for read in health}
    reads: list[Read] = []
    for read in question:
        other = health_of.get(read.target)
        if other is None or read.params.offset:
            reads.append(read)
            continue
        if _holds(other, read, now=now):
            reads.append(replace(read, via=other))
            continue
        reaching = _reaching(read, other)
        if _holds(replace(read, rows=reaching), other, now=now):
            read = replace(read, rows=reaching)
            health_of[read.target] = replace(other, via=read)
        reads.append(read)
    return reads, [health_of[read.target] for read in health]


def _holds(outer: Read, inner: Read, *, now: datetime) -> bool:
    """Whether `outer`, once read, holds every row `inner` asks for."""
    span = inner.span("")
    promise = None if (outer_span := outer.span("")) is None else promised(outer_span, read_at=now)
    return span is not None and promise is not None and promise.covers(span)


def _reaching(read: Read, health: Read) -> Rows:
    """`read`'s rows, and on until it holds every row since health's window begins."""
    since = health.params.begin_time
    if since is None or not isinstance(read.rows, int):
        return read.rows
    return Reach(read.rows, since)


def probe(target: Target, backup_type: BackupType | None = None) -> Read:
    """A read of a target's newest backup (of `backup_type`, if given) at any time."""
    params = ListBackupsParams.build(**target_filter(target), backup_type=backup_type, limit=1)
    return Read(target, params, rows=1)


NAMES_READ = Read(None, ListBackupsParams(limit=MAX_LIMIT), rows=MAX_LIMIT)
"""The newest 100 backups of the project: where near names come from when none are known."""
