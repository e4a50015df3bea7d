"""Watches follow incidents: one message per problem, what follows in its thread, the message
kept up to date; each post once, across restarts and replicas. Injected clock, no sleeping.

The helpers (tests/schedule/watches.py) say how the simulator's clock and the scheduler's
relate.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest

from bot.core.query import Target
from bot.huawei.simulator import SimulatorState
from bot.schedule.incidents import Opening, instance_key, step
from bot.schedule.store import Store, Subscription
from tests.conftest import NOW
from tests.fakes.blockkit import assert_valid_blocks
from tests.fakes.slack import Failure
from tests.schedule.conftest import World
from tests.schedule.watches import (
    CHANNEL,
    POLL,
    Rules,
    backup,
    declare_policies_around_now,
    failing_payments,
    incident_of,
    text_of,
    watch,
)


@pytest.fixture(autouse=True)
def policies_around_now(state: SimulatorState) -> None:
    declare_policies_around_now(state)


async def test_an_incident_is_followed_in_one_thread_across_a_restart(
    world_of_each_backend: World, state: SimulatorState
) -> None:
    """Opened by one scheduler; a second one, on a new connection to the same database,
    threads under the stored message and updates it: retry failed, then resolved."""
    world = world_of_each_backend
    sub = await watch(world, "payments-prod")
    first = world.scheduler("before-restart")
    world.at(NOW)
    assert (await first.tick()).alerts == [], "the first poll is a silent baseline"

    state.fleet.add(backup("payments-prod", ago=timedelta(minutes=1), status="FAILED", serial="f1"))
    world.at(NOW + POLL)
    assert len((await first.tick()).alerts) == 1
    (opening,) = world.messages_in(CHANNEL)
    assert "payments-prod" in text_of(opening)
    assert "failed" in text_of(opening)
    assert "OBS upload timed out" in text_of(opening)
    ts = (await incident_of(world.store, sub, "payments-prod")).message_ts
    assert ts

    world.store.close()  # the replica goes away; another starts on the same database
    reconnected = Store.connect(world.url)
    restarted = world.scheduler("after-restart", store=reconnected)
    again = backup("payments-prod", ago=timedelta(seconds=30), status="FAILED", serial="f2")
    state.fleet.add(again)
    world.at(NOW + 2 * POLL)
    assert len((await restarted.tick()).alerts) == 1
    assert len(world.messages_in(CHANNEL)) == 1, "no second top-level message for the instance"
    (retry,) = world.replies_to(ts)
    assert "*Failed after retry*" in text_of(retry)
    assert "the retry at 10:29 failed too" in text_of(retry)
    (update,) = world.updates_of(ts)
    assert update["channel"] == CHANNEL
    assert "last change" in text_of(update)

    state.fleet.add(
        backup("payments-prod", ago=timedelta(seconds=10), status="COMPLETED", serial="good")
    )
    world.at(NOW + 3 * POLL)
    assert len((await restarted.tick()).alerts) == 1
    resolved = world.replies_to(ts)[-1]
    assert "Resolved" in text_of(resolved)
    last = world.updates_of(ts)[-1]
    assert "resolved" in text_of(last)
    assert "was: failed" in text_of(last)
    world.at(NOW + 4 * POLL)
    assert (await restarted.tick()).alerts == []
    assert len(world.replies_to(ts)) == 2
    assert len(world.messages_in(CHANNEL)) == 1
    for call in world.slack.calls:
        if "blocks" in call.payload:
            assert_valid_blocks(call.payload["blocks"])
    assert world.slack.problems == []
    reconnected.close()


async def test_a_problem_after_recovery_opens_a_new_incident(
    world: World, state: SimulatorState
) -> None:
    scheduler, _ = await failing_payments(world, state)
    (sub,) = await world.store.subscriptions.find(kind="watch")
    resolved = await incident_of(world.store, sub, "payments-prod")
    state.fleet.add(
        backup("payments-prod", ago=timedelta(minutes=2), status="COMPLETED", serial="b")
    )
    world.at(NOW + 2 * POLL)
    await scheduler.tick()
    # Tomorrow's window passes (with its grace) and nothing starts: a new problem.
    world.at(NOW + timedelta(days=1, hours=1, minutes=1))
    await scheduler.tick()
    _, second = world.messages_in(CHANNEL)
    assert "missed" in text_of(second)
    current = await incident_of(world.store, sub, "payments-prod")
    assert current.id != resolved.id
    assert current.is_open
    assert resolved.message_ts
    assert len(world.replies_to(resolved.message_ts)) == 1, "the first one's resolution"
    assert len(world.slack.calls_to("chat.update")) == 1, "only the first incident changed"


async def test_a_watch_posts_a_new_failure_once_across_restarts(
    world: World, state: SimulatorState
) -> None:
    await watch(world)
    scheduler = world.scheduler()
    world.at(NOW)
    assert (await scheduler.tick()).alerts == [], "existing problems are the baseline"
    state.fleet.add(backup("payments-prod", ago=timedelta(minutes=1), status="FAILED", serial="x"))
    world.at(NOW + POLL)
    assert len((await scheduler.tick()).alerts) == 1
    (post,) = world.posts_to(CHANNEL)
    assert "payments-prod" in text_of(post)
    world.at(NOW + 2 * POLL)
    assert (await scheduler.tick()).alerts == []
    restarted = world.scheduler("after-restart")
    world.at(NOW + 3 * POLL)
    assert (await restarted.tick()).alerts == []
    assert len(world.posts_to(CHANNEL)) == 1


async def test_a_missed_window_and_its_recovery_are_one_incident(
    world: World, state: SimulatorState
) -> None:
    sub = await watch(world, "orders-prod")
    scheduler = world.scheduler()
    world.at(NOW)
    await scheduler.tick()  # baseline: orders-prod backed up 7 h ago
    world.at(NOW + timedelta(hours=20))  # today's 10:00-11:00 window passed with no backup
    assert len((await scheduler.tick()).alerts) == 1
    world.at(NOW + timedelta(hours=20) + POLL)
    assert (await scheduler.tick()).alerts == [], "the growing age is not news"
    state.fleet.add(
        backup("orders-prod", ago=timedelta(minutes=30), status="COMPLETED", serial="recovery")
    )
    world.at(NOW + timedelta(hours=20) + 2 * POLL)
    assert len((await scheduler.tick()).alerts) == 1
    (first,) = world.messages_in(CHANNEL)
    assert "missed" in text_of(first)
    ts = (await incident_of(world.store, sub, "orders-prod")).message_ts
    assert ts
    (resolved,) = world.replies_to(ts)
    assert "Resolved" in text_of(resolved)
    (update,) = world.updates_of(ts)
    assert "resolved" in text_of(update)
    assert "was: missed" in text_of(update)


async def test_a_problem_there_at_the_baseline_is_announced_when_it_changes(
    world: World, state: SimulatorState
) -> None:
    """legacy-crm's backups have failed for days when the watch is set up: silent. Its
    recovery is news, posted as the incident's first message, showing it resolved."""
    await watch(world, "legacy-crm")
    scheduler = world.scheduler()
    world.at(NOW)
    assert (await scheduler.tick()).alerts == []
    state.fleet.add(backup("legacy-crm", ago=timedelta(minutes=1), status="COMPLETED", serial="ok"))
    world.at(NOW + POLL)
    assert len((await scheduler.tick()).alerts) == 1
    (post,) = world.posts_to(CHANNEL)
    assert "resolved" in text_of(post)
    assert "was: failed after retry" in text_of(post)
    assert world.slack.calls_to("chat.update") == []


