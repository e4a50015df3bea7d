"""Policy-aware backup health: per instance, what was expected, what happened, in words.

Pure functions over plain typed data. `assess` takes the instances, each one's policy
(or why it is unknown), the backups read since `covered_since` (newest first), now, the
reader's time zone and the settings, and returns one `HealthReport` per instance, worst
first, each with a 14-day timeline.

How an instance is judged:

- Its policy gives the expected automated backups: a window (UTC) on some weekdays. An
  automated backup belongs to the latest window that started at or before it, so a late
  start or TaurusDB's own retry (about `retry_delay` after a failure) counts for that
  window. Windows that started before the instance was created expect nothing.
- The state comes from the latest window that has come due: a good backup is *ok*; one
  building is *running*; a lone failure is *failed* until its retry is due (plus
  `grace`), then *failed after retry*; a window that ended more than `grace` ago with
  nothing started is *missed*. A window still open with nothing started yet is not
  judged: the one before it is.
- A policy that takes no automated backups gives *no automated backups*; one that cannot
  be read falls back to the age threshold (`stale_after`): *ok* or *stale*.
- An instance with no backup at all since `covered_since` is *no backups at all* once
  something was due; one whose `status` is not normal is *instance not normal*, with the
  backup reason after it.

Times in reasons are in the reader's zone. The timeline has one mark per day of the
reader's calendar: a window is marked on the day it starts, in the reader's zone, so a
day can hold two windows (a 25-hour day when clocks go back) or none (a 23-hour day).
The worst mark of the day wins.

This module holds the words of that model; the verdicts are `bot.core.health.assess`'s, the
expected windows and the timeline `bot.core.health.timeline`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from zoneinfo import ZoneInfo

from bot import messages
from bot.core.backup import Backup
from bot.core.health.instances import (
    Instance,
    PolicyRead,
    Schedule,
)
from bot.core.human import human_age
from bot.messages import catalogue

HISTORY_DAYS = 14
# The age a last good backup may reach when an instance's policy cannot be read.
DEFAULT_STALE_AFTER = timedelta(hours=26)
DEFAULT_GRACE = timedelta(minutes=30)
# TaurusDB retries a failed automated backup by itself, "about half an hour later" (FAQ).
DEFAULT_RETRY_DELAY = timedelta(minutes=30)


class State(StrEnum):
    """The health of one instance; declared worst first (that is the sort order)."""

    NOT_NORMAL = "instance not normal"
    NO_BACKUPS = "no backups at all"
    FAILED_AFTER_RETRY = "failed after retry"
    MISSED = "missed"
    STALE = "stale"
    RESTORE_GAP = "restore gap"
    NO_AUTOMATED = "no automated backups"
    FAILED = "failed"
    RUNNING = "running"
    OK = "ok"


SEVERITY = {state: rank for rank, state in enumerate(State)}


class Outcome(StrEnum):
    """What happened to one expected automated backup."""

    GOOD = "good"
    RUNNING = "running"
    RETRY_PENDING = "retry pending"
    FAILED = "failed"
    MISSED = "missed"
    PENDING = "pending"


class Mark(StrEnum):
    """One day of the timeline; declared worst first (the worst of a day wins)."""

    MISSED = "missed"
    FAILED = "failed"
    RETRYING = "retrying"
    RUNNING = "running"
    PENDING = "pending"
    NO_BACKUP = "no backup"
    UNKNOWN = "unknown"
    GOOD = "good"
    NONE_EXPECTED = "none expected"


MARK_ORDER = {mark: rank for rank, mark in enumerate(Mark)}
MARK_OF = {
    Outcome.GOOD: Mark.GOOD,
    Outcome.RUNNING: Mark.RUNNING,
    Outcome.RETRY_PENDING: Mark.RETRYING,
    Outcome.FAILED: Mark.FAILED,
    Outcome.MISSED: Mark.MISSED,
    Outcome.PENDING: Mark.PENDING,
}


@dataclass(frozen=True)
class HealthSettings:
    """How patient to be, and the fallback for an instance whose policy is unknown."""

    grace: timedelta = DEFAULT_GRACE
    retry_delay: timedelta = DEFAULT_RETRY_DELAY
    stale_after: timedelta = DEFAULT_STALE_AFTER
    days: int = HISTORY_DAYS


DEFAULT_SETTINGS = HealthSettings()


@dataclass(frozen=True)
class Expected:
    """One expected automated backup: its window (UTC) and what happened to it."""

    start: datetime
    end: datetime
    outcome: Outcome
    attempts: tuple[Backup, ...]
    retry_at: datetime | None = None


@dataclass(frozen=True)
class DayMark:
    """One day of the reader's calendar and how it went."""

    day: date
    mark: Mark


