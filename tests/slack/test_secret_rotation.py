"""Slack's secrets rotated without a restart: during a signing-secret rotation both secrets
verify requests (and buttons) for the grace period; a rotated bot token is used at once."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.app.slack_secrets import SlackSecrets, button_codec
from bot.app.wiring import slack_client
from bot.config import bot_token
from bot.errors import StaleButton
from bot.huawei.simulator.server import SimulatorServer
from bot.slack.button_state import ButtonState
from bot.support.secretfile import FixedSecret, SecretFile, one_line
from bot.support.serving import ServerThread
from tests.conftest import FakeTime
from tests.fakes.slack import BOT_TOKEN, FakeSlack, sign
from tests.slack.conftest import Harness, slack_settings, start_bot

OLD, NEW = "old-signing-secret-0123456789", "new-signing-secret-9876543210"
CHALLENGE = json.dumps({"type": "url_verification", "token": "legacy", "challenge": "c0ffee"})


def signing_file(path: Path, seconds: FakeTime) -> SecretFile:
    """SLACK_SIGNING_SECRET_FILE at `path`, looked at as `seconds` pass, 600 s of grace."""
    return SecretFile(
        str(path), variable="SLACK_SIGNING_SECRET_FILE", check=one_line, grace=600,
        monotonic=seconds.monotonic,
    )  # fmt: skip


async def status_signed_with(harness: Harness, secret: str) -> int:
    """What /slack/events answers to a request signed with `secret`."""
    response = await harness.post(CHALLENGE, "application/json", **sign(CHALLENGE, secret=secret))
    return response.status_code


async def test_both_signing_secrets_verify_for_the_grace_period_and_then_only_the_new(
    simulator: SimulatorServer,
    fake_slack: tuple[FakeSlack, str],
    fake_time: FakeTime,
    state_file: Path,
    tmp_path: Path,
) -> None:
    path = tmp_path / "signing-secret"
    path.write_text(OLD)
    seconds = FakeTime()
    signing = signing_file(path, seconds)
    secrets = SlackSecrets(bot_token=FixedSecret(BOT_TOKEN), signing_secret=signing, app_token=None)
    bot, server = start_bot(simulator, fake_slack, fake_time, state_file, secrets=secrets)
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            harness = Harness(bot, server, fake_slack[0], fake_slack[1], client)
            assert await status_signed_with(harness, OLD) == 200
            assert await status_signed_with(harness, NEW) == 401
            path.write_text(NEW)  # the Secret is updated; replicas roll
            seconds.now += 3
            assert await status_signed_with(harness, NEW) == 200
            assert await status_signed_with(harness, OLD) == 200, "no request refused meanwhile"
            seconds.now += 601
            assert await status_signed_with(harness, OLD) == 401
            assert await status_signed_with(harness, NEW) == 200
            refused = await harness.post(
                CHALLENGE, "application/json", **sign(CHALLENGE, secret="x")
            )
            assert refused.json() == {"error": "invalid request"}
    finally:
        server.stop()


def test_a_button_made_before_a_rotation_works_for_the_grace_period(tmp_path: Path) -> None:
    path = tmp_path / "signing-secret"
    path.write_text(OLD)
    seconds = FakeTime()
    signing = signing_file(path, seconds)
    codec = button_codec(SlackSecrets(bot_token=None, signing_secret=signing, app_token=None))
    before = codec.encode(ButtonState("orders-prod last 7d", 1))
    path.write_text(NEW)
    seconds.now += 3
    after = codec.encode(ButtonState("orders-prod last 7d", 1))
    assert after != before, "new buttons carry the new key's MAC"
    assert codec.decode(before) == codec.decode(after) == ButtonState("orders-prod last 7d", 1)
    seconds.now += 601
    with pytest.raises(StaleButton):
        codec.decode(before)
    assert codec.decode(after).page == 1


async def test_a_rotated_bot_token_file_is_used_from_the_next_call(tmp_path: Path) -> None:
    seen: list[str] = []

    async def auth_test(request: Request) -> JSONResponse:
        seen.append(request.headers.get("authorization", ""))
        return JSONResponse({"ok": True, "team_id": "T0001", "user_id": "U0BOT"})

    path = tmp_path / "bot-token"
    path.write_text("xoxb-first\n")
    seconds = FakeTime()
    token = SecretFile(
        str(path), variable="SLACK_BOT_TOKEN_FILE", check=bot_token, grace=0,
        monotonic=seconds.monotonic,
    )  # fmt: skip
    with ServerThread(
        Starlette(routes=[Route("/api/auth.test", auth_test, methods=["POST"])])
    ) as slack:
        client = slack_client(slack_settings(slack.url, "unused.sqlite3"), token=token)
        await client.auth_test()
        path.write_text("xoxb-second\n")
        seconds.now += 3
        await client.auth_test()
    assert seen == ["Bearer xoxb-first", "Bearer xoxb-second"]