async def test_a_deleted_first_message_does_not_hold_up_the_thread(
    world: World, state: SimulatorState, caplog: pytest.LogCaptureFixture
) -> None:
    scheduler, ts = await failing_payments(world, state)
    for error in ("message_not_found", "cant_update_message"):
        world.slack.failures.append(Failure("chat.update", error=error))
    state.fleet.add(backup("payments-prod", ago=timedelta(minutes=1), status="FAILED", serial="b"))
    state.fleet.add(
        backup("payments-prod", ago=timedelta(seconds=5), status="COMPLETED", serial="c")
    )
    caplog.set_level(logging.WARNING, "backupbot.schedule")
    world.at(NOW + 2 * POLL)
    await scheduler.tick()
    world.at(NOW + 3 * POLL)
    await scheduler.tick()
    assert len(world.slack.calls_to("chat.update")) == 1, "refused, and not tried again"
    assert len(world.replies_to(ts)) == 1, "the reply went out all the same"
    assert "cannot be updated (message_not_found)" in caplog.text


async def test_a_failed_update_is_retried_with_its_reply_after_the_lease(
    world: World, state: SimulatorState
) -> None:
    scheduler, ts = await failing_payments(world, state)
    world.slack.failures.append(Failure("chat.update", error="internal_error"))
    state.fleet.add(
        backup("payments-prod", ago=timedelta(seconds=5), status="COMPLETED", serial="b")
    )
    world.at(NOW + 2 * POLL)
    assert (await scheduler.tick()).alerts == []
    assert world.replies_to(ts) == [], "the top message must not go on saying 'failed'"
    world.at(NOW + 2 * POLL + timedelta(minutes=3))  # past the lease, before the interval
    assert len((await scheduler.tick()).alerts) == 1
    assert len(world.updates_of(ts)) == 2
    assert len(world.replies_to(ts)) == 1


