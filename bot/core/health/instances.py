"""Instances and their automated backup policies: what the API returns, typed, and what it means.

Two read-only TaurusDB APIs feed the policy-aware health model (`bot.core.health.reports`):

- `GET /v3/{project_id}/instances` (SDK `list_gauss_my_sql_instances`): every instance,
  with its `status` and `created`;
- `GET /v3/{project_id}/instances/{instance_id}/backups/policy` (SDK
  `show_gauss_my_sql_backup_policy`): `keep_days`, `start_time` and `period`.

Meanings come from the official SDK's models (`huaweicloudsdkgaussdb` 3.1.219,
`v3/model/*.py`): `start_time` is "hh:mm-HH:MM" in UTC and automated backups are
triggered within that window; `period` lists weekdays, "1,2,3,4" meaning Monday to
Thursday (1 is Monday, "and so on": 7 is Sunday). Where the SDK is silent the choice
made is written down beside the code, and is the one that hides no problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any, Protocol

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr

from bot import messages
from bot.messages.catalogue import weekday

ALL_WEEK = frozenset(range(1, 8))
# ASCII digits only: `\d` and str.isdigit also take "²" and full-width digits.
_WINDOW_RE = re.compile(r"^\s*([0-9]{1,2}):([0-9]{2})\s*-\s*([0-9]{1,2}):([0-9]{2})\s*$")

# Statuses of an instance that is up. The v3 listing documents BUILD, ACTIVE, FAILED,
# FROZEN, MODIFYING, REBOOTING, ...; the v3.1 "unified" one creating, normal, abnormal,
# createfail. Both are accepted. BACKING UP is the instance taking a backup: normal here,
# since the backup itself is judged from the backups listing.
NORMAL_STATUSES = frozenset({"ACTIVE", "NORMAL", "BACKING UP"})


def _empty_is_none(value: Any) -> Any:
    return None if value == "" else value


def _utc_if_naive(value: datetime | None) -> datetime | None:
    """A time without an offset read as UTC, the zone the service keeps and documents for
    every other time (windows, restore times): the SDK's format carries an offset, and a
    time without one must not be left to the host's zone nor fail a comparison."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


OptionalTime = Annotated[
    datetime | None, BeforeValidator(_empty_is_none), AfterValidator(_utc_if_naive)
]
OptionalInt = Annotated[int | None, BeforeValidator(_empty_is_none)]
OptionalText = Annotated[str | None, BeforeValidator(_empty_is_none)]


class Instance(BaseModel):
    """One TaurusDB instance as listed by `GET /v3/{project_id}/instances`.

    Only what health uses is typed (the SDK types every field as optional): the id, the
    name, the status and when it was created. The rest (`backup_strategy`, `time_zone`, a
    newer SDK's fields) is kept as it came and never read, so no value there can cost
    anything. The listing is read row by row (`bot.huawei.inventory`): a row without an
    id is set aside, a field that cannot be read is dropped.
    """

    model_config = ConfigDict(frozen=True, extra="allow", coerce_numbers_to_str=True)

    id: str = Field(min_length=1)
    name: str = ""
    status: str = ""
    # "Empty while the instance is being created" (SDK): None then.
    created: OptionalTime = None
    # Known from its backups alone (the listing could not be read, or does not list it):
    # its status is unknown, which is not the same as abnormal.
    _unlisted: bool = PrivateAttr(default=False)

    @classmethod
    def seen_in_backups(cls, instance_id: str, name: str) -> Instance:
        """An instance the listing did not give, named by its backups."""
        instance = cls(id=instance_id or name, name=name)
        instance._unlisted = True
        return instance

    @property
    def unlisted(self) -> bool:
        """Whether it is known from its backups alone."""
        return self._unlisted

    @property
    def label(self) -> str:
        """How people call it: its name, or its id when it has none."""
        return self.name or self.id

    @property
    def status_known(self) -> bool:
        """Whether the listing said its status (null, empty or unreadable: unknown)."""
        return bool(self.status.strip())

    @property
    def is_normal(self) -> bool:
        """Whether the instance is up (see NORMAL_STATUSES). An unknown status counts as
        up: the instance is then judged by its backups alone, which hides no backup
        problem, and health says once that the status could not be read."""
        if self._unlisted or not self.status_known:
            return True
        return self.status.strip().upper() in NORMAL_STATUSES

    @property
    def status_words(self) -> str:
        """The status as a person would say it."""
        key = self.status.strip().upper()
        return messages.INSTANCE_STATUS_WORDS.get(key, messages.in_status(self.status))


class BackupPolicy(BaseModel):
    """`backup_policy` of `GET .../backups/policy`, as the API sends it: what health uses
    is typed (`retention_num_backup_level1` and newer fields are kept as they came)."""

    model_config = ConfigDict(frozen=True, extra="allow", coerce_numbers_to_str=True)

    keep_days: OptionalInt = None
    start_time: OptionalText = None
    period: OptionalText = None

    def schedule(self) -> Schedule | None:
        """When automated backups are expected, or None when the policy takes none.

        The SDK does not say what `keep_days` 0 means, and TaurusDB's user guide says
        automated backups cannot be turned off; RDS documents 0 as "off". A policy with
        `keep_days` 0, or without a window or weekdays, is read as taking no automated
        backups: reported as such, never as healthy. Raises ValueError for values that
        cannot be understood, which callers treat as an unreadable policy.
        """
        if self.keep_days is not None and self.keep_days < 0:
            raise ValueError(messages.negative_keep_days(self.keep_days))
        if self.keep_days == 0 or self.start_time is None or self.period is None:
            return None
        weekdays = parse_period(self.period)
        if not weekdays:
            return None
        start, length = parse_window(self.start_time)
        return Schedule(start=start, length=length, weekdays=weekdays)


