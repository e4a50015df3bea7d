"""What one poll's health means for an instance's incident: the pure transitions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.backup import Backup, BackupStatus
from bot.core.health.instances import Instance, PolicyUnreadable
from bot.core.health.reports import Expected, HealthReport, Outcome, State
from bot.schedule.incidents import (
    Change,
    Condition,
    Incident,
    Opening,
    parse_transition_key,
    step,
    transition_key,
)

ID = "0123456789abcdef0123456789abcdefin07"
T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
WINDOW = T0
NEXT_WINDOW = T0 + timedelta(days=1)
MAX_AGE = timedelta(seconds=60)
OUTCOME = {
    State.OK: Outcome.GOOD,
    State.RUNNING: Outcome.RUNNING,
    State.FAILED: Outcome.RETRY_PENDING,
    State.FAILED_AFTER_RETRY: Outcome.FAILED,
    State.MISSED: Outcome.MISSED,
}


def attempt(number: int, status: BackupStatus) -> Backup:
    return Backup(
        id=f"{number:032d}br01",
        begin_time=WINDOW + timedelta(minutes=40 * number),
        status=status,
        type="auto",
        instance_id=ID,
        instance_name="orders-prod",
    )


def health(
    state: State,
    reason: str = "in words",
    *,
    window: datetime | None = None,
    attempts: tuple[BackupStatus, ...] = (),
) -> HealthReport:
    """orders-prod in `state`; judged against the window starting at `window`, if given."""
    judged = None
    if window is not None:
        tried = tuple(attempt(n, status) for n, status in enumerate(attempts))
        judged = Expected(window, window + timedelta(hours=1), OUTCOME[state], tried)
    return HealthReport(
        instance=Instance(id=ID, name="orders-prod", status="ACTIVE"),
        state=state,
        reason=reason,
        policy=PolicyUnreadable("not read"),
        schedule=None,
        judged=judged,
        last_good=None,
        last_good_age=None,
        allowed_age=None,
        timeline=(),
    )


def incident(
    condition: Condition, *, seen_at: datetime = T0, closed: bool = False, changes: int = 1
) -> Incident:
    return Incident(
        id=7,
        subscription_id=1,
        instance=ID,
        label="orders-prod",
        condition=condition,
        problem=State.FAILED if condition.healthy else condition.state,
        changes=changes,
        opened_at=T0,
        seen_at=seen_at,
        closed_at=seen_at if closed else None,
        channel_id="C0WATCH",
        message_ts="1700000000.000100",
    )


LATER = T0 + timedelta(minutes=10)
FAILED = Condition.of(health(State.FAILED, window=WINDOW, attempts=(BackupStatus.FAILED,)))


@pytest.mark.parametrize("state", [State.OK, State.RUNNING])
def test_a_healthy_instance_without_an_incident_needs_nothing(state: State) -> None:
    assert step(None, health(state), now=LATER, max_age=MAX_AGE) is None


@pytest.mark.parametrize("state", [s for s in State if s not in (State.OK, State.RUNNING)])
def test_every_problem_state_opens_an_incident(state: State) -> None:
    opening = step(None, health(state, "what is wrong"), now=LATER, max_age=MAX_AGE)
    assert opening == Opening(ID, "orders-prod", Condition(state, "what is wrong"), "orders-prod")


def test_an_incident_is_keyed_by_the_instance_id_and_named_by_its_name() -> None:
    opening = step(None, health(State.MISSED), now=LATER, max_age=MAX_AGE)
    assert isinstance(opening, Opening)
    assert (opening.instance, opening.label, opening.name) == (ID, "orders-prod", "orders-prod")


def test_the_same_condition_in_other_words_is_no_change() -> None:
    stale = Condition(State.STALE, "last good backup 27 h ago")
    later_words = health(State.STALE, "last good backup 28 h ago")
    assert step(incident(stale), later_words, now=LATER, max_age=MAX_AGE) is None


def test_a_failed_retry_is_a_change_of_the_incident() -> None:
    retried = health(
        State.FAILED_AFTER_RETRY,
        window=WINDOW,
        attempts=(BackupStatus.FAILED, BackupStatus.FAILED),
    )
    change = step(incident(FAILED), retried, now=LATER, max_age=MAX_AGE)
    assert change == Change(incident(FAILED), Condition.of(retried))
    assert not change.closes


def test_a_retry_running_and_another_failure_in_one_window_are_each_a_change() -> None:
    running = health(
        State.RUNNING, window=WINDOW, attempts=(BackupStatus.FAILED, BackupStatus.BUILDING)
    )
    change = step(incident(FAILED), running, now=LATER, max_age=MAX_AGE)
    assert isinstance(change, Change)
    assert not change.closes, "running is not resolved: a good backup is"
    first_running = Condition.of(
        health(State.RUNNING, window=WINDOW, attempts=(BackupStatus.BUILDING,))
    )
    assert not first_running.same_as(change.condition), "the retry's attempt is counted"


def test_a_second_missed_window_is_a_change_though_the_state_is_the_same() -> None:
    missed = Condition.of(health(State.MISSED, window=WINDOW))
    again = health(State.MISSED, window=NEXT_WINDOW)
    assert step(incident(missed), again, now=LATER, max_age=MAX_AGE) == Change(
        incident(missed), Condition.of(again)
    )


def test_ok_closes_the_incident() -> None:
    good = health(State.OK, "backed up at 02:45", window=WINDOW, attempts=(BackupStatus.COMPLETED,))
    change = step(incident(FAILED), good, now=LATER, max_age=MAX_AGE)
    assert isinstance(change, Change)
    assert change.closes


def test_a_problem_after_a_resolved_incident_opens_a_new_one() -> None:
    resolved = incident(Condition(State.OK, "backed up"), closed=True, changes=2)
    again = health(State.MISSED, window=NEXT_WINDOW)
    assert step(resolved, again, now=LATER, max_age=MAX_AGE) == Opening(
        ID, "orders-prod", Condition.of(again), "orders-prod"
    )
    healthy = health(State.OK)
    assert step(resolved, healthy, now=LATER, max_age=MAX_AGE) is None


def test_health_that_may_be_older_than_the_last_change_changes_nothing() -> None:
    """A replica whose cache is older than what another replica recorded undoes nothing."""
    stale_view = health(State.OK, "the good backup of yesterday")
    recorded = incident(FAILED, seen_at=T0)
    assert step(recorded, stale_view, now=T0 + timedelta(seconds=59), max_age=MAX_AGE) is None
    assert isinstance(step(recorded, stale_view, now=T0 + MAX_AGE, max_age=MAX_AGE), Change)
    closed = incident(Condition(State.OK, "backed up"), seen_at=T0, closed=True)
    failing_view = health(State.FAILED)
    assert step(closed, failing_view, now=T0 + timedelta(seconds=30), max_age=MAX_AGE) is None
    assert isinstance(step(closed, failing_view, now=T0 + MAX_AGE, max_age=MAX_AGE), Opening)


def test_transition_keys_name_the_incident_and_the_change() -> None:
    assert transition_key(12, 3) == "incident:12:3"
    assert parse_transition_key("incident:12:3") == (12, 3)
    for other in ("watch:baseline", "failed:abc", "incident:x:1", "incident:1"):
        assert parse_transition_key(other) is None
