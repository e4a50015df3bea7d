"""What a question about backups is, typed: targets, a window, statuses, a type, a profile.

The command language reads text into a Query (`bot.core.language.parse`) and writes one back
(`bot.core.language.canonical`); everything else works with these values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from bot.core.backup import BackupStatus

Unit = Literal["m", "h", "d", "w"]
BackupType = Literal["auto", "manual"]
Moment = date | datetime  # a whole day in the asker's time zone, or an exact instant
TargetKind = Literal["instance_name", "instance_id", "backup_id"]


@dataclass(frozen=True)
class Last:
    """The last N minutes, hours, days or weeks, up to now."""

    amount: int
    unit: Unit


@dataclass(frozen=True)
class Today:
    """Since midnight in the asker's time zone."""


@dataclass(frozen=True)
class Yesterday:
    """The whole of yesterday in the asker's time zone."""


@dataclass(frozen=True)
class Since:
    """From a day (its midnight, asker's time zone) or an instant, up to now."""

    start: Moment


@dataclass(frozen=True)
class Between:
    """From one moment to another; a day as the end includes that whole day."""

    start: Moment
    end: Moment


@dataclass(frozen=True)
class ThisWeek:
    """Since Monday 00:00 of this ISO week, in the asker's time zone."""


@dataclass(frozen=True)
class ThisMonth:
    """Since the 1st of this month, 00:00, in the asker's time zone."""


@dataclass(frozen=True)
class LastNight:
    """Yesterday 18:00 to today 09:00 (or now, if earlier), in the asker's time zone."""


@dataclass(frozen=True)
class SinceWeekday:
    """Since 00:00 of the most recent such weekday (today, if today is one), asker's zone."""

    weekday: int  # 0 is Monday, as in date.weekday()


@dataclass(frozen=True)
class SinceYesterday:
    """Since yesterday 00:00 in the asker's time zone."""


Window = (
    Last
    | Today
    | Yesterday
    | Since
    | Between
    | ThisWeek
    | ThisMonth
    | LastNight
    | SinceWeekday
    | SinceYesterday
)
DEFAULT_WINDOW: Window = Last(7, "d")
FIXED_WINDOWS: dict[str, Window] = {
    "today": Today(),
    "yesterday": Yesterday(),
    "this week": ThisWeek(),
    "this month": ThisMonth(),
    "last night": LastNight(),
    "since yesterday": SinceYesterday(),
}
"""The windows named by fixed words: the parser reads them, the canonical form writes them."""


@dataclass(frozen=True, order=True)
class Target:
    """An instance (by name or id) or one backup (by id)."""

    kind: TargetKind
    value: str


@dataclass(frozen=True)
class Query:
    """What the user asked, typed. Hashable: it is part of cache keys."""

    targets: tuple[Target, ...] = ()
    window: Window | None = None
    statuses: frozenset[BackupStatus] = field(default_factory=frozenset)
    backup_type: BackupType | None = None
    profile: str | None = None

    @property
    def effective_window(self) -> Window | None:
        """The window that applies: as given, else the default (none for backup ids only)."""
        if self.window is not None:
            return self.window
        if self.targets and all(target.kind == "backup_id" for target in self.targets):
            return None
        return DEFAULT_WINDOW
