"""Watches that overlap in a channel: each instance's incident there is opened and posted
once, whichever watches cover it (`watch payments-prod`, then `watch`; or the same watch
twice, as two replicas may store it at the same moment). Injected clock, no sleeping."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.huawei.simulator import SimulatorState
from tests.conftest import NOW
from tests.schedule.conftest import World
from tests.schedule.watches import (
    CHANNEL,
    POLL,
    backup,
    declare_policies_around_now,
    failing_payments,
    text_of,
    watch,
)


@pytest.fixture(autouse=True)
def policies_around_now(state: SimulatorState) -> None:
    declare_policies_around_now(state)


def about(world: World, name: str) -> list[dict[str, object]]:
    """Top-level messages of the channel about instance `name`."""
    return [post for post in world.messages_in(CHANNEL) if f"`{name}`" in text_of(post)]


@pytest.mark.parametrize("second", [(), ("payments-prod",)], ids=["every-instance", "the-same"])
async def test_two_watches_covering_one_instance_post_each_change_of_its_incident_once(
    world_of_each_backend: World, state: SimulatorState, second: tuple[str, ...]
) -> None:
    world = world_of_each_backend
    scheduler, ts = await failing_payments(world, state, second)
    (opened,) = about(world, "payments-prod")
    state.fleet.add(backup("payments-prod", ago=timedelta(minutes=1), status="FAILED", serial="b"))
    world.at(NOW + 2 * POLL)
    await scheduler.tick()
    state.fleet.add(
        backup("payments-prod", ago=timedelta(seconds=5), status="COMPLETED", serial="c")
    )
    world.at(NOW + 3 * POLL)
    await scheduler.tick()
    assert about(world, "payments-prod") == [opened], "one incident, one message"
    retry, resolved = world.replies_to(ts)
    assert "*Failed after retry*" in text_of(retry)
    assert "Resolved" in text_of(resolved)
    assert len(world.updates_of(ts)) == 2


async def test_a_watch_set_up_while_another_follows_an_incident_adds_no_second_message(
    world_of_each_backend: World, state: SimulatorState
) -> None:
    world = world_of_each_backend
    scheduler, ts = await failing_payments(world, state)
    (opened,) = about(world, "payments-prod")
    await watch(world)  # every instance, payments-prod's incident open
    world.at(NOW + 2 * POLL)
    await scheduler.tick()  # the new watch's baseline
    state.fleet.add(backup("payments-prod", ago=timedelta(minutes=1), status="FAILED", serial="b"))
    world.at(NOW + 3 * POLL)
    await scheduler.tick()
    assert about(world, "payments-prod") == [opened]
    (retry,) = world.replies_to(ts)
    assert "*Failed after retry*" in text_of(retry)
