"""Surviving every fault, end to end: each case ends with a clear message or a retried
success, the process healthy, and nothing half-done (no failed read is cached)."""

from __future__ import annotations

import json
import math
import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from pydantic import SecretStr

from bot.core.backup_source import BackupSource
from bot.huawei.auth import IamToken
from bot.huawei.client import BackupsApi
from bot.huawei.simulator import Fault, SimulatorState
from bot.huawei.simulator.server import SimulatorServer
from bot.slack import blocks
from bot.slack.webapi import slack_session, web_client
from tests.conftest import NOW, FakeTime, make_api
from tests.fakes.slack import BOT_USER, Call, Failure, FakeSlack, sign
from tests.slack.conftest import Harness, start_bot

FORM = "application/x-www-form-urlencoded"


async def run_harness(
    simulator: SimulatorServer, fake_slack: tuple[FakeSlack, str], fake_time: FakeTime,
    state_file: Path, source: BackupSource | None = None, env: dict[str, str] | None = None,
) -> AsyncIterator[Harness]:  # fmt: skip
    bot, server = start_bot(simulator, fake_slack, fake_time, state_file, source=source, env=env)
    async with httpx.AsyncClient(timeout=60) as client:
        yield Harness(bot, server, fake_slack[0], fake_slack[1], client)
    server.stop()


def answer_text(call: Call) -> str:
    return json.dumps(call.payload, ensure_ascii=False)


async def ask_twice_and_check_health(harness: Harness, state: SimulatorState) -> tuple[str, str]:
    """Ask once under the fault, once after it: both replies, and the bot must be healthy."""
    await harness.command("payments-prod last 14d failed")
    first = answer_text(harness.slack.wait_for_method("response_url", 1, timeout=60)[0])
    state.faults.clear()
    # Counted where requests are sent: a cancelled request of the first ask may still reach
    # the simulator after this point, and must not be taken for one of the second.
    api = harness.bot.engines.engine(None).reader.source
    assert isinstance(api, BackupsApi)
    before = api.requests_made
    await harness.command("payments-prod last 14d failed")
    second = answer_text(harness.slack.wait_for_method("response_url", 2, timeout=60)[1])
    health = await harness.client.get(f"{harness.server.url}/healthz")
    assert health.status_code == 200
    await harness.idle()
    assert "Backups: payments-prod last 14d failed" in second
    return first, f"{second}|upstream={api.requests_made - before}"


@pytest.mark.parametrize(
    ("faults", "expected"),
    [
        ([Fault("error", status=500, times=2)], "Backups: payments-prod"),
        ([Fault("error", status=500, times=20)], "DBS.05000001"),
        ([Fault("throttle", retry_after=1)], "Backups: payments-prod"),
        ([Fault("throttle")], "Backups: payments-prod"),
        ([Fault("throttle", retry_after=600)], "APIGW.0308"),
        ([Fault("malformed")], "Backups: payments-prod"),
        ([Fault("malformed", times=20)], "garbled"),
        ([Fault("repeat", rows=3, times=3)], "Backups: payments-prod"),
        ([Fault("insert", rows=2, times=3)], "Backups: payments-prod"),
    ],
    ids=[
        "500-then-success", "500-persistent", "429-retry-after", "429-without-retry-after",
        "429-retry-after-beyond-budget", "malformed-once", "malformed-persistent",
        "page-repeats-rows", "total-count-changes",
    ],
)  # fmt: skip
async def test_upstream_faults_end_cleanly(
    harness: Harness, state: SimulatorState, faults: list[Fault], expected: str
) -> None:
    state.faults.extend(faults)
    first, second = await ask_twice_and_check_health(harness, state)
    assert expected in first
    if "Backups:" not in first:
        assert "upstream=0" not in second, "a failed read must not be cached"


