"""When one listing answers another: a read derived in memory from one that holds it.

A question and its health often want nested windows of the same instances: `last 30d`
holds the last 14 days health reads, and `last 24h` lies inside them. Requests cost
round trips; filtering rows in memory costs microseconds. So a read is made once and
every read it covers is cut from it: the rows of the same instances (and type, unless
the covering read has none), from the same moment on, up to the same end.

The API compares a backup's `begin_time` with the bounds sent, both inclusive, in whole
seconds (the wire has no fractions): rows are cut here by that very rule, so a derived
listing is the one the API would have sent.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.backup import Backup
from bot.core.backup_source import WHOLE, BackupListing, Reach, Rows
from bot.core.params import ListBackupsParams, on_the_wire

# Past its oldest row a partial read holds every newer row, but perhaps not all of
# those that began in the very same second as that row.
_AFTER = timedelta(seconds=1)


@dataclass(frozen=True)
class Span:
    """What one read asks for: its instances (`domain`: the scope and the target), its
    type (None: any), its bounds as the API reads them, and how many rows."""

    domain: Hashable
    backup_type: str | None
    begin: datetime | None
    end: datetime | None
    rows: Rows

    @classmethod
    def of(cls, scope: str, params: ListBackupsParams, rows: Rows) -> Span | None:
        """The span of a read of `params`; None for a read from an offset (a screen page of
        the API: it holds nothing another read can use)."""
        if params.offset:
            return None
        domain = (scope, params.instance_id, params.instance_name, params.backup_id, params.name)
        return cls(
            domain=domain,
            backup_type=params.backup_type,
            begin=None if params.begin_time is None else on_the_wire(params.begin_time),
            end=None if params.end_time is None else on_the_wire(params.end_time),
            rows=rows,
        )


@dataclass(frozen=True)
class Coverage:
    """The rows a read holds all of: of its domain, of `backup_type` (None: any), begun
    at or after `since` (None: the first ever) and at or before `until`. A read that
    reached up to now (`open_ended`) also stands for later reads up to now: how stale it
    may be is the cache's business, as for the read itself."""

    domain: Hashable
    backup_type: str | None
    since: datetime | None
    until: datetime
    open_ended: bool

    def covers(self, want: Span) -> bool:
        """Whether every row `want` asks for is here."""
        if want.domain != self.domain:
            return False
        if self.backup_type is not None and want.backup_type != self.backup_type:
            return False
        if self.since is not None and (want.begin is None or want.begin < self.since):
            return False
        if want.end is None:
            return self.open_ended
        return want.end <= self.until


def promised(span: Span, *, read_at: datetime) -> Coverage | None:
    """What a read started at `read_at` covers once made, known before it is: a whole
    window, or the rows a Reach goes on to; a read of its newest N rows promises nothing."""
    if span.rows is WHOLE:
        return _coverage(span, span.begin, read_at)
    if isinstance(span.rows, Reach):
        return _coverage(span, _later(span.begin, on_the_wire(span.rows.since)), read_at)
    return None


def achieved(span: Span, listing: BackupListing, *, read_at: datetime) -> Coverage | None:
    """What a read started at `read_at` covers, made: all of its window when nothing is
    missing, else the rows after its oldest (at least those it promised)."""
    if len(listing.backups) + listing.unreadable >= listing.total_count:
        return _coverage(span, span.begin, read_at)
    promise = promised(span, read_at=read_at)
    if promise is not None:
        return promise
    if not listing.backups:
        return None
    oldest = listing.backups[-1].begin_time + _AFTER
    return _coverage(span, _later(span.begin, oldest), read_at)


def derive(listing: BackupListing, want: Span) -> BackupListing:
    """The listing `want` would have read, cut from `listing`, which covers it; its
    requests are those `listing` took (count them once: see `Cached.hit`)."""
    rows = _cut(listing, want)
    unreadable = sum(
        1 for moment in listing.unreadable_at if moment is None or _within(moment, want)
    ) + max(0, listing.unreadable - len(listing.unreadable_at))
    total = len(rows) + unreadable
    if isinstance(want.rows, int):
        rows = rows[: want.rows]
    return BackupListing(
        backups=tuple(rows),
        total_count=total,
        requests=listing.requests,  # what the read it is cut from took
        unreadable=unreadable,
        unreadable_at=tuple(m for m in listing.unreadable_at if m is None or _within(m, want)),
    )


def _cut(listing: BackupListing, want: Span) -> list[Backup]:
    """The rows of `listing` that `want` asks for, newest first."""
    rows: Sequence[Backup] = listing.backups
    ages = listing.ages
    if ages is None:  # not in order: row by row
        rows = [backup for backup in rows if _within(backup.begin_time, want)]
    else:  # thousands of rows: the window's by bisection
        first = 0 if want.end is None else bisect_left(ages, -want.end.timestamp())
        last = len(ages) if want.begin is None else bisect_right(ages, -want.begin.timestamp())
        rows = rows[first:last]
    kind = want.backup_type
    return [backup for backup in rows if backup.type == kind] if kind else list(rows)


def _within(moment: datetime, want: Span) -> bool:
    if want.begin is not None and moment < want.begin:
        return False
    return want.end is None or moment <= want.end


def _coverage(span: Span, since: datetime | None, read_at: datetime) -> Coverage:
    # Up to now means up to when the read began: rows begun later may be missing.
    until = read_at if span.end is None else span.end
    return Coverage(span.domain, span.backup_type, since, until, open_ended=span.end is None)


def _later(first: datetime | None, second: datetime) -> datetime:
    return second if first is None else max(first, second)