async def test_a_rate_limited_reply_is_retried_and_posted_once(
    world: World, state: SimulatorState
) -> None:
    scheduler, ts = await failing_payments(world, state)
    world.slack.failures.append(Failure("chat.postMessage", retry_after=0))
    world.slack.failures.append(Failure("chat.update", retry_after=0))
    state.fleet.add(
        backup("payments-prod", ago=timedelta(seconds=5), status="COMPLETED", serial="b")
    )
    world.at(NOW + 2 * POLL)
    assert len((await scheduler.tick()).alerts) == 1
    assert len(world.replies_to(ts)) == 2, "one refused with 429, one delivered"
    assert len(world.updates_of(ts)) == 2, "likewise"


async def test_a_gone_channel_turns_the_watch_off_and_tells_its_creator(
    world: World, state: SimulatorState
) -> None:
    sub = await watch(world, "payments-prod")
    scheduler = world.scheduler()
    world.at(NOW)
    await scheduler.tick()
    state.fleet.add(backup("payments-prod", ago=timedelta(minutes=2), status="FAILED", serial="a"))
    world.slack.failures.append(Failure("chat.postMessage", error="is_archived"))
    world.at(NOW + POLL)
    report = await scheduler.tick()
    assert report.disabled == [sub.id]
    stored = await world.store.subscriptions.get(sub.id)
    assert stored is not None
    assert not stored.enabled
    (dm,) = world.posts_to("U0CREATOR")
    assert f"watch #{sub.id}" in text_of(dm)


async def test_a_watch_the_rules_no_longer_allow_is_turned_off_before_it_posts(
    world: World, state: SimulatorState
) -> None:
    sub = await watch(world, "payments-prod")

    rules = Rules()
    scheduler = world.scheduler(allowed=rules)
    world.at(NOW)
    await scheduler.tick()
    rules.allowing = False
    state.fleet.add(backup("payments-prod", ago=timedelta(minutes=2), status="FAILED", serial="a"))
    world.at(NOW + POLL)
    report = await scheduler.tick()
    assert report.disabled == [sub.id]
    assert world.posts_to(CHANNEL) == []
    (dm,) = world.posts_to("U0CREATOR")
    assert "the access rules no longer allow it" in text_of(dm)


