"""A scheduler on an injected clock, the simulator upstream and a fake Slack, all local."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bot.app.wiring import slack_client
from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine, Engines
from bot.core.health.inventory_cache import InventoryCache
from bot.core.health.reports import HealthSettings
from bot.huawei.simulator.server import SimulatorServer
from bot.metrics import Metrics
from bot.schedule.rounds import Allowed, ScheduleConfig, always
from bot.schedule.scheduler import Scheduler
from bot.schedule.store import Store
from bot.slack.button_state import ButtonCodec
from bot.slack.delivery import Delivery
from bot.slack.slack_outbox import SlackOutbox
from bot.support.database_url import sqlite_url
from bot.support.serving import ServerThread
from tests.conftest import FakeTime, SettableClock, make_api
from tests.fakes.slack import FakeSlack, create_fake_slack
from tests.slack.conftest import slack_settings


@dataclass
class World:
    """Everything a scheduler test touches."""

    store: Store
    url: str
    clock: SettableClock
    slack: FakeSlack
    engine: Engine
    outbox: SlackOutbox
    slack_url: str
    directory: Path

    def scheduler(
        self,
        worker: str = "worker-a",
        *,
        store: Store | None = None,
        outbox: SlackOutbox | None = None,
        allowed: Allowed = always,
        **config: object,
    ) -> Scheduler:
        """A scheduler process over the shared store (several may exist at once): another
        process's connection to it (`store`), its own Slack client (`outbox`), access rules."""
        return Scheduler(
            store=store or self.store,
            engines=Engines.single(self.engine),
            outbox=outbox or self.outbox,
            clock=self.clock,
            worker=worker,
            config=ScheduleConfig(**config),  # type: ignore[arg-type]
            allowed=allowed,
        )

    def outbox_with(self, **settings: str) -> SlackOutbox:
        """Another outbox to the same fake Slack, its client made with these settings."""
        return slack_outbox(self.slack_url, self.clock, self.directory, **settings)

    def at(self, moment: datetime) -> None:
        """Move the clock to `moment`."""
        self.clock.now = moment

    def posts_to(self, channel: str) -> list[dict[str, object]]:
        """Messages posted to `channel`, thread replies included."""
        return [
            c.payload
            for c in self.slack.calls_to("chat.postMessage")
            if c.payload["channel"] == channel
        ]

    def messages_in(self, channel: str) -> list[dict[str, object]]:
        """Messages posted to `channel` itself, not in a thread."""
        return [post for post in self.posts_to(channel) if not post.get("thread_ts")]

    def replies_to(self, ts: str) -> list[dict[str, object]]:
        """Messages posted in the thread of message `ts`."""
        return [
            c.payload
            for c in self.slack.calls_to("chat.postMessage")
            if c.payload.get("thread_ts") == ts
        ]

    def updates_of(self, ts: str) -> list[dict[str, object]]:
        """chat.update calls on message `ts`."""
        return [c.payload for c in self.slack.calls_to("chat.update") if c.payload["ts"] == ts]


@pytest.fixture
def fake_slack_server() -> Iterator[tuple[FakeSlack, str]]:
    fake = FakeSlack()
    with ServerThread(create_fake_slack(fake)) as server:
        yield fake, server.url


@asynccontextmanager
async def world_on(
    url: str, *, simulator: SimulatorServer, slack_url: str, fake: FakeSlack, directory: Path
) -> AsyncIterator[World]:
    """A world whose store is the migrated database at `url`."""
    store = Store.connect(url)
    store.migrate()
    clock = SettableClock()
    async with httpx.AsyncClient() as http:
        api = make_api(http, simulator.url, FakeTime())
        engine = Engine.over(
            source=api,
            cache=ListingCache(ttl=60, maxsize=64, clock=clock),
            inventory=InventoryCache(api, ttl=600, clock=clock),
            clock=clock,
            health_settings=HealthSettings(stale_after=timedelta(hours=26)),
        )
        outbox = slack_outbox(slack_url, clock, directory)
        yield World(
            store=store, url=url, clock=clock, slack=fake, engine=engine, outbox=outbox,
            slack_url=slack_url, directory=directory,
        )  # fmt: skip
    store.close()


def slack_outbox(
    slack_url: str, clock: SettableClock, directory: Path, **settings: str
) -> SlackOutbox:
    """The scheduler's outbox to the fake Slack, through the production client factory (429s
    are retried after Retry-After, within BACKUPBOT_SLACK_TIMEOUT)."""
    client = slack_client(slack_settings(slack_url, directory / "unused.sqlite3", **settings))
    return SlackOutbox(
        delivery=Delivery(client=client, clock=clock, metrics=Metrics()),
        codec=ButtonCodec(b"k"),
        clock=clock,
        simulated=False,
    )


@pytest.fixture
async def world(
    tmp_path: Path,
    simulator: SimulatorServer,
    fake_slack_server: tuple[FakeSlack, str],
) -> AsyncIterator[World]:
    """A world on a SQLite file."""
    fake, slack_url = fake_slack_server
    url = sqlite_url(str(tmp_path / "state.sqlite3"))
    async with world_on(
        url, simulator=simulator, slack_url=slack_url, fake=fake, directory=tmp_path
    ) as made:
        yield made


@pytest.fixture
async def world_of_each_backend(
    tmp_path: Path,
    migrated_url: str,
    simulator: SimulatorServer,
    fake_slack_server: tuple[FakeSlack, str],
) -> AsyncIterator[World]:
    """A world on each backend in turn (SQLite, PostgreSQL, MySQL/MariaDB)."""
    fake, slack_url = fake_slack_server
    async with world_on(
        migrated_url, simulator=simulator, slack_url=slack_url, fake=fake, directory=tmp_path
    ) as made:
        yield made
