"""Scenario fixtures: the simulator, a fake Slack, and backupbot serving HTTP, all on 127.0.0.1."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from bot.app.logs import JsonFormatter
from bot.app.modes import http_app
from bot.app.slack_secrets import SlackSecrets
from bot.app.wiring import App, build
from bot.config import Settings
from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine, Engines
from bot.core.backup_source import BackupSource
from bot.core.health.inventory_cache import InventoryCache
from bot.huawei.simulator.server import SimulatorServer
from bot.metrics import Metrics
from bot.support.serving import ServerThread
from tests.conftest import FakeTime, fixed_clock, make_api
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, create_fake_slack, sign


def slack_settings(slack_url: str, state: Path | str, **extra: str) -> Settings:
    """Settings pointing the Web API at the fake and the state at a test file."""
    values = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": f"{slack_url}/api/",
        "BACKUPBOT_STATE": str(state),
        **extra,
    }
    return Settings(**values)  # type: ignore[arg-type]  # aliases are the environment names


@dataclass
class Harness:
    """backupbot serving HTTP in a thread, against the simulator, reporting to a fake Slack."""

    bot: App
    server: ServerThread
    slack: FakeSlack
    slack_url: str
    client: httpx.AsyncClient
    response_urls: int = 0
    events: int = 0

    @property
    def events_url(self) -> str:
        return f"{self.server.url}/slack/events"

    def response_url(self) -> str:
        self.response_urls += 1
        return f"{self.slack_url}/respond/r{self.response_urls}"

    async def post(self, body: str, content_type: str, **headers: str) -> httpx.Response:
        signed = sign(body)
        signed.update(headers)
        return await self.client.post(
            self.events_url, content=body, headers={"Content-Type": content_type, **signed}
        )

    async def idle(self) -> None:
        """Wait until backupbot has no background work left (a condition, not a sleep)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            health = (await self.client.get(f"{self.server.url}/healthz")).json()
            if health["background_tasks"] == 0:
                return
            await asyncio.sleep(0.01)  # let the health check be asked again
        raise AssertionError("backupbot stayed busy")

    async def command(
        self, text: str, *, user: str = "U0ASKER", channel: str = "C0INCIDENT"
    ) -> httpx.Response:
        """Send `/backups text` as Slack would."""
        body = urlencode(
            {
                "token": "legacy",
                "team_id": "T0001",
                "channel_id": channel,
                "user_id": user,
                "command": "/backups",
                "text": text,
                "response_url": self.response_url(),
                "trigger_id": "trigger",
                "api_app_id": "A0BACKUP",
            }
        )
        return await self.post(body, "application/x-www-form-urlencoded")

    async def click(
        self,
        action_id: str,
        value: str,
        *,
        ephemeral: bool = True,
        user: str = "U0ASKER",
        message_ts: str = "1700000000.000100",
        response_url: str | None = None,
        channel: str = "C0INCIDENT",
    ) -> httpx.Response:
        """Click a button as Slack would send it."""
        payload = {
            "type": "block_actions",
            "team": {"id": "T0001"},
            "user": {"id": user},
            "api_app_id": "A0BACKUP",
            "channel": {"id": channel},
            "container": {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            },
            "response_url": response_url or self.response_url(),
            "trigger_id": "trigger",
            "actions": [
                {"type": "button", "action_id": action_id, "value": value, "block_id": "b"}
            ],
        }
        return await self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )

    async def event(
        self, event: dict[str, Any], *, event_id: str | None = None, team: str = "T0001",
        **headers: str,
    ) -> httpx.Response:  # fmt: skip
        """Deliver an Events API callback (from workspace `team`), under an id of its own
        unless the test passes one: Slack's retries repeat an id, and a repeat is dropped."""
        self.events += 1
        body = json.dumps(
            {
                "type": "event_callback",
                "team_id": team,
                "api_app_id": "A0BACKUP",
                "event_id": event_id or f"EvAUTO{self.events:04d}",
                "event_time": int(time.time()),
                "event": event,
            }
        )
        return await self.post(body, "application/json", **headers)


@pytest.fixture
def audit_log() -> Iterator[io.StringIO]:
    """The audit logger's lines, as JSON, in a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("backupbot.audit")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield buffer
    logger.removeHandler(handler)


@pytest.fixture
def fake_slack() -> Iterator[tuple[FakeSlack, str]]:
    fake = FakeSlack()
    with ServerThread(create_fake_slack(fake)) as server:
        yield fake, server.url
        fake.release_hangs()


def start_bot(
    simulator: SimulatorServer,
    fake_slack: tuple[FakeSlack, str],
    fake_time: FakeTime,
    state: Path,
    *,
    source: BackupSource | None = None,
    engines: Engines | None = None,
    env: dict[str, str] | None = None,
    schedule: bool | None = None,
    secrets: SlackSecrets | None = None,
) -> tuple[App, ServerThread]:
    """A fresh backupbot process-equivalent: its own engine, cache and HTTP server; its
    scheduler runs if `schedule` (by default: if there are extra settings)."""
    slack_url = fake_slack[1]
    metrics = Metrics()
    cache = ListingCache(ttl=60, maxsize=64, clock=fixed_clock)
    metrics.watch_cache(lambda: (cache.hits, cache.misses))
    if source is None:
        # The simulator's API lists instances and policies too, as production's does.
        api = make_api(
            httpx.AsyncClient(), simulator.url, fake_time, timeout=10, observer=metrics.upstream
        )
        inventory = InventoryCache(api, ttl=600, clock=fixed_clock)
        engine = Engine.over(
            source=api, cache=cache, clock=fixed_clock, inventory=inventory, restores=api.restores
        )
    else:
        engine = Engine.over(source=source, cache=cache, clock=fixed_clock)
    settings = slack_settings(slack_url, state, **(env or {}))
    bot = build(
        settings,
        engines or Engines.single(engine),
        simulated=False,
        mode="http",
        clock=fixed_clock,
        metrics=metrics,
        secrets=secrets,
    )
    # With extra settings the scheduler runs too, as in `backupbot serve`.
    scheduling = bool(env) if schedule is None else schedule
    server = ServerThread(http_app(bot, schedule=scheduling), lifespan="on").start()
    return bot, server


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    """Where this test's backupbot keeps its state."""
    return tmp_path / "state.sqlite3"


@pytest.fixture
async def harness(
    simulator: SimulatorServer,
    fake_slack: tuple[FakeSlack, str],
    fake_time: FakeTime,
    state_file: Path,
) -> Any:
    bot, server = start_bot(simulator, fake_slack, fake_time, state_file)
    async with httpx.AsyncClient(timeout=30) as client:
        yield Harness(
            bot=bot, server=server, slack=fake_slack[0], slack_url=fake_slack[1], client=client
        )
    server.stop()


@pytest.fixture
async def harness_of_each_backend(
    simulator: SimulatorServer,
    fake_slack: tuple[FakeSlack, str],
    fake_time: FakeTime,
    state_file: Path,
    migrated_url: str,
) -> Any:
    """The harness with its state on each backend in turn (no scheduler of its own: a test
    ticks one on the same database when it needs to)."""
    env = {"BACKUPBOT_DATABASE_URL": migrated_url}
    bot, server = start_bot(simulator, fake_slack, fake_time, state_file, env=env, schedule=False)
    async with httpx.AsyncClient(timeout=30) as client:
        yield Harness(
            bot=bot, server=server, slack=fake_slack[0], slack_url=fake_slack[1], client=client
        )
    server.stop()


from tests.slack.backup_scene import scene  # noqa: E402, F401  (a fixture, for the backup tests)
