"""What the watch tests share: a watch in a channel, a backup "a moment ago", the policies
that make such a backup an attempt of today's window, and reading what was posted.

The simulator's clock stands at NOW; backups added "a moment ago" make the news, and the
scheduler's clock moves on by a poll interval (10 minutes) at a time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from bot.core.query import Target
from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.records import backup_record, instance_record
from bot.schedule.incidents import Incident
from bot.schedule.scheduler import Scheduler
from bot.schedule.store import Store, Subscription
from tests.conftest import NOW
from tests.schedule.conftest import World

CHANNEL = "C0WATCH"
POLL = timedelta(minutes=10, seconds=30)
WINDOW = "10:00-11:00"  # daily, UTC: NOW (10:30) is inside today's window


def declare_policies_around_now(state: SimulatorState) -> None:
    """The watched instances take their automated backups daily in the hour around NOW, so
    a backup "a moment ago" is an attempt of today's window."""
    for name in ("payments-prod", "orders-prod", "legacy-crm"):
        record = instance_record(
            name=name, status="ACTIVE", created=NOW - timedelta(days=400), window=WINDOW,
            keep_days=7,
        )  # fmt: skip
        state.fleet.declare(
            record, {"keep_days": 7, "start_time": WINDOW, "period": "1,2,3,4,5,6,7"}
        )


async def watch(
    world: World, *targets: str, channel: str = CHANNEL, profile: str | None = None
) -> Subscription:
    """A watch on `targets` (none: every instance), set up at NOW."""
    return await world.store.subscriptions.add(
        kind="watch", channel_id=channel, created_by="U0CREATOR", created_at=NOW,
        targets=[Target("instance_name", name) for name in targets], profile=profile,
    )  # fmt: skip


def backup(instance: str, *, ago: timedelta, status: str, serial: str) -> dict[str, object]:
    """A backup that started `ago` before NOW (the simulator's now)."""
    return backup_record(
        profile_name=instance, begin=NOW - ago, minutes=2, status=status, kind="auto",
        size_mb=0 if status == "FAILED" else 61_000, serial=serial,
        description="Backup failed: OBS upload timed out." if status == "FAILED" else "",
    )  # fmt: skip


def text_of(payload: dict[str, object]) -> str:
    return json.dumps(payload)


async def incident_of(store: Store, subscription: Subscription, name: str) -> Incident:
    """The latest incident of the instance called `name` under `subscription`."""
    (found,) = [
        i
        for i in (await store.incidents.latest_incidents(subscription.id)).values()
        if i.label == name
    ]
    return found


@dataclass
class Rules:
    """Access rules a test changes midway: every subscription is allowed while `allowing`."""

    allowing: bool = True

    async def __call__(self, subscription: Subscription) -> bool:
        return self.allowing


async def failing_payments(
    world: World, state: SimulatorState, *others: tuple[str, ...], rules: Rules | None = None
) -> tuple[Scheduler, str]:
    """A watch on payments-prod (and, if given, other watches of the channel on `others`),
    its silent baseline, then a failure posted as an incident's first message: the
    scheduler (under `rules`, if given) and that message's ts."""
    sub = await watch(world, "payments-prod")
    for targets in others:
        await watch(world, *targets)
    scheduler = world.scheduler(allowed=rules or Rules())
    world.at(NOW)
    await scheduler.tick()
    state.fleet.add(backup("payments-prod", ago=timedelta(minutes=2), status="FAILED", serial="a"))
    world.at(NOW + POLL)
    await scheduler.tick()
    ts = (await incident_of(world.store, sub, "payments-prod")).message_ts
    assert ts
    return scheduler, ts
