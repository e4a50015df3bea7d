"""Hostile and random input through the HTTP app: nothing escapes, replies stay valid and safe.

A fixed budget of examples keeps CI fast; each example is a really signed request into
the real app, answered from the simulator, delivered to the fake Slack.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app.modes import http_app
from bot.app.wiring import App, build
from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine, Engines
from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.records import backup_record
from bot.huawei.simulator.server import SimulatorServer
from bot.metrics import Metrics
from bot.slack import blocks
from tests.conftest import NOW, FakeTime, fixed_clock, make_api
from tests.fakes.blockkit import block_problems
from tests.fakes.slack import FakeSlack, sign
from tests.slack.conftest import Harness, slack_settings

BUDGET = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PINGS = ("<!channel", "<!here", "<!everyone", "<!subteam")
SPICY = st.sampled_from(
    ["<!channel>", "<!here>", "<@U0VICTIM>", "&amp;", "<https://evil|click>", "*bold*", "`x`",
     "orders-prod", "last", "7d", "failed", "@prod", "digest", "watch", "help", "🔥", "\x00"]
)  # fmt: skip
TEXTS = st.one_of(st.text(max_size=200), st.lists(SPICY, max_size=12).map(" ".join))


class InProcess:
    """backupbot's HTTP app called in-process (ASGI), its background work awaited."""

    def __init__(self, bot: App, client: httpx.AsyncClient, metrics: Metrics) -> None:
        self.bot = bot
        self.client = client
        self.metrics = metrics

    async def send(self, body: str, content_type: str) -> httpx.Response:
        headers = {"Content-Type": content_type, **sign(body)}
        response = await self.client.post("/slack/events", content=body, headers=headers)
        await self.bot.tasks.drain()
        return response


@pytest.fixture
async def app(
    simulator: SimulatorServer, fake_slack: tuple[FakeSlack, str], fake_time: FakeTime,
    tmp_path: Path,
) -> AsyncIterator[InProcess]:  # fmt: skip
    metrics = Metrics()
    async with httpx.AsyncClient() as upstream:
        engine = Engine.over(
            source=make_api(upstream, simulator.url, fake_time),
            cache=ListingCache(ttl=60, maxsize=64, clock=fixed_clock),
            clock=fixed_clock,
        )
        settings_ = slack_settings(fake_slack[1], tmp_path / "state.sqlite3")
        bot = build(
            settings_, Engines.single(engine), simulated=False, mode="http", metrics=metrics,
            clock=fixed_clock,
        )  # fmt: skip
        await bot.start()
        transport = httpx.ASGITransport(app=http_app(bot, schedule=False))
        async with httpx.AsyncClient(transport=transport, base_url="http://backupbot") as client:
            yield InProcess(bot, client, metrics)
        await bot.close()


def replies_since(fake: FakeSlack, start: int) -> list[dict[str, Any]]:
    return [call.payload for call in fake.calls[start:] if call.method != "auth.test"]


def assert_safe(payloads: list[dict[str, Any]]) -> None:
    for payload in payloads:
        text = json.dumps(payload, ensure_ascii=False)
        for ping in PINGS:
            assert ping not in text, f"unescaped {ping} in {text[:300]}"
        if "blocks" in payload:
            problems = block_problems(payload["blocks"])
            assert not problems, problems


def bugs(metrics: Metrics) -> float:
    total = 0.0
    for metric in metrics.registry.collect():
        for sample in metric.samples:
            if sample.name == "backupbot_commands_total" and sample.labels.get("outcome") == "bug":
                total += sample.value
    return total