def parse_window(text: str) -> tuple[time, timedelta]:
    """Read "hh:mm-HH:MM" (UTC): the start, and the length (an end before the start is tomorrow).

    The SDK asks for whole hours, one hour long ("HH = hh + 1, minutes 00"), which makes
    23:00-00:00 the window that crosses midnight; other valid times are accepted too.
    """
    match = _WINDOW_RE.match(text)
    if match is None:
        raise ValueError(messages.window_not_hh_mm(text))
    sh, sm, eh, em = (int(part) for part in match.groups())
    if sh > 23 or eh > 24 or sm > 59 or em > 59 or (eh == 24 and em):
        raise ValueError(messages.window_not_a_time_range(text))
    start = timedelta(hours=sh, minutes=sm)
    length = (timedelta(hours=eh, minutes=em) - start) % timedelta(days=1)
    if not length:
        raise ValueError(messages.window_is_empty(text))
    return time(sh, sm), length


def parse_period(text: str) -> frozenset[int]:
    """Read "1,2,3,4" (1 is Monday, 7 Sunday) into ISO weekday numbers: ASCII digits only,
    so "²" or a full-width one (U+FF11) is not a weekday but a value not understood."""
    days: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if not (part.isascii() and part.isdigit()) or not 1 <= int(part) <= 7:
            raise ValueError(messages.period_day_out_of_range(text))
        days.add(int(part))
    return frozenset(days)


@dataclass(frozen=True)
class Schedule:
    """Automated backups a policy expects: a window (UTC) on some weekdays.

    The SDK does not say in which zone `period`'s weekdays count; `start_time` is UTC,
    and the newer advanced policy documents its weekdays in UTC, so the weekday of an
    expected backup is the UTC weekday on which its window starts.
    """

    start: time
    length: timedelta
    weekdays: frozenset[int] = ALL_WEEK

    def starts(self, since: datetime, until: datetime) -> list[datetime]:
        """The window starts (UTC) in [since, until], oldest first."""
        day = since.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        found: list[datetime] = []
        while day <= until:
            begin = datetime.combine(day.date(), self.start, tzinfo=UTC)
            if since <= begin <= until and begin.isoweekday() in self.weekdays:
                found.append(begin)
            day += timedelta(days=1)
        return found

    def next_start(self, after: datetime) -> datetime:
        """The first window start strictly after `after`."""
        starts = self.starts(after + timedelta(microseconds=1), after + timedelta(days=8))
        return starts[0]

    @property
    def longest_gap(self) -> timedelta:
        """The longest time between two window starts: 1 day when daily, 7 when weekly."""
        days = sorted(self.weekdays)
        gaps = [(b - a) % 7 or 7 for a, b in zip(days, [*days[1:], days[0]], strict=True)]
        return timedelta(days=max(gaps))

    def days_text(self, shift: int = 0) -> str:
        """The weekdays in words ("daily", "Mon, Thu"), each moved by `shift` days."""
        if self.weekdays == ALL_WEEK:
            return messages.DAILY
        # In the order of the UTC days, so that both lists line up one to one.
        return messages.in_a_row([weekday((day - 1 + shift) % 7) for day in sorted(self.weekdays)])


@dataclass(frozen=True)
class Wording:
    """Why, kept as data (a message of bot/messages and its values) and worded when read:
    a read shared by readers of several languages (one flight, a cache) says it to each in
    their own. A value that is a Wording is worded too; other text (the API's own words)
    is passed as it came."""

    say: Callable[..., str]
    values: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        return self.say(**{name: _worded(value) for name, value in self.values})


def _worded(value: object) -> object:
    return str(value) if isinstance(value, Wording) else value


def worded(say: Callable[..., str], **values: object) -> Wording:
    """`say(**values)`, said later, in the language of whoever reads it."""
    return Wording(say, tuple(sorted(values.items())))


@dataclass(frozen=True, eq=False)
class PolicyUnreadable:
    """An instance whose policy is unknown, and why (no permission, an error, a bad value):
    `why` is words, or a Wording said in the reader's language when `reason` is read.
    Two are equal when they say the same to the same reader.

    The health model then falls back to the age threshold for that instance.
    """

    why: str | Wording

    @property
    def reason(self) -> str:
        return str(self.why)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PolicyUnreadable) and self.reason == other.reason

    def __hash__(self) -> int:
        return hash(self.reason)


PolicyRead = BackupPolicy | PolicyUnreadable


@dataclass(frozen=True)
class InstanceListing:
    """Every instance of a project, and the requests it took.

    `skipped` counts the rows that could not be read at all (no id): an instance they
    stand for is known only from its backups. `dropped` names, by instance id, the fields
    that could not be read and were left out.
    """

    instances: tuple[Instance, ...]
    total_count: int
    requests: int
    skipped: int = 0
    dropped: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class PolicyReads:
    """The policy of each instance asked about (keyed by id), and the requests it took."""

    policies: Mapping[str, PolicyRead] = field(default_factory=dict)
    requests: int = 0


class InventorySource(Protocol):
    """Where instances and their policies come from (the TaurusDB API, or a stand-in)."""

    async def list_instances(self) -> InstanceListing:
        """Every instance of the project."""
        ...

    async def read_policies(self, instance_ids: Sequence[str]) -> PolicyReads:
        """The automated backup policy of each instance."""
        ...
