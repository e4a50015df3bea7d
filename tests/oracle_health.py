"""Ground truth for policy-aware health: each instance's state, from its record and policy.

Independent of bot/ on purpose (the oracle would prove nothing if both sides shared
code): written from the rules as `bot.core.health.reports`'s docstring states them, straight
from what the API sends. A policy's `start_time` is "hh:mm-HH:MM" in UTC, `period` lists
UTC weekdays (1 is Monday, 7 Sunday), `keep_days` 0 means automated backups are off. An
automated backup belongs to the latest window that started at or before it; the state
comes from the latest window that counts (started after the instance was created,
within the 14 days read) and has come due (a window still open with nothing started is
not judged yet). Only `ok` and `running` are quiet: every other state is alarming.

Records are read as the API may send them (the SDK types every field as optional): a
status that is null, empty or not text is unknown, and an unknown status is not
abnormal (the instance is judged by its backups alone); `created` without an offset is
UTC, and one that is not a time is as good as absent; a policy value that is not what
the SDK types it as (a `keep_days` "abc", weekdays in digits other than ASCII 0-9) makes
the policy unreadable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any, Protocol

GOOD = frozenset({"COMPLETED", "AVAILABLE"})
NORMAL = frozenset({"ACTIVE", "NORMAL", "BACKING UP"})
GRACE = timedelta(minutes=30)
RETRY_DELAY = timedelta(minutes=30)  # TaurusDB retries a failed automated backup by itself
HISTORY = timedelta(days=14)  # the backups health is judged from
STALE_AFTER = timedelta(hours=26)  # the fallback threshold when a policy cannot be read
QUIET = frozenset({"ok", "running"})
DAY = timedelta(days=1)


class Attempt(Protocol):
    """A backup, as much of it as health needs."""

    @property
    def begin(self) -> datetime: ...
    @property
    def end(self) -> datetime | None: ...
    @property
    def status(self) -> str: ...
    @property
    def type(self) -> str: ...


@dataclass(frozen=True)
class Box:
    """One listed instance: its record's fields, and its policy (None: it cannot be read)."""

    id: str
    name: str
    status: str
    created: datetime | None
    policy: Mapping[str, Any] | None

    @classmethod
    def of(cls, record: Mapping[str, Any], policy: Mapping[str, Any] | None) -> Box:
        """From a record as `GET /v3/{project}/instances` sends it, and a `backup_policy`."""
        status, name = record.get("status"), record.get("name")
        return cls(
            id=record["id"],
            name=name if isinstance(name, str) else "",
            status=status if isinstance(status, str) else "",
            created=created_of(record),
            policy=policy,
        )


def created_of(record: Mapping[str, Any]) -> datetime | None:
    """`created` as a moment: without an offset it is UTC; not a time, it is unknown."""
    text = record.get("created")
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Plan:
    """When a policy expects automated backups: at `start` past midnight UTC, for `length`."""

    start: timedelta
    length: timedelta
    weekdays: frozenset[int]


def plan_of(policy: Mapping[str, Any]) -> Plan | None:
    """The policy's windows, None when it takes no automated backups; ValueError when a
    value makes no sense (then it is as good as unreadable)."""
    keep = policy.get("keep_days")
    keep_days = None if keep in (None, "") else int(keep)
    if keep_days is not None and keep_days < 0:
        raise ValueError(f"keep_days {keep_days}")
    window, period = policy.get("start_time") or None, policy.get("period") or None
    if keep_days == 0 or window is None or period is None:
        return None
    days = [day.strip() for day in str(period).split(",") if day.strip()]
    if not all(re.fullmatch(r"[0-9]+", day) for day in days):
        raise ValueError(f"period {period!r}")
    weekdays = frozenset(int(day) for day in days)
    if not weekdays <= set(range(1, 8)):
        raise ValueError(f"period {period!r}")
    if not weekdays:
        return None
    found = re.fullmatch(r"\s*(\d\d?):(\d\d)\s*-\s*(\d\d?):(\d\d)\s*", str(window))
    if found is None:
        raise ValueError(f"start_time {window!r}")
    sh, sm, eh, em = map(int, found.groups())
    if sh > 23 or sm > 59 or em > 59 or eh > 24 or (eh == 24 and em):
        raise ValueError(f"start_time {window!r}")
    start, end = timedelta(hours=sh, minutes=sm), timedelta(hours=eh, minutes=em)
    length = (end - start) % DAY
    if not length:
        raise ValueError(f"start_time {window!r} is empty")
    return Plan(start, length, weekdays)