async def test_a_first_message_abandoned_by_a_crash_is_posted_after_the_lease(
    world: World, state: SimulatorState
) -> None:
    sub = await watch(world, "payments-prod")
    survivor = world.scheduler("survivor")
    world.at(NOW)
    await survivor.tick()  # baseline
    state.fleet.add(backup("payments-prod", ago=timedelta(minutes=1), status="FAILED", serial="x"))
    # Another replica opened the incident, then died before posting its message.
    crashed_at = NOW + POLL
    world.at(crashed_at)
    health = await world.engine.health((Target("instance_name", "payments-prod"),))
    (report,) = health.reports
    opening = step(None, report, now=crashed_at, max_age=timedelta(seconds=60))
    assert isinstance(opening, Opening)
    assert opening.instance == instance_key(report)
    claimed = await world.store.incidents.open_incident(
        sub.id, opening, channel_id=CHANNEL, worker="crashed", now=crashed_at
    )
    assert claimed is not None
    world.at(crashed_at + timedelta(minutes=1))
    assert (await survivor.tick()).alerts == [], "the owner may still be posting"
    world.at(crashed_at + timedelta(minutes=3))  # past the 2-minute lease, before 10 minutes
    assert (await survivor.tick()).alerts == [(sub.id, claimed.key)]
    assert len(world.posts_to(CHANNEL)) == 1


async def test_two_replicas_polling_together_post_each_change_once(
    world: World, state: SimulatorState
) -> None:
    sub = await watch(world, "payments-prod")
    first = world.scheduler("replica-a")
    other = Store.connect(world.url)  # another process's connection to the same file
    second = world.scheduler("replica-b", store=other)
    news = [
        backup("payments-prod", ago=timedelta(minutes=3), status="FAILED", serial="a"),
        backup("payments-prod", ago=timedelta(minutes=2), status="FAILED", serial="b"),
        backup("payments-prod", ago=timedelta(minutes=1), status="COMPLETED", serial="c"),
    ]
    world.at(NOW)
    await asyncio.gather(first.tick(), second.tick())
    for index, record in enumerate(news, start=1):
        state.fleet.add(record)
        world.at(NOW + index * POLL)
        await asyncio.gather(first.tick(), second.tick(), first.tick(), second.tick())
    ts = (await incident_of(world.store, sub, "payments-prod")).message_ts
    assert ts
    assert len(world.messages_in(CHANNEL)) == 1
    assert len(world.replies_to(ts)) == 2
    assert len(world.updates_of(ts)) == 2
    other.close()


async def test_a_watch_polls_at_its_interval_not_every_tick(
    world: World, state: SimulatorState
) -> None:
    await watch(world)
    scheduler = world.scheduler()
    world.at(NOW)
    await scheduler.tick()
    before = state.request_count
    world.at(NOW + timedelta(minutes=5))
    await scheduler.tick()
    assert state.request_count == before


async def test_a_watch_turned_off_says_so_in_its_open_incidents_first_message(
    world_of_each_backend: World, state: SimulatorState
) -> None:
    """The rules stop allowing the watch while payments-prod's incident is open: its first
    message would say "failed" forever; it says the watch was turned off, and why."""
    world = world_of_each_backend
    rules = Rules()
    scheduler, ts = await failing_payments(world, state, rules=rules)
    rules.allowing = False
    state.fleet.add(backup("payments-prod", ago=timedelta(minutes=1), status="FAILED", serial="b"))
    world.at(NOW + 2 * POLL)
    (off,) = (await scheduler.tick()).disabled
    (update,) = world.updates_of(ts)
    assert "no longer watched" in text_of(update)
    assert f"watch #{off} was turned off: the access rules no longer allow it" in text_of(update)
    assert world.replies_to(ts) == []
    assert not (await incident_of(world.store, await stored(world, off), "payments-prod")).is_open


async def stored(world: World, number: int) -> Subscription:
    found = await world.store.subscriptions.get(number)
    assert found is not None
    return found
