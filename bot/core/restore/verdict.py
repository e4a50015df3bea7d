"""The answer to a restore question, worked out from what was read.

Yes when a range holds the point: the newest good full backup that ended at or before
it is where a restore starts, and the log from that backup's end to the point is what
it replays. No: the nearest points before and after, and the gap between them (or the
earliest point, when the point is older than every range).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.backup import Backup
from bot.core.restore.question import TableName
from bot.core.restore.ranges import Gap, Span, after, before, gaps, holding
from bot.core.restore.source import LogBackup

NEAR_NAMES = 3
FULL_MODES = frozenset({None, "completed"})  # a row without backup_mode predates differentials


def is_full(backup: Backup) -> bool:
    """A good full backup: one a restore can start from."""
    return (
        backup.status.is_good and backup.end_time is not None and backup.backup_mode in FULL_MODES
    )


def base_backup(backups: Iterable[Backup], point: datetime) -> Backup | None:
    """The newest good full backup that ended at or before `point`."""
    found = [b for b in backups if is_full(b) and b.end_time is not None and b.end_time <= point]
    return max(found, key=lambda b: (b.end_time, b.begin_time), default=None)


@dataclass(frozen=True)
class TableVerdict:
    """Whether a table existed at the point (None: not asked, the point is not restorable),
    whether it exists now, and names like it when it did not exist then."""

    name: TableName
    existed: bool | None
    exists_now: bool | None
    near: tuple[str, ...] = ()


def table_verdict(
    name: TableName, *, then: frozenset[TableName] | None, now: frozenset[TableName] | None
) -> TableVerdict:
    """What the table listings say of `name`."""
    existed = None if then is None else name in then
    exists_now = None if now is None else name in now
    near: tuple[str, ...] = ()
    if existed is False and then:
        names = sorted(table.text for table in then)
        near = tuple(difflib.get_close_matches(name.text, names, n=NEAR_NAMES, cutoff=0.6))
    return TableVerdict(name, existed, exists_now, near)


@dataclass(frozen=True, kw_only=True)
class Restorability:
    """An instance's restorable ranges over the retention window, as of `as_of`."""

    instance_id: str
    instance_name: str
    spans: tuple[Span, ...]
    keep_days: int
    as_of: datetime
    unreadable: int = 0

    @property
    def window_start(self) -> datetime:
        """The oldest moment the retention window covers."""
        return self.as_of - timedelta(days=self.keep_days)

    @property
    def earliest(self) -> datetime | None:
        """The earliest restorable point."""
        return self.spans[0].start if self.spans else None

    @property
    def gaps(self) -> tuple[Gap, ...]:
        """Gaps between ranges inside the retention window."""
        return tuple(gap for gap in gaps(self.spans) if gap.before >= self.window_start)


@dataclass(frozen=True, kw_only=True)
class PointAnswer:
    """A restore question with a time, answered."""

    ranges: Restorability
    point: datetime
    holding: Span | None
    before: Span | None
    after: Span | None
    base: Backup | None
    table: TableVerdict | None
    last_log: LogBackup | None = None  # in a gap: the last log backup before it

    @property
    def restorable(self) -> bool:
        """Whether the instance can be restored to the point."""
        return self.holding is not None

    @property
    def replay(self) -> timedelta | None:
        """How much log a restore replays: from the base backup's end to the point."""
        if self.base is None or self.base.end_time is None:
            return None
        return self.point - self.base.end_time

    @property
    def restore_time_ms(self) -> int:
        """The point as the restore API's `restore_time`: UNIX milliseconds, UTC."""
        return round(self.point.timestamp() * 1000)


def answer_point(
    ranges: Restorability,
    point: datetime,
    *,
    backups: Iterable[Backup] = (),
    table: TableVerdict | None = None,
) -> PointAnswer:
    """The verdict for `point` over `ranges`, the base backup when it is restorable."""
    span = holding(ranges.spans, point)
    return PointAnswer(
        ranges=ranges,
        point=point,
        holding=span,
        before=None if span else before(ranges.spans, point),
        after=None if span else after(ranges.spans, point),
        base=base_backup(backups, point) if span else None,
        table=table,
    )
