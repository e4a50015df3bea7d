"""A post that outlives its claim: two replicas (two schedulers with their own worker ids and
connections over one database), a Slack that rate-limits or hangs, the claim lease passing.

Slack's Retry-After is never slept here: one longer than BACKUPBOT_SLACK_TIMEOUT is given
up at once. A hang is held by the fake Slack until the test releases it (an event, not
a sleep), and the claim lease passes on the injected clock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import time, timedelta

import pytest
from sqlalchemy import select

from bot.huawei.simulator import SimulatorState
from bot.schedule.incidents import transition_key
from bot.schedule.scheduler import Scheduler
from bot.schedule.schema import alerts, digest_sends
from bot.schedule.store import Store, Subscription
from tests.conftest import NOW
from tests.fakes.slack import Call, Failure
from tests.schedule.conftest import World
from tests.schedule.watches import (
    CHANNEL,
    POLL,
    backup,
    declare_policies_around_now,
    incident_of,
    watch,
)

PAST_THE_LEASE = timedelta(minutes=3)  # the lease is 2 minutes
HANGING = 120.0  # seconds a post may hang in Slack here: the test releases it long before


@pytest.fixture(autouse=True)
def policies_around_now(state: SimulatorState) -> None:
    declare_policies_around_now(state)


@asynccontextmanager
async def two_replicas(world: World, **slack: str) -> AsyncIterator[tuple[Scheduler, Scheduler]]:
    """Replicas a and b: their own worker ids, connections and Slack clients."""
    first = world.scheduler("replica-a", outbox=world.outbox_with(**slack))
    other = Store.connect(world.url)
    second = world.scheduler("replica-b", store=other, outbox=world.outbox_with(**slack))
    try:
        yield first, second
    finally:
        other.close()


def delivered(calls: list[Call], channel: str) -> list[Call]:
    """Top-level messages Slack accepted in `channel` (not refused, not in a thread)."""
    return [
        call
        for call in calls
        if call.method == "chat.postMessage"
        and call.payload["channel"] == channel
        and not call.payload.get("thread_ts")
        and call.answer is not None
    ]


def ts_of(call: Call) -> str:
    assert call.answer is not None
    return str(call.answer["ts"])


async def failure_seen_by_a(world: World, first: Scheduler, state: SimulatorState) -> Subscription:
    """A watch past its baseline, and payments-prod failing: the news replica a polls for."""
    sub = await watch(world, "payments-prod")
    world.at(NOW)
    await first.tick()
    state.fleet.add(backup("payments-prod", ago=timedelta(minutes=1), status="FAILED", serial="x"))
    world.at(NOW + POLL)
    return sub


async def test_a_429_longer_than_the_slack_timeout_is_given_up_and_posted_once_after_the_lease(
    world_of_each_backend: World, state: SimulatorState
) -> None:
    """Replica a is told to come back in 5 minutes, more than the lease: it gives up at once
    (no sleep), and replica b takes the claim over after the lease and posts it, once."""
    world = world_of_each_backend
    async with two_replicas(world) as (first, second):
        sub = await failure_seen_by_a(world, first, state)
        world.slack.failures.append(Failure("chat.postMessage", retry_after=300))
        polling = asyncio.create_task(first.tick())
        await asyncio.to_thread(world.slack.wait_for_method, "chat.postMessage")
        world.at(NOW + POLL + PAST_THE_LEASE)
        taken = await second.tick()
        await asyncio.wait_for(polling, timeout=60)  # given up: it does not wait 300 s
        (posted,) = delivered(world.slack.calls, CHANNEL)
        assert len(world.slack.calls_to("chat.postMessage")) == 2, "one refused, one posted"
        incident = await incident_of(world.store, sub, "payments-prod")
        assert taken.alerts == [(sub.id, transition_key(incident.id, 1))], "b posted it"
        assert incident.message_ts == ts_of(posted)


async def test_a_first_message_posted_after_its_claim_was_taken_over_is_withdrawn(
    world_of_each_backend: World, state: SimulatorState
) -> None:
    """Slack holds replica a's post past the lease; b takes the claim over and posts. When a's
    post returns, a's claim is no longer a's: it records nothing (b's ts stays) and takes
    its own message back, so the channel shows the incident once."""
    world = world_of_each_backend
    async with two_replicas(world, BACKUPBOT_SLACK_TIMEOUT=str(HANGING)) as (first, second):
        sub = await failure_seen_by_a(world, first, state)
        world.slack.failures.append(Failure("chat.postMessage", hang=HANGING))
        polling = asyncio.create_task(first.tick())
        await asyncio.to_thread(world.slack.wait_for_hanging, 1)
        world.at(NOW + POLL + PAST_THE_LEASE)
        await second.tick()
        world.slack.release_hangs()
        await polling
        late, taker = delivered(world.slack.calls, CHANNEL)
        incident = await incident_of(world.store, sub, "payments-prod")
        assert incident.message_ts == ts_of(taker), "the taker's ts, never overwritten"
        (withdrawn,) = world.slack.calls_to("chat.delete")
        assert withdrawn.payload == {"channel": CHANNEL, "ts": ts_of(late)}
        with world.store.engine.connect() as connection:
            claim = connection.execute(
                select(alerts.c.status, alerts.c.claimed_by).where(
                    alerts.c.alert_key == transition_key(incident.id, 1)
                )
            ).one()
        assert tuple(claim) == ("posted", "replica-b")


async def test_a_digest_posted_after_its_claim_was_taken_over_is_withdrawn(
    world_of_each_backend: World,
) -> None:
    world = world_of_each_backend
    sub = await world.store.subscriptions.add(
        kind="digest", channel_id="C0DIGEST", created_by="U0CREATOR", created_at=NOW,
        at_time=time(10, 30), timezone="UTC",
    )  # fmt: skip
    async with two_replicas(world, BACKUPBOT_SLACK_TIMEOUT=str(HANGING)) as (first, second):
        world.slack.failures.append(Failure("chat.postMessage", hang=HANGING))
        world.at(NOW)
        sending = asyncio.create_task(first.tick())
        await asyncio.to_thread(world.slack.wait_for_hanging, 1)
        world.at(NOW + PAST_THE_LEASE)
        assert (await second.tick()).posted == [(sub.id, NOW.date())]
        world.slack.release_hangs()
        assert (await sending).posted == [], "its claim was taken over: not its send"
        late, taker = delivered(world.slack.calls, "C0DIGEST")
        (send,) = await world.store.sends.of(sub.id)
        assert (send.status, send.claimed_by, send.attempts) == ("posted", "replica-b", 2)
        (withdrawn,) = world.slack.calls_to("chat.delete")
        assert withdrawn.payload == {"channel": "C0DIGEST", "ts": ts_of(late)}
        with world.store.engine.connect() as connection:
            stored = connection.execute(select(digest_sends.c.message_ts)).scalar_one()
        assert stored == ts_of(taker)