@pytest.fixture
async def slow_harness(
    simulator: SimulatorServer, fake_slack: tuple[FakeSlack, str], fake_time: FakeTime,
    state_file: Path,
) -> AsyncIterator[Harness]:  # fmt: skip
    # Generous enough that only a hung request times out, even on a busy machine.
    source = make_api(httpx.AsyncClient(), simulator.url, fake_time, timeout=1.0)
    async for harness in run_harness(simulator, fake_slack, fake_time, state_file, source):
        yield harness


async def test_a_hang_once_is_retried_to_success(
    slow_harness: Harness, state: SimulatorState
) -> None:
    state.faults.append(Fault("hang"))
    first, _ = await ask_twice_and_check_health(slow_harness, state)
    assert "Backups: payments-prod" in first


async def test_a_persistent_hang_is_a_clear_timeout(
    slow_harness: Harness, state: SimulatorState
) -> None:
    state.faults.append(Fault("hang", times=20))
    first, _ = await ask_twice_and_check_health(slow_harness, state)
    assert "did not answer within 1 s" in first


async def test_a_refused_connection_is_a_clear_message(
    simulator: SimulatorServer, fake_slack: tuple[FakeSlack, str], fake_time: FakeTime,
    state_file: Path,
) -> None:  # fmt: skip
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = make_api(httpx.AsyncClient(), f"http://127.0.0.1:{port}", fake_time)
    async for harness in run_harness(simulator, fake_slack, fake_time, state_file, source):
        await harness.command("payments-prod")
        text = answer_text(harness.slack.wait_for_method("response_url")[0])
        assert "Could not reach the TaurusDB API" in text
        assert (await harness.client.get(f"{harness.server.url}/healthz")).status_code == 200


async def test_an_iam_token_that_expires_mid_way_says_so_and_caches_nothing(
    simulator: SimulatorServer, fake_slack: tuple[FakeSlack, str], fake_time: FakeTime,
    state_file: Path, state: SimulatorState,
) -> None:  # fmt: skip
    state.tokens["iam-token"] = NOW + timedelta(hours=1)
    source = make_api(
        httpx.AsyncClient(), simulator.url, fake_time, credentials=IamToken(SecretStr("iam-token"))
    )
    async for harness in run_harness(simulator, fake_slack, fake_time, state_file, source):
        await harness.command("last 7d")  # the week health is judged from, now cached
        harness.slack.wait_for_method("response_url")
        state.faults.append(Fault("expire_tokens", skip=1))  # after the first page
        await harness.command("failed last 60d")  # seven pages
        text = answer_text(harness.slack.wait_for_method("response_url", 2)[1])
        assert "APIGW.0307" in text
        assert "The IAM token has expired" in text
        state.tokens["iam-token"] = NOW + timedelta(hours=1)  # a new token arrives
        # Counted where they are sent: requests of the first read cancelled mid-way may
        # still reach the simulator later, so its own count is not this read's.
        before = source.requests_made
        await harness.command("failed last 60d")
        assert "Backups: last 60d failed" in answer_text(
            harness.slack.wait_for_method("response_url", 3)[2]
        )
        assert source.requests_made - before == 7, "the half-read listing was not kept"


# -- Slack faults ----------------------------------------------------------------------


async def test_429_on_chat_update_is_retried(harness: Harness) -> None:
    await harness.command("last 30d")
    value = next(
        e["value"]
        for b in harness.slack.wait_for_method("response_url")[0].payload["blocks"]
        for e in b.get("elements", [])
        if e.get("action_id") == blocks.ACTION_NEXT
    )
    harness.slack.expired_response_urls.add("spent")
    harness.slack.failures.append(Failure("chat.update", retry_after=0))
    await harness.click(
        blocks.ACTION_NEXT,
        value,
        ephemeral=False,
        response_url=f"{harness.slack_url}/respond/spent",
    )
    updates = harness.slack.wait_for_method("chat.update", 2)
    assert "page 2 of" in answer_text(updates[1])


