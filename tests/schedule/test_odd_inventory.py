"""Digests and watches through a scheduler tick, with the simulator serving odd instance
records: one odd record never costs a digest (posted, with its health) nor a watch (its
incident still opens). Injected clock, no sleeping."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.core.query import Target
from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.records import backup_record, instance_record
from tests.conftest import NOW
from tests.fakes.blockkit import assert_valid_blocks
from tests.schedule.conftest import World

CHANNEL = "C0ODD"
WINDOW = "10:00-11:00"  # daily, UTC: NOW (10:30) is inside today's window


def odd(state: SimulatorState, **oddities: tuple[str, ...]) -> None:
    state.knobs.odd = {name: frozenset(names) for name, names in oddities.items()}


async def digest_at_eleven(world: World) -> str:
    """A daily digest at 11:00 UTC, its tick, and the one message it posted."""
    await world.store.subscriptions.add(
        kind="digest", channel_id=CHANNEL, created_by="U0CREATOR", at_time=time(11),
        timezone="UTC", created_at=NOW,
    )  # fmt: skip
    world.at(datetime(2026, 11, 27, 11, 0, tzinfo=UTC))
    assert len((await world.scheduler().tick()).posted) == 1
    (post,) = world.posts_to(CHANNEL)
    assert_valid_blocks(post["blocks"])
    return json.dumps(post, ensure_ascii=False)


@pytest.mark.parametrize(
    "oddities",
    [
        {"status_null": ("orders-prod",)},
        {"keep_days_abc": ("orders-prod",)},
        {"created_naive": ("sessions-prod", "orders-prod")},
        {"created_unreadable": ("orders-prod",)},
        {"no_id": ("orders-prod",)},
        {"twin": ("orders-prod",)},
        {"period_superscript": ("orders-prod",)},
        {"policy_keep_days_abc": ("orders-prod",)},
    ],
    ids=lambda oddities: ",".join(oddities),
)
async def test_a_digest_is_posted_with_its_health_whatever_one_record_holds(
    world: World, state: SimulatorState, oddities: dict[str, tuple[str, ...]]
) -> None:
    odd(state, **oddities)
    text = await digest_at_eleven(world)
    assert "Could not read backups" not in text
    assert "legacy-crm" in text, "the fleet's health is in it"
    assert "failed after retry" in text
    assert "orders-prod" in text


async def test_a_digest_says_once_that_the_listing_could_not_be_read(
    world: World, state: SimulatorState
) -> None:
    odd(state, unreadable_page=())
    text = await digest_at_eleven(world)
    assert text.count("The instance listing could not be read (") == 1, "one note"
    assert "legacy-crm" in text, "judged from its backups"


async def test_a_watch_opens_its_incident_although_the_status_is_null(
    world: World, state: SimulatorState
) -> None:
    record = instance_record(
        name="payments-prod", status="ACTIVE", created=NOW - timedelta(days=400), window=WINDOW,
        keep_days=7,
    )  # fmt: skip
    state.fleet.declare(record, {"keep_days": 7, "start_time": WINDOW, "period": "1,2,3,4,5,6,7"})
    odd(state, status_null=("payments-prod", "orders-prod"), created_naive=("payments-prod",))
    await world.store.subscriptions.add(
        kind="watch", channel_id=CHANNEL, created_by="U0CREATOR", created_at=NOW,
        targets=[Target("instance_name", "payments-prod")],
    )  # fmt: skip
    scheduler = world.scheduler()
    world.at(NOW)
    assert (await scheduler.tick()).alerts == [], "the first poll is a silent baseline"
    state.fleet.add(
        backup_record(
            profile_name="payments-prod", begin=NOW - timedelta(minutes=2), minutes=2,
            status="FAILED", kind="auto", size_mb=0, serial="odd",
            description="Backup failed: OBS upload timed out.",
        )
    )  # fmt: skip
    world.at(NOW + timedelta(minutes=10, seconds=30))
    assert len((await scheduler.tick()).alerts) == 1
    (opening,) = world.messages_in(CHANNEL)
    assert "payments-prod" in json.dumps(opening)
    assert "OBS upload timed out" in json.dumps(opening)
