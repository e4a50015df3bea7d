"""The scene of the backup-action tests: backupbot with an action rule and its own
clock, serving HTTP against the simulator and the fake Slack; helpers to ask and click."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app.modes import http_app
from bot.app.wiring import App, build
from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine, Engines
from bot.core.health.inventory_cache import InventoryCache
from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.server import SimulatorServer
from bot.metrics import Metrics
from bot.support.serving import ServerThread
from tests.conftest import NOW, FakeTime, SettableClock, make_api
from tests.fakes.slack import Call, FakeSlack
from tests.slack.conftest import Harness, slack_settings

RULES = (
    '[[allow]]\nchannels = ["C0INCIDENT", "D0DM"]\n\n'
    '[[allow]]\nchannels = ["C0INCIDENT", "D0DM"]\nusers = ["U0ASKER", "U0OTHER"]\n'
    'actions = ["backup"]\n'
)


@dataclass
class Scene:
    """backupbot with an action rule, its own clock, and the simulator's state."""

    harness: Harness
    clock: SettableClock
    state: SimulatorState

    @property
    def slack(self) -> FakeSlack:
        return self.harness.slack

    def creates(self) -> list[Any]:
        """The create requests the simulator received (the ground truth of "called")."""
        return [r for r in self.state.requests if r.path.endswith("/backups/create")]

    def backups_named(self, name: str) -> list[dict[str, Any]]:
        return [s.record for s in self.state.fleet.backups if s.record.get("name") == name]

    def reply(self, count: int) -> dict[str, Any]:
        return self.slack.wait_for_method("response_url", count)[count - 1].payload

    def move_simulator(self, minutes: float) -> None:
        moved = NOW + timedelta(minutes=minutes)
        self.state.clock = lambda: moved


def _start(
    tmp_path: Path, simulator: SimulatorServer, slack_url: str, fake_time: FakeTime,
    clock: SettableClock, rules: str,
) -> tuple[App, ServerThread]:  # fmt: skip
    access = tmp_path / "access.toml"
    access.write_text(rules)
    api = make_api(httpx.AsyncClient(), simulator.url, fake_time, timeout=10)
    engine = Engine.over(
        source=api,
        cache=ListingCache(ttl=60, maxsize=64, clock=clock),
        clock=clock,
        inventory=InventoryCache(api, ttl=600, clock=clock),
    )
    settings = slack_settings(
        slack_url, tmp_path / "state.sqlite3",
        BACKUPBOT_ACCESS_FILE=str(access), BACKUPBOT_SCHEDULER_TICK_SECONDS="0.05",
    )  # fmt: skip
    bot = build(
        settings, Engines.single(engine, maker=api), simulated=False, mode="http",
        clock=clock, metrics=Metrics(),
    )  # fmt: skip
    return bot, ServerThread(http_app(bot, schedule=True), lifespan="on").start()


@pytest.fixture
async def scene(
    tmp_path: Path,
    simulator: SimulatorServer,
    fake_slack: tuple[FakeSlack, str],
    fake_time: FakeTime,
    state: SimulatorState,
) -> AsyncIterator[Scene]:
    clock = SettableClock()
    bot, server = _start(tmp_path, simulator, fake_slack[1], fake_time, clock, RULES)
    async with httpx.AsyncClient(timeout=30) as client:
        harness = Harness(
            bot=bot, server=server, slack=fake_slack[0], slack_url=fake_slack[1], client=client
        )
        yield Scene(harness, clock, state)
    server.stop()


def button_value(payload: dict[str, Any], action_id: str) -> str:
    for block in payload.get("blocks", []):
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return str(element["value"])
    raise AssertionError(f"no {action_id} button in {json.dumps(payload)[:500]}")


def posted_in_channel(slack: FakeSlack) -> list[Call]:
    return [
        c for c in slack.calls_to("chat.postMessage") if c.payload.get("channel") == "C0INCIDENT"
    ]


async def ask(scene: Scene, text: str, count: int, **who: str) -> dict[str, Any]:
    assert (await scene.harness.command(text, **who)).status_code == 200
    return scene.reply(count)
