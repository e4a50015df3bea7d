"""A backup's channel message is posted once, even when a follow round of the same
replica comes while the click is still posting it: the first post is the clicker's until
its lease lapses (a round that renewed it posted a second message, seen under load)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import httpx

from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine, Engines
from bot.core.backup_action import BackupRequest, backup_name
from bot.huawei.simulator.records import instance_id_for
from bot.huawei.simulator.server import SimulatorServer
from bot.schedule.backup_actions import BackupActions
from bot.schedule.store import Action, Store
from tests.conftest import NOW, FakeTime, SettableClock, make_api

LEASE = timedelta(minutes=1)


class HeldOutbox:
    """Holds the first post until released; counts every post."""

    def __init__(self) -> None:
        self.posts: list[str] = []
        self.posting = asyncio.Event()
        self.release = asyncio.Event()

    async def action_post(self, action: Action) -> str:
        self.posts.append(action.request.confirmation)
        if len(self.posts) == 1:
            self.posting.set()
            await self.release.wait()
        return f"1700000000.00000{len(self.posts)}"

    async def action_update(self, action: Action) -> None:
        """Updates are not what this test counts."""


def _request() -> BackupRequest:
    return BackupRequest(
        confirmation="confirmation-1", profile=None,
        instance_id=instance_id_for("orders-prod"), instance_name="orders-prod",
        name=backup_name("orders-prod", NOW), description="", team="T0001",
        channel="C0INCIDENT", user="U0ASKER", asked_at=NOW,
        expires_at=NOW + timedelta(minutes=10),
    )  # fmt: skip


async def test_a_follow_round_during_the_clicks_first_post_posts_nothing(
    tmp_path: Path, simulator: SimulatorServer, fake_time: FakeTime
) -> None:
    store = Store.connect(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    store.migrate()
    clock = SettableClock()
    outbox = HeldOutbox()
    async with httpx.AsyncClient() as http:
        api = make_api(http, simulator.url, fake_time)
        engine = Engine.over(source=api, cache=ListingCache(ttl=60, maxsize=8, clock=clock),
                             clock=clock)  # fmt: skip
        actions = BackupActions(
            records=store.actions, engines=Engines.single(engine, maker=api), outbox=outbox,
            clock=clock, worker="replica-1", lease=LEASE,
        )  # fmt: skip
        click = asyncio.create_task(actions.take(_request()))
        await outbox.posting.wait()  # the click is posting its message, held there
        assert await actions.follow() == 0, "the round left the click's first post alone"
        outbox.release.set()
        await click
        await actions.follow()  # the message is posted: following renews and updates it
    assert outbox.posts == ["confirmation-1"]
    (action,) = await store.actions.to_follow()
    assert action.message_ts == "1700000000.000001"