async def test_a_429_longer_than_the_slack_timeout_is_not_waited_for(harness: Harness) -> None:
    """README: every Slack call ends within BACKUPBOT_SLACK_TIMEOUT (10 s here). Slack's
    Retry-After of 5 minutes is not slept: the call fails at once, the asker is told."""
    harness.slack.failures.append(Failure("chat.postMessage", retry_after=300))
    mention = {"type": "app_mention", "user": "U0ASKER", "ts": "1.1", "channel": "C0BUSY",
               "text": f"<@{BOT_USER}> orders-prod"}  # fmt: skip
    await harness.event(mention, event_id="Ev0BUSY")
    (told,) = harness.slack.wait_for_method("chat.postEphemeral", timeout=30)
    assert "Slack asked backupbot to slow down" in json.dumps(told.payload)
    await harness.idle()
    assert len(harness.slack.calls_to("chat.postMessage")) == 1, "not retried after 300 s"
    metrics = (await harness.client.get(f"{harness.server.url}/metrics")).text
    assert 'backupbot_commands_total{kind="mention",outcome="slack_error"} 1.0' in metrics


async def test_a_call_and_its_retries_end_within_the_slack_timeout(
    fake_slack: tuple[FakeSlack, str],
) -> None:
    """Each answer takes Slack 0.7 s and says "retry at once" (429, Retry-After: 0): a retry
    fits in the 1 s budget, but the call ends at the budget, not a request later."""
    fake, url = fake_slack
    fake.failures.append(Failure("chat.postMessage", hang=0.7, retry_after=0, times=10))
    client = web_client(token=lambda: "xoxb-test", base_url=f"{url}/api/", timeout=1)
    client.session = slack_session(1)
    try:
        with pytest.raises(TimeoutError):
            await client.chat_postMessage(channel="C0SLOW", text="hello")
    finally:
        await client.session.close()
    assert len(fake.calls_to("chat.postMessage")) <= 2


async def test_a_gone_channel_and_a_slack_timeout_leave_the_bot_healthy(
    simulator: SimulatorServer, fake_slack: tuple[FakeSlack, str], fake_time: FakeTime,
    state_file: Path,
) -> None:  # fmt: skip
    async for harness in run_harness(
        simulator, fake_slack, fake_time, state_file, env={"BACKUPBOT_SLACK_TIMEOUT": "1"}
    ):
        fake = harness.slack
        fake.failures.append(Failure("chat.postMessage", error="channel_not_found"))
        fake.failures.append(Failure("chat.postEphemeral", error="channel_not_found"))
        mention = {"type": "app_mention", "user": "U0ASKER", "ts": "1.1", "channel": "C0GONE",
                   "text": f"<@{BOT_USER}> orders-prod"}  # fmt: skip
        await harness.event(mention, event_id="Ev0GONE")
        fake.wait_for_method("chat.postEphemeral")
        await harness.idle()
        fake.failures.append(Failure("chat.postMessage", hang=math.inf))
        await harness.event({**mention, "channel": "C0SLOW", "ts": "1.2"}, event_id="Ev0SLOW")
        fake.wait_for(  # the answer timed out after 1 s; the asker is told so
            lambda calls: any(
                c.method == "chat.postEphemeral" and c.payload["channel"] == "C0SLOW" for c in calls
            )
        )
        await harness.idle()
        assert fake.hanging == 1, "backupbot gave up; Slack had not answered yet"
        assert (await harness.client.get(f"{harness.server.url}/healthz")).status_code == 200
        await harness.command("orders-prod")
        assert "Backups: orders-prod" in answer_text(fake.wait_for_method("response_url")[0])
        metrics = (await harness.client.get(f"{harness.server.url}/metrics")).text
        expected = '{error="channel_not_found",method="chat.postMessage"} 1.0'
        assert f"backupbot_slack_api_errors_total{expected}" in metrics
        assert 'backupbot_commands_total{kind="mention",outcome="slack_error"} 2.0' in metrics
        assert 'outcome="bug"' not in metrics, "Slack's failures are not our bugs"


