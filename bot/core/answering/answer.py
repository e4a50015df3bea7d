"""A question and its answer, as values: what every medium (Slack, the terminal, digests)
asks the engine and shows from what it gets back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.answering.summary import Summary
from bot.core.answering.window import ResolvedWindow
from bot.core.backup import Backup
from bot.core.health.reports import FleetHealth
from bot.core.language.canonical import canonical
from bot.core.query import Query, Target

UTC_ZONE = ZoneInfo("UTC")


@dataclass(frozen=True)
class Ask:
    """One question: a query, which screen page, in whose time zone, and whether to refresh."""

    query: Query
    page: int = 0
    zone: ZoneInfo = UTC_ZONE
    refresh: bool = False


@dataclass(frozen=True)
class EmptyTarget:
    """A target with no backups in the window, and its newest backup of the question's
    type at any time (None: it has none of that type at all)."""

    target: Target
    newest: Backup | None


@dataclass(frozen=True)
class Answer:
    """Everything needed to show an answer, whatever the medium.

    `summary` counts the backups of the window (targets and type applied, statuses
    not): all of them when `summary.complete`, else the newest `summary.total` of
    `window_total` (None when overlapping targets make that sum unknowable). `matches`
    and the pages are those rows with the question's statuses. `health` is each
    instance's health as of now (None for a question only about backup ids).
    `credentials_notice` says the cloud credentials could not be refreshed and the last
    ones were used (None when they are fresh).
    """

    query: Query
    window: ResolvedWindow
    backups: tuple[Backup, ...]
    page: int
    page_count: int
    matches: int
    summary: Summary
    window_total: int | None
    health: FleetHealth | None
    as_of: datetime
    from_cache: bool
    requests: int
    empty_targets: tuple[EmptyTarget, ...]
    unreadable: int = 0  # rows of the window the API sent that could not be read
    credentials_notice: str | None = None

    @property
    def text(self) -> str:
        """The query's canonical text (what buttons carry)."""
        return canonical(self.query)
