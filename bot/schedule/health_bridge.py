"""Health in the shape of `bot.core.health`, whichever model the engine judges by.

Watches follow incidents by `bot.core.health`'s states. Until the engine's `health()`
judges each instance by its policy and returns that model's `FleetHealth` (issue 14,
item 1), it returns the age-threshold health of before; this module gives that one the
new shape, saying only what it knows:

- no good backup within the threshold: *stale*, with how long it has been;
- otherwise, a newest backup that failed: *failed*, naming it (judged as a window of
  its own, so each new failure is a change of the incident);
- otherwise *ok*.

A `bot.core.health.FleetHealth` passes through untouched: once the engine returns one,
this module and its one call in the watch round can go.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.core.backup import Backup, BackupStatus
from bot.core.health import Expected, FleetHealth, HealthReport, Outcome, State
from bot.core.instances import Instance, PolicyUnreadable

UTC_ZONE = ZoneInfo("UTC")
UNJUDGED = PolicyUnreadable("health judged by the age threshold alone")


class ThresholdInstance(Protocol):
    """One instance as the age-threshold health judged it."""

    @property
    def name(self) -> str: ...

    @property
    def instance_id(self) -> str: ...

    @property
    def last_good(self) -> Backup | None: ...

    @property
    def stale(self) -> bool: ...

    def staleness(self, now: datetime) -> str: ...


class ThresholdFleet(Protocol):
    """The age-threshold health of a fleet, and the backups it was judged from."""

    @property
    def instances(self) -> Sequence[ThresholdInstance]: ...

    @property
    def backups(self) -> Sequence[Backup]: ...

    @property
    def covered_since(self) -> datetime | None: ...

    @property
    def judged_at(self) -> datetime: ...


def policy_shaped(fleet: FleetHealth | ThresholdFleet) -> FleetHealth:
    """`fleet` as `bot.core.health.FleetHealth` (unchanged if it is one already)."""
    if isinstance(fleet, FleetHealth):
        return fleet
    now = fleet.judged_at
    newest: dict[str, Backup] = {}
    for backup in fleet.backups:  # newest first
        newest.setdefault(backup.instance_id or backup.instance_name, backup)
    reports = tuple(
        _report(
            instance,
            newest.get(instance.instance_id) or newest.get(instance.name),
            now=now,
        )
        for instance in fleet.instances
    )
    return FleetHealth(reports, (), now, UTC_ZONE, fleet.covered_since or now)


def _report(instance: ThresholdInstance, newest: Backup | None, *, now: datetime) -> HealthReport:
    failed = newest if newest is not None and newest.status is BackupStatus.FAILED else None
    judged = None
    words: list[str] = []
    if instance.stale:
        state = State.STALE
        words.append(instance.staleness(now))
    elif failed is not None:
        state = State.FAILED
    else:
        state = State.OK
        words.append(instance.staleness(now))
    if failed is not None:
        at = failed.begin_time.astimezone(UTC)
        failure = f"backup {failed.name} failed at {at:%Y-%m-%d %H:%M} UTC"
        if failed.description:
            failure += f" ({failed.description})"
        words.insert(0, failure)
        judged = Expected(failed.begin_time, failed.begin_time, Outcome.FAILED, (failed,))
    last_good = instance.last_good
    return HealthReport(
        instance=Instance(id=instance.instance_id or instance.name, name=instance.name),
        state=state,
        reason="; ".join(words),
        policy=UNJUDGED,
        schedule=None,
        judged=judged,
        last_good=last_good,
        last_good_age=None if last_good is None else now - last_good.begin_time,
        allowed_age=None,
        timeline=(),
    )
