"""Where backups come from, as the core sees it: anything that can list them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import cached_property
from itertools import pairwise
from typing import Final, Protocol

from bot.core.backup import Backup
from bot.core.params import ListBackupsParams


class Whole(Enum):
    """Every row of a window, however many: a read that is not for a number of rows."""

    WINDOW = "whole window"


WHOLE: Final = Whole.WINDOW


@dataclass(frozen=True)
class Reach:
    """The newest `rows` rows of a window, and on until every row begun at or after
    `since` is read: one read for a question (its newest rows) and for the health of the
    same instances (every row of the last days), when its window holds those days."""

    rows: int
    since: datetime


Rows = int | Whole | Reach
"""How much of a listing to read: the newest N rows, the WHOLE window, or a Reach."""


@dataclass(frozen=True)
class BackupListing:
    """Backups read for one set of parameters, newest first and without duplicates.

    `unreadable` counts the rows the API sent that could not be read (no id, a start
    time that is not a time, ...): they are not in `backups`, so an answer must say so.
    `unreadable_at` has the start time of each of them that had a readable one (None
    for one that had not), so that a listing cut from this one counts only its own.
    """

    backups: tuple[Backup, ...]
    total_count: int
    requests: int
    unreadable: int = 0
    unreadable_at: tuple[datetime | None, ...] = ()

    @cached_property
    def ages(self) -> tuple[float, ...] | None:
        """Minus each row's start as a timestamp, ascending, when the rows are newest first
        as the API lists them (else None): a window is then cut out by bisection."""
        ages = tuple(-backup.begin_time.timestamp() for backup in self.backups)
        return ages if all(a <= b for a, b in pairwise(ages)) else None


class BackupSource(Protocol):
    """The TaurusDB API (or anything shaped like it) for one project in one region."""

    @property
    def scope(self) -> str:
        """Identifies the project and endpoint: cache entries never cross scopes."""
        ...

    async def list_backups(self, params: ListBackupsParams, *, rows: Rows = WHOLE) -> BackupListing:
        """Read from `params.offset`: the WHOLE window, its first `rows` backups, or a Reach."""
        ...
