"""Socket Mode for real: a websocket on 127.0.0.1 delivers a slash command envelope."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from bot.app.modes import socket_mode
from bot.app.wiring import build, slack_client
from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine, Engines
from bot.huawei.simulator.server import SimulatorServer
from bot.metrics import Metrics
from bot.slack.socket_mode import keep_alive
from bot.support.serving import free_port
from tests.conftest import FakeTime, fixed_clock, make_api
from tests.fakes.slack import Failure, FakeSlack
from tests.slack.conftest import slack_settings


async def test_a_command_over_socket_mode_is_acked_on_the_socket_and_answered(
    simulator: SimulatorServer,
    fake_slack: tuple[FakeSlack, str],
    fake_time: FakeTime,
    state_file: Path,
) -> None:
    fake, slack_url = fake_slack
    fake.socket_url = slack_url.replace("http://", "ws://") + "/socket"
    fake.socket_envelopes.append(
        {
            "envelope_id": "env-1",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": {
                "team_id": "T0001",
                "channel_id": "C0INCIDENT",
                "user_id": "U0ASKER",
                "command": "/backups",
                "text": "orders-prod last 7d",
                "response_url": f"{slack_url}/respond/socket-1",
                "api_app_id": "A0BACKUP",
            },
        }
    )
    async with httpx.AsyncClient() as http:
        engine = Engine.over(
            source=make_api(http, simulator.url, fake_time),
            cache=ListingCache(ttl=60, maxsize=8, clock=fixed_clock),
            clock=fixed_clock,
        )
        settings = slack_settings(slack_url, state_file, SLACK_APP_TOKEN="xapp-1-test")
        bot = build(
            settings,
            Engines.single(engine),
            simulated=False,
            mode="socket",
            clock=fixed_clock,
            metrics=Metrics(),
        )
        running = asyncio.ensure_future(socket_mode(bot, "xapp-1-test", schedule=False))
        try:
            ack = (await asyncio.to_thread(fake.wait_for_method, "socket_ack"))[0]
            answer = (await asyncio.to_thread(fake.wait_for_method, "response_url"))[0]
        finally:
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running
    assert ack.payload["envelope_id"] == "env-1"
    assert answer.payload["url_id"] == "socket-1"
    assert "orders-prod last 7d" in answer.payload["text"]
    assert fake.calls_to("apps.connections.open")
    assert fake.problems == []


class StubSocketClient:
    """Stands in for slack_sdk's SocketModeClient: reports a dead socket, counts reconnects."""

    def __init__(self, connected: bool) -> None:
        self.connected = connected
        self.reconnects = 0
        self.app_token = "xapp-1-test"
        self.reconnected_with: list[str] = []

    async def is_connected(self) -> bool:
        return self.connected

    async def connect_to_new_endpoint(self, force: bool = False) -> None:
        self.reconnects += 1
        self.reconnected_with.append(self.app_token)
        self.connected = True


class StubHandler:
    def __init__(self, client: StubSocketClient) -> None:
        self.client = client


async def test_keep_alive_checks_the_token_and_reconnects_a_dead_socket(
    fake_slack: tuple[FakeSlack, str], state_file: Path
) -> None:
    fake, slack_url = fake_slack
    client = slack_client(slack_settings(slack_url, state_file))
    dead, alive = StubSocketClient(connected=False), StubSocketClient(connected=True)
    await keep_alive(client, StubHandler(dead))  # type: ignore[arg-type]  # duck-typed stand-in
    await keep_alive(client, StubHandler(alive))  # type: ignore[arg-type]
    assert (dead.reconnects, alive.reconnects) == (1, 0)
    assert len(fake.calls_to("auth.test")) == 2


async def test_a_reconnection_uses_the_app_token_as_its_file_holds_it_now(
    fake_slack: tuple[FakeSlack, str], state_file: Path
) -> None:
    client = slack_client(slack_settings(fake_slack[1], state_file))
    dead = StubSocketClient(connected=False)
    await keep_alive(client, StubHandler(dead), app_token=lambda: "xapp-1-rotated")  # type: ignore[arg-type]
    assert dead.reconnected_with == ["xapp-1-rotated"]


def test_the_socket_command_serves_healthz_and_metrics_for_the_container(
    fake_slack: tuple[FakeSlack, str], tmp_path: Path
) -> None:
    fake, slack_url = fake_slack
    fake.socket_url = slack_url.replace("http://", "ws://") + "/socket"
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "BACKUPBOT_"))
    }
    environment.update(
        {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-1-test",
         "SLACK_API_URL": f"{slack_url}/api/", "BACKUPBOT_STATE": str(tmp_path / "s.sqlite3")}
    )  # fmt: skip
    child = subprocess.Popen(
        [sys.executable, "-m", "bot", "socket", "--simulator", "--host", "127.0.0.1",
         "--port", str(port)],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                assert child.poll() is None, child.stderr.read() if child.stderr else ""
                assert time.monotonic() < deadline, "the health endpoint never came up"
                time.sleep(0.1)  # waiting for another process to start
        assert health.status_code == 200
        metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
        assert "backupbot_commands" in metrics.text
        fake.wait_for_method("socket_connected")
    finally:
        child.terminate()
        child.wait(10)


class Seen(logging.Handler):
    """Sets `event` when a log record contains `text`."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.event = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.text in record.getMessage():
            self.event.set()


async def test_a_socket_mode_handshake_that_hangs_is_given_up_after_the_slack_timeout(
    simulator: SimulatorServer,
    fake_slack: tuple[FakeSlack, str],
    fake_time: FakeTime,
    state_file: Path,
) -> None:
    fake, slack_url = fake_slack
    fake.socket_url = slack_url.replace("http://", "ws://") + "/socket"
    fake.failures.append(Failure("socket", hang=math.inf))
    gave_up = Seen("Failed to connect")
    logger = logging.getLogger("backupbot.bolt")
    logger.addHandler(gave_up)
    async with httpx.AsyncClient() as http:
        engine = Engine.over(
            source=make_api(http, simulator.url, fake_time),
            cache=ListingCache(ttl=60, maxsize=8, clock=fixed_clock),
            clock=fixed_clock,
        )
        settings = slack_settings(
            slack_url, state_file, SLACK_APP_TOKEN="xapp-1-test", BACKUPBOT_SLACK_TIMEOUT="1"
        )
        bot = build(
            settings, Engines.single(engine), simulated=False, mode="socket", clock=fixed_clock,
            metrics=Metrics(),
        )  # fmt: skip
        running = asyncio.ensure_future(socket_mode(bot, "xapp-1-test", schedule=False))
        try:
            assert await asyncio.to_thread(gave_up.event.wait, 30), "still waiting on the socket"
            assert fake.hanging == 1, "given up while Slack still held the handshake"
        finally:
            logger.removeHandler(gave_up)
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running
