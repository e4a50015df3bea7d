"""An in-memory BackupSource: the core's tests run on it, with no HTTP and no simulator.

It answers as the TaurusDB API does: filtered by target, type and start time, newest
first, in pages of at most 100 from the offset asked, with the total count of what
matched. A read costs one request a page (the first page as large as the read needs, at
most 100, then pages of 100), so the core's request counts can be checked here too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.core.backup import Backup
from bot.core.backup_source import WHOLE, BackupListing, Reach, Rows
from bot.core.params import MAX_LIMIT, ListBackupsParams


@dataclass
class MemorySource:
    """Backups held in memory, listed like the API lists them."""

    backups: list[Backup]
    scope: str = "memory"
    requests: int = 0
    reads: list[ListBackupsParams] = field(default_factory=list)

    @classmethod
    def of(cls, backups: Iterable[Backup]) -> MemorySource:
        """A source holding `backups`, kept newest first as the API answers."""
        return cls(sorted(backups, key=lambda backup: backup.begin_time, reverse=True))

    def add(self, *backups: Backup) -> None:
        """More backups, as if they had just been taken."""
        self.backups = sorted([*self.backups, *backups], key=lambda b: b.begin_time, reverse=True)

    def matching(self, params: ListBackupsParams) -> list[Backup]:
        """What the API would list for `params`, before offset and limit: newest first."""
        return [backup for backup in self.backups if _matches(backup, params)]

    async def list_backups(self, params: ListBackupsParams, *, rows: Rows = WHOLE) -> BackupListing:
        """From `params.offset`: the WHOLE window, or only its first `rows` backups."""
        self.reads.append(params)
        found = self.matching(params)
        if isinstance(rows, Reach):  # on until every row since `since`, as the API pages
            since = sum(1 for backup in found if backup.begin_time >= rows.since)
            rows = max(rows.rows, since)
        first = MAX_LIMIT if rows is WHOLE else max(1, min(MAX_LIMIT, rows))
        end = len(found) if rows is WHOLE else min(len(found), params.offset + rows)
        pages = 1 + max(0, math.ceil((end - params.offset - first) / MAX_LIMIT))
        self.requests += pages
        read = tuple(found[params.offset : end])
        return BackupListing(backups=read, total_count=len(found), requests=pages)


def _matches(backup: Backup, params: ListBackupsParams) -> bool:
    filters = (
        (params.instance_id, backup.instance_id),
        (params.instance_name, backup.instance_name),
        (params.backup_id, backup.id),
        (params.backup_type, backup.type),
        (params.name, backup.name),
    )
    if any(wanted is not None and wanted != value for wanted, value in filters):
        return False
    if params.begin_time is not None and backup.begin_time < params.begin_time:
        return False
    return params.end_time is None or backup.begin_time <= params.end_time