@BUDGET
@given(text=TEXTS)
async def test_any_command_text_gets_a_safe_valid_reply(
    app: InProcess, fake_slack: tuple[FakeSlack, str], text: str
) -> None:
    fake, slack_url = fake_slack
    start = len(fake.calls)
    body = urlencode(
        {"command": "/backups", "text": text, "user_id": "U0FUZZ", "channel_id": "C0FUZZ",
         "team_id": "T0001", "response_url": f"{slack_url}/respond/fuzz"}
    )  # fmt: skip
    response = await app.send(body, "application/x-www-form-urlencoded")
    assert response.status_code in (200, 400, 413)
    replies = replies_since(fake, start)
    if response.status_code == 200:
        assert replies, "every accepted command is answered"
    assert_safe(replies)
    assert bugs(app.metrics) == 0


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def slack_bodies(draw: st.DrawFn) -> tuple[str, str]:
    """Whole Slack requests, mostly well-formed, with hostile or random content."""
    kind = draw(st.sampled_from(["click", "event", "form", "json"]))
    if kind == "click":
        action = {
            "type": "button",
            "action_id": draw(st.sampled_from([*blocks.ACTIONS, "nope"]) | st.text(max_size=10)),
            "value": draw(st.text(max_size=80) | JSONISH.map(json.dumps)),
        }
        payload: Any = {
            "type": "block_actions",
            "team": {"id": "T0001"},
            "user": {"id": draw(st.sampled_from(["U0FUZZ", ""]) | st.text(max_size=5))},
            "channel": {"id": "C0FUZZ"},
            "container": {"is_ephemeral": draw(st.booleans())},
            "actions": [action],
            "response_url": "http://127.0.0.1:9/respond/x",
        }
        if draw(st.booleans()):
            payload = draw(JSONISH)
        return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    if kind == "event":
        event = {
            "type": draw(
                st.sampled_from(["app_mention", "message", "app_home_opened", "reaction_added"])
            ),
            "user": "U0FUZZ",
            "text": draw(TEXTS),
            "channel": "C0FUZZ",
            "channel_type": draw(st.sampled_from(["im", "channel"])),
            "ts": "1.1",
        }
        body = {
            "type": "event_callback", "team_id": "T0001", "api_app_id": "A0",
            "event_id": f"Ev{draw(st.integers(0, 10**9))}", "event": event,
        }  # fmt: skip
        return json.dumps(body), "application/json"
    if kind == "form":
        fields = draw(st.dictionaries(st.text(max_size=12), st.text(max_size=30), max_size=5))
        return urlencode(fields), draw(
            st.sampled_from(["application/x-www-form-urlencoded", "text/plain", ""])
        )
    return json.dumps(draw(JSONISH)), "application/json"


@BUDGET
@given(request=slack_bodies())
async def test_any_slack_payload_is_handled_or_refused_never_crashes(
    app: InProcess, fake_slack: tuple[FakeSlack, str], request: tuple[str, str]
) -> None:
    fake = fake_slack[0]
    start = len(fake.calls)
    body, content_type = request
    response = await app.send(body, content_type)
    assert response.status_code < 500, response.text
    assert_safe(replies_since(fake, start))
    assert bugs(app.metrics) == 0
    assert (await app.client.get("/healthz")).status_code == 200


async def test_a_value_too_long_for_a_button_leaves_out_that_button_not_the_answer(
    harness: Harness, state: SimulatorState, caplog: pytest.LogCaptureFixture
) -> None:
    hostile = {"accents": "é" * 400, "quotes": '"' * 700}  # escaped, each is over 2,000
    for hours, (name, backup_id) in enumerate(hostile.items(), start=1):
        record = backup_record(
            profile_name="orders-prod", begin=NOW - timedelta(hours=hours), minutes=5,
            status="COMPLETED", kind="manual", size_mb=10, serial=f"hostile{hours}",
        )  # fmt: skip
        state.fleet.add({**record, "id": backup_id, "name": f"hostile-{name}"})
    with caplog.at_level(logging.WARNING, logger="backupbot.slack"):
        await harness.command("orders-prod last 1d")
        message = harness.slack.wait_for_method("response_url")[0].payload
        await harness.idle()
    assert message["blocks"][0]["text"]["text"] == "Backups: orders-prod last 1d"
    rows = {
        block["text"]["text"].split("`")[1]: block
        for block in message["blocks"]
        if block["type"] == "section" and block["text"]["text"].count("`") >= 2
    }
    assert {"hostile-accents", "hostile-quotes"} <= set(rows), "both rows are still listed"
    assert "accessory" not in rows["hostile-accents"]
    assert "accessory" not in rows["hostile-quotes"]
    others = [row for name, row in rows.items() if not name.startswith("hostile-")]
    assert others
    assert all(row["accessory"]["action_id"] == blocks.ACTION_DETAILS for row in others)
    assert harness.slack.problems == []
    left_out = [r.getMessage() for r in caplog.records if "left out the Details" in r.getMessage()]
    assert len(left_out) == 2
    assert all("over Slack's 2,000" in line for line in left_out)