# -- malformed Slack requests ----------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("text/plain", "command=%2Fbackups&text=x&user_id=U1&channel_id=C1", 415),
        ("application/x-www-form-urlencoded", "text=orders-prod&user_id=U1", 400),
        ("application/x-www-form-urlencoded", "payload=%7Bnot+json", 400),
        ("application/x-www-form-urlencoded", "payload=%5B1%2C2%5D", 400),
        (FORM, urlencode({"payload": '{"type": "block_actions"}'}), 400),
        ("application/json", "[]", 400),
        ("application/json", '{"type": "event_callback"}', 400),
        ("application/json", "{", 400),
        ("application/x-www-form-urlencoded", "command=%2Fbackups&text=" + "x" * 300_000, 413),
    ],
    ids=[
        "wrong-content-type", "missing-fields", "invalid-json-payload", "payload-not-object",
        "actions-missing", "json-not-object", "event-missing", "broken-json", "huge-body",
    ],
)  # fmt: skip
async def test_malformed_requests_get_4xx_and_never_reach_a_listener(
    harness: Harness, state: SimulatorState, content_type: str, body: str, status: int
) -> None:
    headers = {"Content-Type": content_type, **sign(body)}
    response = await harness.client.post(harness.events_url, content=body, headers=headers)
    assert response.status_code == status
    await harness.idle()
    metrics = (await harness.client.get(f"{harness.server.url}/metrics")).text
    assert "backupbot_commands_total{" not in metrics
    assert state.request_count == 0
    assert [c.method for c in harness.slack.calls if c.method != "auth.test"] == []


async def test_a_response_url_that_never_answers_times_out_and_the_web_api_delivers(
    simulator: SimulatorServer, fake_slack: tuple[FakeSlack, str], fake_time: FakeTime,
    state_file: Path,
) -> None:  # fmt: skip
    async for harness in run_harness(
        simulator, fake_slack, fake_time, state_file, env={"BACKUPBOT_SLACK_TIMEOUT": "1"}
    ):
        fake = harness.slack
        fake.failures.append(Failure("response_url", hang=math.inf))
        await harness.command("orders-prod")
        (ephemeral,) = fake.wait_for_method("chat.postEphemeral")
        assert "Backups: orders-prod" in answer_text(ephemeral)
        assert ephemeral.payload["user"] == "U0ASKER"
        assert fake.hanging == 1, "the response_url is still hanging: backupbot gave up on it"


async def test_a_hung_slack_holds_back_no_one_elses_answer(
    simulator: SimulatorServer, fake_slack: tuple[FakeSlack, str], fake_time: FakeTime,
    state_file: Path,
) -> None:  # fmt: skip
    async for harness in run_harness(
        simulator, fake_slack, fake_time, state_file, env={"BACKUPBOT_SLACK_TIMEOUT": "60"}
    ):
        fake = harness.slack
        fake.failures.append(Failure("response_url", hang=math.inf, times=20))
        try:
            for number in range(20):  # more than the 16 work slots
                await harness.command("orders-prod last 3d", user=f"U0SLOW{number}")
            fake.wait_for_hanging(20)
            mention = {
                "type": "app_mention", "user": "U0OTHER", "ts": "2.1", "channel": "C0ELSEWHERE",
                "text": f"<@{BOT_USER}> payments-prod",
            }  # fmt: skip
            await harness.event(mention, event_id="Ev0ELSEWHERE")
            (answer,) = fake.wait_for_method("chat.postMessage")
            assert answer.payload["channel"] == "C0ELSEWHERE"
            assert "Backups: payments-prod" in answer_text(answer)
            assert fake.hanging == 20, "answered while the 20 deliveries still hang"
        finally:
            fake.release_hangs()
        fake.wait_for_method("response_url", 20)
        await harness.idle()


async def test_a_failed_time_zone_lookup_is_asked_again_next_time(harness: Harness) -> None:
    harness.slack.failures.append(Failure("users.info", error="ratelimited"))
    await harness.command("orders-prod today")
    harness.slack.wait_for_method("response_url")
    await harness.command("orders-prod today")
    harness.slack.wait_for_method("response_url", 2)
    assert len(harness.slack.calls_to("users.info")) == 2, "UTC was a stopgap, not remembered"
