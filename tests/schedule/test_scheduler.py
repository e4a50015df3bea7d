"""Digests never lost and never doubled. Injected clock, no sleeping.

Watches are tested in test_watch_incidents.py.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, date, datetime, time, timedelta

from bot.huawei.simulator import Fault, SimulatorState
from bot.huawei.simulator.records import backup_record
from bot.huawei.simulator.server import SimulatorServer
from bot.schedule.scheduler import Scheduler
from bot.schedule.store import Store, Subscription
from tests.conftest import NOW
from tests.fakes.blockkit import assert_valid_blocks
from tests.fakes.slack import Failure, FakeSlack
from tests.schedule.conftest import World

CHANNEL = "C0DIGEST"
TODAY = NOW.date()


async def digest(world: World, *, at: str = "11:00", tz: str = "UTC", channel: str = CHANNEL,
                 created_at: datetime = NOW) -> Subscription:  # fmt: skip
    return await world.store.subscriptions.add(
        kind="digest", channel_id=channel, created_by="U0CREATOR", at_time=time.fromisoformat(at),
        timezone=tz, created_at=created_at,
    )  # fmt: skip


def text_of(payload: dict[str, object]) -> str:
    return json.dumps(payload)


async def test_a_digest_is_posted_once_at_its_time(world: World) -> None:
    await digest(world, at="11:00")
    scheduler = world.scheduler()
    world.at(datetime(2026, 11, 27, 10, 59, tzinfo=UTC))
    assert (await scheduler.tick()).posted == []
    world.at(datetime(2026, 11, 27, 11, 0, tzinfo=UTC))
    assert len((await scheduler.tick()).posted) == 1
    world.at(datetime(2026, 11, 27, 11, 5, tzinfo=UTC))
    assert (await scheduler.tick()).posted == []
    (post,) = world.posts_to(CHANNEL)
    assert_valid_blocks(post["blocks"])
    text = text_of(post)
    assert "Backup digest: every instance" in text
    assert "legacy-crm" in text, "an instance without a good backup for days is named"
    assert "failed in the last 24 h" in text
    assert world.slack.problems == []
    world.at(datetime(2026, 11, 28, 11, 0, tzinfo=UTC))
    assert len((await scheduler.tick()).posted) == 1
    assert len(world.posts_to(CHANNEL)) == 2


async def test_a_paris_digest_follows_local_time_across_the_dst_change(world: World) -> None:
    await digest(
        world, at="09:00", tz="Europe/Paris", created_at=datetime(2026, 10, 23, tzinfo=UTC)
    )
    scheduler = world.scheduler()
    for day, due_utc_hour in ((24, 7), (25, 8), (26, 8)):  # CEST, then CET from the 25th
        due = datetime(2026, 10, day, due_utc_hour, 0, tzinfo=UTC)
        world.at(due - timedelta(minutes=1))
        assert (await scheduler.tick()).posted == [], f"too early on the {day}th"
        world.at(due)
        assert (await scheduler.tick()).posted != [], f"on time on the {day}th"
        world.at(due + timedelta(hours=1))
        assert (await scheduler.tick()).posted == []
    assert len(world.posts_to(CHANNEL)) == 3


async def test_two_schedulers_sharing_one_store_post_each_digest_once(world: World) -> None:
    for index in range(3):
        await digest(world, at="11:00", channel=f"C0SHARED{index}")
    first = world.scheduler("replica-a")
    other = Store.connect(world.url)  # another process's connection to the same file
    second = world.scheduler("replica-b", store=other)
    for moment in (
        datetime(2026, 11, 27, 11, 0, tzinfo=UTC),
        datetime(2026, 11, 27, 11, 1, tzinfo=UTC),
    ):
        world.at(moment)
        await asyncio.gather(first.tick(), second.tick(), first.tick(), second.tick())
    for index in range(3):
        assert len(world.posts_to(f"C0SHARED{index}")) == 1


async def test_a_crash_between_claim_and_post_is_retried_not_lost(world: World) -> None:
    sub = await digest(world, at="11:00")
    due = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)
    await world.store.sends.claim_send(sub.id, TODAY, worker="crashed-replica", now=due)
    survivor = world.scheduler("survivor")
    world.at(due + timedelta(minutes=1))
    assert (await survivor.tick()).posted == [], "the owner may still be posting"
    world.at(due + timedelta(minutes=3))
    assert (await survivor.tick()).posted == [(sub.id, TODAY)]
    (send,) = await world.store.sends.of(sub.id)
    assert (send.status, send.claimed_by, send.attempts) == ("posted", "survivor", 2)
    assert len(world.posts_to(CHANNEL)) == 1


async def test_a_bot_down_at_the_time_catches_up_within_the_grace_window(world: World) -> None:
    await digest(world, at="11:00")
    world.at(datetime(2026, 11, 27, 16, 30, tzinfo=UTC))  # 5.5 h late: within 6 h
    assert len((await world.scheduler().tick()).posted) == 1


async def test_beyond_the_grace_window_a_digest_is_missed_and_the_next_one_says_so(
    world: World,
) -> None:
    sub = await digest(world, at="11:00")
    scheduler = world.scheduler()
    world.at(datetime(2026, 11, 27, 18, 0, tzinfo=UTC))  # 7 h late
    report = await scheduler.tick()
    assert report.missed == [(sub.id, TODAY)]
    assert world.posts_to(CHANNEL) == []
    world.at(datetime(2026, 11, 28, 11, 0, tzinfo=UTC))
    await scheduler.tick()
    (post,) = world.posts_to(CHANNEL)
    assert "Missed" in text_of(post)
    assert TODAY.isoformat() in text_of(post)
    world.at(datetime(2026, 11, 29, 11, 0, tzinfo=UTC))
    await scheduler.tick()
    assert "Missed" not in text_of(world.posts_to(CHANNEL)[-1]), "a miss is reported once"


async def test_a_rate_limited_post_honours_retry_after_and_posts_once(world: World) -> None:
    sub = await digest(world, at="11:00")
    world.slack.failures.append(Failure("chat.postMessage", retry_after=0))
    world.at(datetime(2026, 11, 27, 11, 0, tzinfo=UTC))
    await world.scheduler().tick()
    assert len(world.slack.calls_to("chat.postMessage")) == 2
    (send,) = await world.store.sends.of(sub.id)
    assert send.status == "posted"


async def test_a_gone_channel_disables_the_digest_and_tells_its_creator(world: World) -> None:
    sub = await digest(world, at="11:00")
    world.slack.failures.append(Failure("chat.postMessage", error="channel_not_found"))
    world.at(datetime(2026, 11, 27, 11, 0, tzinfo=UTC))
    scheduler = world.scheduler()
    report = await scheduler.tick()
    assert report.disabled == [sub.id]
    stored = await world.store.subscriptions.get(sub.id)
    assert stored is not None
    assert not stored.enabled
    assert "channel_not_found" in (stored.disabled_reason or "")
    (dm,) = world.posts_to("U0CREATOR")
    assert f"digest #{sub.id}" in text_of(dm)
    world.at(datetime(2026, 11, 28, 11, 0, tzinfo=UTC))
    await scheduler.tick()
    assert len(world.slack.calls_to("chat.postMessage")) == 2, "no more attempts once disabled"


async def test_a_transient_slack_error_is_retried_after_the_lease(world: World) -> None:
    sub = await digest(world, at="11:00")
    world.slack.failures.append(Failure("chat.postMessage", error="internal_error"))
    scheduler = world.scheduler()
    world.at(datetime(2026, 11, 27, 11, 0, tzinfo=UTC))
    assert (await scheduler.tick()).posted == []
    world.at(datetime(2026, 11, 27, 11, 5, tzinfo=UTC))
    assert (await scheduler.tick()).posted == [(sub.id, TODAY)]
    assert len(world.posts_to(CHANNEL)) == 2, "one refused, one delivered"
    (send,) = await world.store.sends.of(sub.id)
    assert (send.status, send.attempts) == ("posted", 2)


async def test_an_api_outage_still_posts_a_digest_that_says_so(
    world: World, state: SimulatorState
) -> None:
    await digest(world, at="11:00")
    state.faults.append(Fault("error", status=503, times=100))
    world.at(datetime(2026, 11, 27, 11, 0, tzinfo=UTC))
    await world.scheduler().tick()
    (post,) = world.posts_to(CHANNEL)
    assert "Could not read backups" in text_of(post)


async def test_a_long_fleet_collapses_within_slacks_limits(
    world: World, state: SimulatorState
) -> None:
    records = [
        backup_record(
            profile_name=f"fleet-{index:03d}",
            begin=NOW - timedelta(hours=3),
            minutes=5,
            status="COMPLETED",
            kind="auto",
            size_mb=100,
            serial=f"fleet{index}",
        )
        for index in range(1500)
    ]
    state.fleet.extend(records)
    await digest(world, at="11:00")
    world.at(datetime(2026, 11, 27, 11, 0, tzinfo=UTC))
    await world.scheduler().tick()
    (post,) = world.posts_to(CHANNEL)
    assert_valid_blocks(post["blocks"])
    assert "more instances" in text_of(post)


async def test_each_tick_says_the_replica_is_alive_and_expired_event_claims_go(
    world: World,
) -> None:
    await world.store.events.claim_event("Ev0OLD", worker="w", now=NOW, keep=timedelta(hours=1))
    scheduler = world.scheduler("replica-a")
    world.at(NOW + timedelta(hours=2))
    await scheduler.tick()
    assert await world.store.replicas.workers_seen(since=NOW + timedelta(hours=2)) == ["replica-a"]
    assert await world.store.events.prune(now=NOW + timedelta(hours=2)) == 0, "the tick pruned it"


async def test_run_loops_until_stopped_and_survives_a_failing_tick(world: World) -> None:
    await digest(world, at="11:00")
    world.at(datetime(2026, 11, 27, 11, 0, tzinfo=UTC))
    scheduler: Scheduler = world.scheduler()
    stop = asyncio.Event()
    ticks = 0

    async def fake_sleep(seconds: float) -> None:
        nonlocal ticks
        ticks += 1
        if ticks == 1:  # the state file damaged: every later tick fails
            (world.directory / "state.sqlite3").write_bytes(b"not a database, " * 512)
        if ticks == 3:
            stop.set()

    await scheduler.run(stop, sleep=fake_sleep)
    assert ticks == 3
    assert len(world.posts_to(CHANNEL)) == 1
    assert date(2026, 11, 27) == TODAY


async def test_two_scheduler_processes_sharing_one_sqlite_file_post_each_digest_once(
    world: World, simulator: SimulatorServer, fake_slack_server: tuple[FakeSlack, str]
) -> None:
    for index in range(4):
        await digest(world, at="11:00", channel=f"C0PROC{index}")
    moments = [
        "2026-11-27T11:00:00+00:00",
        "2026-11-27T11:00:30+00:00",
        "2026-11-28T11:00:00+00:00",
    ]
    for moment in moments:
        processes = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.schedule.tick_once",
                world.url,
                simulator.url,
                fake_slack_server[1],
                moment,
                f"process-{worker}",
            )
            for worker in ("a", "b")
        ]
        codes = [await process.wait() for process in processes]
        assert codes == [0, 0]
    for index in range(4):
        assert len(world.posts_to(f"C0PROC{index}")) == 2, "one a day, from either process"


async def test_a_digest_the_rules_no_longer_allow_is_turned_off(world: World) -> None:
    sub = await digest(world, at="11:00")

    async def never(subscription: Subscription) -> bool:
        return False

    scheduler = world.scheduler(allowed=never)
    world.at(datetime(2026, 11, 27, 11, 0, tzinfo=UTC))
    report = await scheduler.tick()
    assert report.disabled == [sub.id]
    assert world.posts_to(CHANNEL) == []
    (dm,) = world.posts_to("U0CREATOR")
    assert "the access rules no longer allow it" in text_of(dm)