@dataclass(frozen=True)
class HealthReport:
    """One instance: its state and why, what its policy expects, and the last 14 days.

    `allowed_age` is how old the last good backup may be under the policy (the longest
    gap between windows, plus the window, the retry delay and the grace), the threshold
    when the policy is unknown, and None when no automated backups are expected.
    `id_tail` tells apart instances of one name: the end of the id, shown after it.
    """

    instance: Instance
    state: State
    reason: str
    policy: PolicyRead
    schedule: Schedule | None
    judged: Expected | None
    last_good: Backup | None
    last_good_age: timedelta | None
    allowed_age: timedelta | None
    timeline: tuple[DayMark, ...]
    id_tail: str = ""  # set when another instance judged has the same name
    earliest_restorable: datetime | None = None  # when its restorable ranges were read
    gap_began: datetime | None = None  # a restore gap's start: what tells two gaps apart

    @property
    def label(self) -> str:
        """How people call the instance: its label, with its id's tail if that is shared."""
        if not self.id_tail:
            return self.instance.label
        return messages.with_id_tail(self.instance.label, self.id_tail)

    @property
    def alarming(self) -> bool:
        """Whether people should hear of it: every state but *ok* and *running*."""
        return self.state not in (State.OK, State.RUNNING)

    @property
    def overdue(self) -> bool:
        """The last good backup is older than the policy allows (or there is none)."""
        if self.allowed_age is None:
            return False
        return self.last_good_age is None or self.last_good_age > self.allowed_age


@dataclass(frozen=True)
class FleetHealth:
    """Every instance's health, worst first, as of `now`, for a reader in `zone`.

    `backups` are the rows it was judged from (newest first): digests list the failures
    among them. `notice` says, once, what health could not know and which IAM action
    would let it (None when inventory and policies were read). `as_of` is when the
    oldest read behind it was made. `credentials_notice` says the cloud credentials
    could not be refreshed and the last ones were used.
    """

    reports: tuple[HealthReport, ...]
    days: tuple[date, ...]
    now: datetime
    zone: ZoneInfo
    covered_since: datetime
    backups: tuple[Backup, ...] = ()
    notice: str | None = None
    as_of: datetime | None = None
    credentials_notice: str | None = None

    @property
    def alarming(self) -> tuple[HealthReport, ...]:
        """The instances people should hear of, worst first."""
        return tuple(report for report in self.reports if report.alarming)

    def label_of(self, instance_id: str, name: str) -> str:
        """How to name the instance `instance_id` (called `name` by a backup): with its id's
        tail when another instance judged here has its name, else `name` as it is."""
        return self._shared_names.get(instance_id, name)

    @cached_property
    def _shared_names(self) -> dict[str, str]:
        return {report.instance.id: report.label for report in self.reports if report.id_tail}


@dataclass(frozen=True)
class Context:
    now: datetime
    zone: ZoneInfo
    covered_since: datetime
    settings: HealthSettings
    days: tuple[date, ...]

    def at(self, moment: datetime) -> str:
        """A time as the reader says it: 02:14 today, Thu 02:14 this week, Nov 20 02:14."""
        local = moment.astimezone(self.zone)
        today = self.now.astimezone(self.zone).date()
        if local.date() == today:
            return f"{local:%H:%M}"
        if abs(local.date() - today) < timedelta(days=6):
            return catalogue.moment(local, messages.WEEKDAY_TIME)
        return catalogue.moment(local, messages.DATE_TIME)

    def window(self, start: datetime, end: datetime) -> str:
        """A window in the reader's zone: "Thu 02:00-03:00"."""
        return f"{self.at(start)}-{end.astimezone(self.zone):%H:%M}"

    @property
    def covered(self) -> str:
        return human_age(self.now - self.covered_since)
