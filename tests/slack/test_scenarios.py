"""Through the front door: signed requests into backupbot over HTTP, answers at a fake Slack."""

from __future__ import annotations

import functools
import json
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.core.backup_source import WHOLE, BackupListing, Rows
from bot.core.params import ListBackupsParams
from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.server import SimulatorServer
from bot.slack import blocks
from tests.conftest import FakeTime
from tests.fakes.slack import BOT_USER, Call, Failure, FakeSlack, sign
from tests.slack.conftest import Harness, start_bot


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """action_id -> value of the buttons in a message's actions block."""
    found = {}
    for block in message["blocks"]:
        for element in block.get("elements", []):
            if element.get("type") == "button":
                found[element["action_id"]] = element["value"]
    return found


def backup_names(message: dict[str, Any]) -> list[str]:
    """The backup names listed in an answer, in order."""
    names = []
    for block in message["blocks"]:
        if block.get("accessory", {}).get("action_id") == blocks.ACTION_DETAILS:
            first_line = block["text"]["text"].split("\n")[0]
            names.append(first_line.split("`")[1])
    return names


def responses(slack: FakeSlack, count: int = 1) -> list[Call]:
    return slack.wait_for_method("response_url", count)


async def test_a_command_is_acked_at_once_and_answered_with_the_right_backups(
    harness: Harness, state: SimulatorState
) -> None:
    ack = await harness.command("orders-prod last 7d failed")
    assert ack.status_code == 200
    (answer,) = responses(harness.slack)
    message = answer.payload
    assert message["response_type"] == "ephemeral"
    expected = [
        s.record["name"]
        for s in state.fleet.backups
        if s.record["instance_name"] == "orders-prod"
        and s.record["status"] == "FAILED"
        and s.begin >= state.clock() - timedelta(days=7)
    ]
    assert backup_names(message) == expected
    assert message["blocks"][0]["text"]["text"] == "Backups: orders-prod last 7d failed"
    assert blocks.ACTION_SHARE in buttons(message)
    assert harness.slack.problems == []


async def test_next_then_previous_replace_the_message_in_place(harness: Harness) -> None:
    await harness.command("last 30d")
    first = responses(harness.slack)[0].payload
    page_one = backup_names(first)
    assert len(page_one) == 10
    assert blocks.ACTION_PREVIOUS not in buttons(first)
    await harness.click(blocks.ACTION_NEXT, buttons(first)[blocks.ACTION_NEXT])
    second = responses(harness.slack, 2)[1].payload
    assert second["replace_original"] is True
    page_two = backup_names(second)
    assert len(page_two) == 10
    assert not set(page_one) & set(page_two)
    assert "page 2 of" in json.dumps(second)
    await harness.click(blocks.ACTION_PREVIOUS, buttons(second)[blocks.ACTION_PREVIOUS])
    third = responses(harness.slack, 3)[2].payload
    assert backup_names(third) == page_one
    assert harness.slack.problems == []


async def test_a_click_works_after_a_restart_of_the_app(
    harness: Harness,
    simulator: SimulatorServer,
    fake_slack: tuple[FakeSlack, str],
    fake_time: FakeTime,
    state_file: Path,
) -> None:
    await harness.command("last 30d")
    value = buttons(responses(harness.slack)[0].payload)[blocks.ACTION_NEXT]
    harness.server.stop()
    _, restarted = start_bot(simulator, fake_slack, fake_time, state_file)
    try:
        harness.server = restarted
        await harness.click(blocks.ACTION_NEXT, value)
        answer = responses(harness.slack, 2)[1].payload
        assert "page 2 of" in json.dumps(answer)
    finally:
        restarted.stop()


async def test_a_tampered_button_gets_a_polite_error_and_no_upstream_call(
    harness: Harness, state: SimulatorState
) -> None:
    await harness.command("last 30d")
    value = buttons(responses(harness.slack)[0].payload)[blocks.ACTION_NEXT]
    before = state.request_count
    tampered = value.replace('\\"p\\":1', '\\"p\\":7')
    assert tampered != value
    await harness.click(blocks.ACTION_NEXT, tampered)
    reply = responses(harness.slack, 2)[1].payload
    assert "older answer" in reply["text"]
    assert reply.get("replace_original") is False
    assert state.request_count == before


async def test_the_ack_never_waits_for_the_upstream(
    harness: Harness, state: SimulatorState
) -> None:
    state.held = threading.Event()  # the API answers nothing until released
    try:
        ack = await harness.command("payments-prod")
        assert ack.status_code == 200, "acknowledged while the API is still holding the answer"
        assert harness.slack.calls_to("response_url") == [], "no answer before the API's"
    finally:
        state.held.set()
    answer = harness.slack.wait_for_method("response_url")[0]
    assert "payments-prod" in answer.payload["text"]


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({"X-Slack-Signature": "v0=" + "0" * 64}, "bad signature"),
        (sign("x", timestamp=int(time.time()) - 600), "stale timestamp"),
        ({}, "no signature"),
    ],
)
async def test_unsigned_or_stale_requests_are_refused_with_401_and_no_upstream_call(
    harness: Harness, state: SimulatorState, headers: dict[str, str], why: str
) -> None:
    body = "command=%2Fbackups&text=orders-prod&user_id=U1&channel_id=C1&team_id=T1"
    stamped = {"X-Slack-Request-Timestamp": str(int(time.time()))}
    stamped.update(headers)
    response = await harness.client.post(
        harness.events_url,
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", **stamped},
    )
    assert response.status_code == 401, why
    assert state.request_count == 0


