"""`/backups watch remove N` while the watch follows an open incident: its first message is
not left saying "failed" forever. It says the instance is no longer watched, unless
another watch of the channel covers the instance: then that one carries the incident on,
in the same thread.

The Slack app (its state on each backend) takes the commands; a scheduler on the same
database, as on another replica, ticks the watch.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.server import SimulatorServer
from bot.schedule.store import Subscription
from tests.conftest import NOW
from tests.fakes.slack import Call, FakeSlack
from tests.schedule.conftest import World, world_on
from tests.schedule.watches import backup
from tests.slack.conftest import Harness

CHANNEL = "C0INCIDENT"  # where the harness's commands come from


@pytest.fixture
async def replica(
    harness_of_each_backend: Harness,
    migrated_url: str,
    simulator: SimulatorServer,
    fake_slack: tuple[FakeSlack, str],
    tmp_path: Path,
) -> AsyncIterator[World]:
    """A scheduler on the harness's database, reading the same simulator, posting to the
    same fake Slack."""
    async with world_on(
        migrated_url, simulator=simulator, slack_url=fake_slack[1], fake=fake_slack[0],
        directory=tmp_path,
    ) as world:  # fmt: skip
        yield world


async def command(harness: Harness, text: str) -> Call:
    """Send `/backups text` and wait for its reply."""
    before = len(harness.slack.calls_to("response_url"))
    await harness.command(text)
    return harness.slack.wait_for_method("response_url", before + 1)[before]


async def watch_with_a_posted_incident(
    harness: Harness, replica: World, *extra_watches: str
) -> tuple[Subscription, str]:
    """`watch legacy-crm`, running since before legacy-crm's backups started failing: its
    incident is posted at the first tick. The watch and its first message's ts."""
    await command(harness, "watch legacy-crm")
    (sub,) = await replica.store.subscriptions.find(kind="watch")
    for text in extra_watches:
        await command(harness, text)
    for each in await replica.store.subscriptions.find(kind="watch"):
        await replica.store.incidents.take_baseline(
            each.id, [], channel_id=CHANNEL, worker="earlier", now=NOW - timedelta(days=3)
        )
    replica.at(NOW)
    assert len((await replica.scheduler().tick()).alerts) == 1
    (posted,) = [c for c in replica.slack.calls_to("chat.postMessage") if c.answer]
    assert "`legacy-crm`" in json.dumps(posted.payload)
    assert posted.answer is not None
    return sub, str(posted.answer["ts"])


async def test_removing_a_watch_says_so_in_its_open_incidents_first_message(
    harness_of_each_backend: Harness, replica: World
) -> None:
    harness = harness_of_each_backend
    sub, ts = await watch_with_a_posted_incident(harness, replica)
    removed = await command(harness, f"watch remove {sub.id}")
    assert f"removed watch #{sub.id}" in json.dumps(removed.payload)
    (update,) = harness.slack.wait_for(
        lambda calls: any(c.method == "chat.update" and c.payload["ts"] == ts for c in calls)
    )[-1:]
    text = json.dumps(update.payload)
    assert update.payload["channel"] == CHANNEL
    assert "no longer watched" in text
    assert f"watch #{sub.id} was removed" in text
    assert "failed after retry" in text, "what it was when the watch stopped"
    assert harness.slack.problems == []
    assert await replica.store.incidents.latest_incidents(sub.id) == {}


async def test_removing_one_of_two_watches_covering_an_incident_hands_it_to_the_other(
    harness_of_each_backend: Harness, replica: World, state: SimulatorState
) -> None:
    harness = harness_of_each_backend
    sub, ts = await watch_with_a_posted_incident(harness, replica, "watch payments-prod legacy-crm")
    await command(harness, f"watch remove {sub.id}")
    assert harness.slack.calls_to("chat.update") == [], "still watched: nothing to say"
    state.fleet.add(backup("legacy-crm", ago=timedelta(minutes=1), status="COMPLETED", serial="ok"))
    replica.at(NOW + timedelta(minutes=11))
    assert len((await replica.scheduler().tick()).alerts) == 1
    (resolved,) = replica.replies_to(ts)
    assert "Resolved" in json.dumps(resolved)
    assert len(replica.messages_in(CHANNEL)) == 1