def window_starts(plan: Plan, *, since: datetime, until: datetime) -> list[datetime]:
    """Every window start in [since, until], oldest first."""
    day = datetime(since.year, since.month, since.day, tzinfo=UTC) - DAY
    starts = []
    while day <= until:
        start = day + plan.start
        if since <= start <= until and start.isoweekday() in plan.weekdays:
            starts.append(start)
        day += DAY
    return starts


def state_of(box: Box, backups: Sequence[Attempt], now: datetime) -> str:
    """The health state of `box` at `now`, from its backups (any time: the 14 days read are
    picked here)."""
    read = [backup for backup in backups if now - HISTORY <= backup.begin <= now]
    state, due = _by_policy_or_age(box, read, now)
    if not read and due:
        state = "no backups at all"
    status = box.status.strip().upper()
    if status and status not in NORMAL:  # unknown is not abnormal
        state = "instance not normal"
    return state


def alarming(state: str) -> bool:
    """Whether people must hear of an instance in `state`."""
    return state not in QUIET


def _by_policy_or_age(box: Box, read: list[Attempt], now: datetime) -> tuple[str, bool]:
    """The state, and whether anything was due yet."""
    good = [backup.begin for backup in read if backup.status in GOOD]
    age = now - max(good) if good else None
    try:
        plan = None if box.policy is None else plan_of(box.policy)
    except ValueError:
        plan, unreadable = None, True
    else:
        unreadable = box.policy is None
    if unreadable:
        if age is None and box.created is not None and now - box.created <= STALE_AFTER:
            return "ok", False  # brand new: nothing due yet
        return ("ok" if age is not None and age <= STALE_AFTER else "stale"), True
    if plan is None:
        return "no automated backups", True
    automated = sorted((b for b in read if b.type == "auto"), key=lambda backup: backup.begin)
    starts = window_starts(plan, since=now - HISTORY - 2 * DAY, until=now + 8 * DAY)
    for start, following in reversed(list(pairwise(starts))):
        if start > now:
            continue
        if start < now - HISTORY:
            break  # the backups read do not cover it
        if box.created is not None and start < box.created:
            break  # older windows came before the instance
        attempts = [b for b in automated if start <= b.begin < following]
        outcome = _outcome(attempts, end=start + plan.length, now=now)
        if outcome is not None:
            return outcome, True
    if box.created is not None and box.created > now - HISTORY:
        return "ok", False  # new: its first window has not come due yet
    longest = max(
        (later - earlier for earlier, later in pairwise(starts)),
        default=7 * DAY,
    )
    allowed = longest + plan.length + RETRY_DELAY + GRACE
    return ("ok" if age is not None and age <= allowed else "stale"), True


def _outcome(attempts: list[Attempt], *, end: datetime, now: datetime) -> str | None:
    """What one window's attempts (oldest first) say; None while it is open with none yet."""
    if any(attempt.status in GOOD for attempt in attempts):
        return "ok"
    if any(attempt.status == "BUILDING" for attempt in attempts):
        return "running"
    if not attempts:
        return None if now < end + GRACE else "missed"
    if len(attempts) > 1:
        return "failed after retry"
    retry_at = (attempts[0].end or attempts[0].begin) + RETRY_DELAY
    return "failed" if now < retry_at + GRACE else "failed after retry"
