"""A restore question, typed: which instance, to when, and which table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from bot.core.query import Target


@dataclass(frozen=True)
class ClockTime:
    """A time of day without a date: the most recent such time that has passed."""

    at: time


@dataclass(frozen=True)
class DayTime:
    """A time of day on a day in the asker's zone; `days_ago` 0 today, 1 yesterday."""

    at: time
    day: date | None = None
    days_ago: int = 0


@dataclass(frozen=True)
class ExactTime:
    """An instant written with its offset."""

    at: datetime


AskedTime = ClockTime | DayTime | ExactTime


@dataclass(frozen=True)
class TableName:
    """`DB.TABLE`, as typed."""

    database: str
    table: str

    @property
    def text(self) -> str:
        """The name as written: `database.table`."""
        return f"{self.database}.{self.table}"


@dataclass(frozen=True)
class RestoreQuestion:
    """`restore INSTANCE [TIME] [table DB.TABLE]`: without a time, the ranges as a timeline."""

    instance: Target
    at: AskedTime | None = None
    table: TableName | None = None
    profile: str | None = None