async def test_a_mention_is_answered_in_its_thread_for_everyone(harness: Harness) -> None:
    await harness.event(
        {
            "type": "app_mention",
            "user": "U0ASKER",
            "text": f"<@{BOT_USER}> orders-prod last 7d",
            "ts": "1700000000.000200",
            "channel": "C0INCIDENT",
        }
    )
    (post,) = harness.slack.wait_for_method("chat.postMessage")
    assert post.payload["channel"] == "C0INCIDENT"
    assert post.payload["thread_ts"] == "1700000000.000200"
    assert "orders-prod last 7d" in post.payload["text"]
    assert blocks.ACTION_SHARE not in buttons(post.payload)
    assert harness.slack.problems == []


async def test_a_retried_event_is_answered_once(harness: Harness) -> None:
    event = {
        "type": "app_mention",
        "user": "U0ASKER",
        "text": f"<@{BOT_USER}> payments-prod",
        "ts": "1700000000.000300",
        "channel": "C0INCIDENT",
    }
    await harness.event(event, event_id="Ev0RETRY")
    await harness.event(
        event,
        event_id="Ev0RETRY",
        **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    await harness.event({**event, "ts": "1700000000.000400"}, event_id="Ev0OTHER")
    harness.slack.wait_for_method("chat.postMessage", 2)
    await harness.idle()
    threads = [c.payload["thread_ts"] for c in harness.slack.calls_to("chat.postMessage")]
    assert sorted(threads) == ["1700000000.000300", "1700000000.000400"]


async def test_a_direct_message_is_answered_in_the_dm(harness: Harness) -> None:
    await harness.event(
        {
            "type": "message",
            "channel_type": "im",
            "user": "U0ASKER",
            "text": "failed last 7d",
            "ts": "1700000000.000500",
            "channel": "D0DM",
        }
    )
    (post,) = harness.slack.wait_for_method("chat.postMessage")
    assert post.payload["channel"] == "D0DM"
    assert "thread_ts" not in post.payload or post.payload["thread_ts"] is None


async def test_help_shows_the_grammar_with_examples(harness: Harness) -> None:
    await harness.command("help")
    (reply,) = responses(harness.slack)
    text = json.dumps(reply.payload)
    assert "TARGET" in text
    assert "orders-prod last 7d failed" in text
    assert reply.payload["response_type"] == "ephemeral"


async def test_a_usage_error_is_ephemeral_and_says_what_to_do(
    harness: Harness, state: SimulatorState
) -> None:
    await harness.command("orders-prod faild")
    (reply,) = responses(harness.slack)
    assert reply.payload["response_type"] == "ephemeral"
    assert "unknown word 'faild'" in reply.payload["text"]
    assert "did you mean 'failed'?" in reply.payload["text"]
    assert state.request_count == 0


async def test_an_api_error_shows_its_code_message_and_request_id(
    harness: Harness, state: SimulatorState
) -> None:
    state.credentials.clear()  # every signature is now refused
    await harness.command("orders-prod")
    (reply,) = responses(harness.slack)
    text = json.dumps(reply.payload)
    assert "APIGW.0301" in text
    assert "request id" in text
    assert reply.payload["response_type"] == "ephemeral"


async def test_user_text_is_escaped_and_cannot_ping_the_channel(harness: Harness) -> None:
    await harness.command("<!channel> orders-prod")
    (reply,) = responses(harness.slack)
    assert "<!channel>" not in json.dumps(reply.payload)


async def test_share_in_channel_posts_the_answer_for_everyone(harness: Harness) -> None:
    await harness.command("orders-prod last 7d")
    private = responses(harness.slack)[0].payload
    await harness.click(blocks.ACTION_SHARE, buttons(private)[blocks.ACTION_SHARE])
    shared, deleted = responses(harness.slack, 3)[1:3]
    assert shared.payload["response_type"] == "in_channel"
    assert "shared by <@U0ASKER>" in json.dumps(shared.payload)
    assert blocks.ACTION_SHARE not in buttons(shared.payload)
    assert deleted.payload.get("delete_original") is True


async def test_details_show_the_full_record_and_back_returns_to_the_list(harness: Harness) -> None:
    await harness.command("orders-prod last 7d")
    listing = responses(harness.slack)[0].payload
    detail_value = next(
        block["accessory"]["value"]
        for block in listing["blocks"]
        if block.get("accessory", {}).get("action_id") == blocks.ACTION_DETAILS
    )
    await harness.click(blocks.ACTION_DETAILS, detail_value)
    detail = responses(harness.slack, 2)[1].payload
    text = json.dumps(detail)
    for field in ("instance_id", "backup_level", "datastore", "take_up_time"):
        assert field in text
    await harness.click(blocks.ACTION_BACK, buttons(detail)[blocks.ACTION_BACK])
    back = responses(harness.slack, 3)[2].payload
    assert backup_names(back) == backup_names(listing)
    assert harness.slack.problems == []


async def test_response_url_is_not_used_past_its_limit(harness: Harness) -> None:
    await harness.command("last 30d")
    value = buttons(responses(harness.slack)[0].payload)[blocks.ACTION_REFRESH]
    url = harness.response_url()
    for clicks in range(1, 7):  # one response_url, six clicks: Slack allows five uses
        await harness.click(blocks.ACTION_REFRESH, value, ephemeral=False, response_url=url)
        harness.slack.wait_for(functools.partial(delivered_more_than, clicks))
    reused = [c for c in harness.slack.calls_to("response_url") if c.payload["url_id"] == "r2"]
    assert len(reused) == 5
    (update,) = harness.slack.calls_to("chat.update")
    assert update.payload["ts"] == "1700000000.000100"


def delivered_more_than(count: int, calls: list[Call]) -> bool:
    """More than `count` answers delivered, by either route."""
    return sum(call.method in ("response_url", "chat.update") for call in calls) > count


async def test_an_expired_response_url_falls_back_to_the_web_api(harness: Harness) -> None:
    harness.slack.expired_response_urls.add(f"r{harness.response_urls + 1}")
    await harness.command("orders-prod")
    (ephemeral,) = harness.slack.wait_for_method("chat.postEphemeral")
    assert ephemeral.payload["user"] == "U0ASKER"
    assert ephemeral.payload["channel"] == "C0INCIDENT"


async def test_app_home_shows_usage_and_recent_failures(harness: Harness) -> None:
    await harness.event({"type": "app_home_opened", "user": "U0ASKER", "tab": "home"})
    (publish,) = harness.slack.wait_for_method("views.publish")
    view = publish.payload["view"]
    view = json.loads(view) if isinstance(view, str) else view
    text = json.dumps(view)
    assert view["type"] == "home"
    assert "/backups help" in text
    assert "Failures in the last 7 days" in text
    assert harness.slack.problems == []


async def test_healthz_answers_when_ready(harness: Harness) -> None:
    response = await harness.client.get(f"{harness.server.url}/healthz")
    assert response.status_code == 200
    assert response.json()["ok"] is True


async def test_answers_use_the_askers_time_zone_for_day_words(
    harness: Harness, state: SimulatorState
) -> None:
    harness.slack.user_zones["U0TOKYO"] = "Asia/Tokyo"
    # A day beyond health's 14 days goes upstream with its bounds (nearer ones are cut
    # from health's read: tests/huawei/test_engine_requests.py checks their bounds).
    await harness.command("2026-11-01", user="U0TOKYO")
    responses(harness.slack)
    (day,) = [
        r.params for r in state.requests if r.path.endswith("/backups") and "end_time" in r.params
    ]
    assert day["begin_time"] == "2026-10-31T15:00:00+0000"
    assert day["end_time"] == "2026-11-01T14:59:59+0000"


class BrokenSource:
    """A source with a bug in it: every read raises something unexpected."""

    scope = "broken"

    async def list_backups(self, params: ListBackupsParams, *, rows: Rows = WHOLE) -> BackupListing:
        raise RuntimeError("a bug, not a user error")


async def test_an_unexpected_error_is_logged_and_answered_with_an_incident_id(
    simulator: SimulatorServer,
    fake_slack: tuple[FakeSlack, str],
    fake_time: FakeTime,
    caplog: pytest.LogCaptureFixture,
    state_file: Path,
) -> None:
    bot, server = start_bot(simulator, fake_slack, fake_time, state_file, source=BrokenSource())
    slack = fake_slack[0]
    try:
        async with httpx.AsyncClient() as client:
            harness = Harness(
                bot=bot, server=server, slack=slack, slack_url=fake_slack[1], client=client
            )
            await harness.command("orders-prod")
            (reply,) = responses(slack)
    finally:
        server.stop()
    text = reply.payload["text"]
    incident = text.rsplit("id ", 1)[1].rstrip(")")
    assert "unexpected problem" in text
    assert reply.payload["response_type"] == "ephemeral"
    logged = [r for r in caplog.records if r.exc_info and incident in r.getMessage()]
    assert logged, "the traceback is logged with the same incident id"
    assert "a bug, not a user error" not in json.dumps(reply.payload)


async def test_a_rate_limited_post_is_retried_after_retry_after(harness: Harness) -> None:
    harness.slack.failures.append(Failure("chat.postMessage", retry_after=0))
    await harness.event(
        {
            "type": "app_mention",
            "user": "U0ASKER",
            "text": f"<@{BOT_USER}> orders-prod",
            "ts": "1700000000.000600",
            "channel": "C0INCIDENT",
        },
        event_id="Ev0THROTTLED",
    )
    posts = harness.slack.wait_for_method("chat.postMessage", 2)
    assert posts[0].payload == posts[1].payload
