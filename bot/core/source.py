"""Where backups come from, as the core sees it: anything that can list them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Final, Protocol

from bot.core.backup import Backup
from bot.core.params import ListBackupsParams


class Whole(Enum):
    """Every row of a window, however many: a read that is not for a number of rows."""

    WINDOW = "whole window"


WHOLE: Final = Whole.WINDOW
Rows = int | Whole
"""How much of a listing to read: the newest N rows, or the WHOLE window."""


@dataclass(frozen=True)
class BackupListing:
    """Backups read for one set of parameters, newest first and without duplicates.

    `unreadable` counts the rows the API sent that could not be read (no id, a start
    time that is not a time, ...): they are not in `backups`, so an answer must say so.
    """

    backups: tuple[Backup, ...]
    total_count: int
    requests: int
    unreadable: int = 0


class BackupSource(Protocol):
    """The TaurusDB API (or anything shaped like it) for one project in one region."""

    @property
    def scope(self) -> str:
        """Identifies the project and endpoint: cache entries never cross scopes."""
        ...

    async def list_backups(self, params: ListBackupsParams, *, rows: Rows = WHOLE) -> BackupListing:
        """Read from `params.offset`: the WHOLE window, or only its first `rows` backups."""
        ...
