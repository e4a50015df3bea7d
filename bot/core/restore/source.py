"""The reads a restore answer needs, as the core sees them: a port the API adapter fills."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.core.restore.question import TableName
from bot.core.restore.ranges import Span


@dataclass(frozen=True)
class RangeListing:
    """The restorable ranges the API sent, and how many of its rows could not be read."""

    spans: tuple[Span, ...]
    requests: int
    unreadable: int = 0


@dataclass(frozen=True)
class TableListing:
    """The tables the API listed at a point (or the latest ones)."""

    tables: frozenset[TableName]
    requests: int
    unreadable: int = 0


@dataclass(frozen=True)
class LogBackup:
    """One incremental (log) backup: what replaying the log between full backups needs."""

    name: str
    begin: datetime
    end: datetime


@dataclass(frozen=True)
class LogListing:
    """Log backups the API listed (newest first), and how many rows could not be read."""

    backups: tuple[LogBackup, ...]
    requests: int
    unreadable: int = 0


class RestoreSource(Protocol):
    """The TaurusDB restore reads of one project."""

    @property
    def scope(self) -> str:
        """The project and endpoint: cache entries never cross scopes."""
        ...

    async def restore_times(
        self, instance_id: str, *, start: datetime, end: datetime
    ) -> RangeListing:
        """The restorable ranges of an instance between `start` and `end`."""
        ...

    async def tables_at(self, instance_id: str, *, at: datetime, latest: bool) -> TableListing:
        """Every table at `at` (a restorable point), or the latest tables when `latest`."""
        ...

    async def log_backups(self, instance_id: str, *, start: datetime, end: datetime) -> LogListing:
        """Every log backup begun between `start` and `end`, newest first."""
        ...
