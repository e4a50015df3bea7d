"""Incidents: what a watch does with each instance's health, as a pure function.

An incident opens when a watched instance goes from healthy (ok or running) to a problem
state; its first message is posted, and everything after goes in that message's thread
while the message itself is updated to show the current state. Ok again closes it
("resolved at ..."); a later problem opens a new one.

A change is a new condition: another state, or, for states judged against an expected
automated backup, another window or more attempts in it. So a retry that failed or a
second missed window are changes even where the state's name repeats, while the reason's
words (ages grow at every poll) are not.

Replicas poll from their own caches, so one may read health older than what another has
already recorded. Health is only compared with a recorded incident once it is certainly
newer: read at least `max_age` (how old cached health can be) after the incident last
changed. A lagging replica never undoes what a fresher one saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.health.reports import HealthReport, State
from bot.core.query import Target

HEALTHY = frozenset({State.OK, State.RUNNING})


@dataclass(frozen=True)
class Condition:
    """An instance's health at one poll: its state and reason, and for a state judged
    against an expected automated backup, that backup's window and how many attempts it had."""

    state: State
    reason: str
    window: datetime | None = None
    attempts: int = 0

    @classmethod
    def of(cls, report: HealthReport) -> Condition:
        """The condition a health report describes."""
        judged = report.judged
        if report.state is State.RESTORE_GAP:  # a new gap is a new condition, not a new day
            return cls(report.state, report.reason, report.gap_began)
        if judged is None:
            return cls(report.state, report.reason)
        return cls(report.state, report.reason, judged.start, len(judged.attempts))

    @property
    def healthy(self) -> bool:
        """Ok or running: nothing to open an incident about."""
        return self.state in HEALTHY

    def same_as(self, other: Condition) -> bool:
        """The same condition, whatever the reason's words say (they hold growing ages)."""
        return (self.state, self.window, self.attempts) == (
            other.state,
            other.window,
            other.attempts,
        )


@dataclass(frozen=True)
class Incident:
    """One incident of one instance in one channel, as recorded: followed by one watch
    (`subscription_id`), whichever others of the channel cover the instance too.

    `changes` counts what was recorded for it, the opening included (the first is 1);
    `problem` is its latest problem state (what it was, once resolved). Without
    `message_ts` it has no message yet: opened by a silent baseline, or being posted.
    `profile` is the key of the cloud profile (see `profile_key`), `name` the instance's
    name (a watch's targets name it so).
    """

    id: int
    subscription_id: int
    instance: str
    label: str
    condition: Condition
    problem: State
    changes: int
    opened_at: datetime
    seen_at: datetime
    closed_at: datetime | None = None
    channel_id: str | None = None
    message_ts: str | None = None
    profile: str = ""
    name: str = ""

    @property
    def is_open(self) -> bool:
        """Not resolved yet."""
        return self.closed_at is None


@dataclass(frozen=True)
class Transition:
    """One recorded change of an incident, numbered from 1 (the opening): what a thread
    reply says."""

    incident_id: int
    number: int
    condition: Condition
    seen_at: datetime

    @property
    def key(self) -> str:
        """The claim key of its post: each change is posted by exactly one replica."""
        return transition_key(self.incident_id, self.number)


@dataclass(frozen=True)
class Opening:
    """Open an incident for an instance that has a problem and no open incident."""

    instance: str
    label: str
    condition: Condition
    name: str = ""


@dataclass(frozen=True)
class Change:
    """Record a new condition of an open incident; ok closes it."""

    incident: Incident
    condition: Condition

    @property
    def closes(self) -> bool:
        """A good backup is back: the incident is resolved."""
        return self.condition.state is State.OK


Step = Opening | Change | None
KEY_PREFIX = "incident:"


def transition_key(incident_id: int, number: int) -> str:
    """ "incident:ID:N", the claim key of an incident's Nth change."""
    return f"{KEY_PREFIX}{incident_id}:{number}"


def parse_transition_key(key: str) -> tuple[int, int] | None:
    """(incident id, number) of a transition's claim key; None for any other claim."""
    if not key.startswith(KEY_PREFIX):
        return None
    incident, _, number = key[len(KEY_PREFIX) :].partition(":")
    if not (incident.isdigit() and number.isdigit()):
        return None
    return int(incident), int(number)


def instance_key(report: HealthReport) -> str:
    """What identifies an instance across polls: its id (names can change)."""
    return report.instance.id or report.instance.name


def profile_key(profile: str | None, default: str) -> str:
    """How incidents name a watch's cloud profile: "" for the default one, however it was
    written (`watch` and `watch @prod` with prod the default cover the same instances),
    else its name."""
    return "" if (profile or default) == default else str(profile)


def covers(targets: Sequence[Target], incident: Incident) -> bool:
    """Whether a watch on `targets` (none: every instance) covers the incident's instance:
    by its id or its name, as health picks the instances a target names."""
    if not targets:
        return True
    return any(
        (target.kind == "instance_id" and target.value == incident.instance)
        or (target.kind == "instance_name" and target.value == (incident.name or incident.label))
        for target in targets
    )


def step(
    latest: Incident | None, report: HealthReport, *, now: datetime, max_age: timedelta
) -> Step:
    """What one poll's health report means for the instance's latest incident (open or
    resolved, None if it never had one): open one, change it, or nothing.

    `now` is when the report was read; health read less than `max_age` after the incident
    last changed may be older than what changed it, so it changes nothing.
    """
    condition = Condition.of(report)
    if latest is not None and now - max_age < latest.seen_at:
        return None
    if latest is None or not latest.is_open:
        if condition.healthy:
            return None
        return Opening(instance_key(report), report.label, condition, report.instance.name)
    if condition.same_as(latest.condition):
        return None
    return Change(latest, condition)
