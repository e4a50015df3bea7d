"""Who may ask what: access rules, profiles and the audit line, through the front door."""

from __future__ import annotations

import io
import json
import math
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine, Engines
from bot.core.health.inventory_cache import InventoryCache
from bot.errors import ConfigError
from bot.huawei.simulator import Fleet, SimulatorState
from bot.huawei.simulator.server import SimulatorServer
from bot.slack import blocks
from bot.slack.access import load_rules
from tests.conftest import (
    NOW,
    FakeTime,
    fixed_clock,
    inventory_requests,
    listing_requests,
    make_api,
)
from tests.fakes.blockkit import assert_valid_blocks
from tests.fakes.slack import Call, FakeSlack
from tests.slack.conftest import Harness, start_bot


def reply(harness: Harness, count: int = 1) -> Call:
    return harness.slack.wait_for_method("response_url", count)[count - 1]


@pytest.fixture
async def ruled(
    tmp_path: Path,
    simulator: SimulatorServer,
    fake_slack: tuple[FakeSlack, str],
    fake_time: FakeTime,
    state_file: Path,
) -> AsyncIterator[Harness]:
    """backupbot with an access file: incident channel for all, DBAs everywhere for prod."""
    rules = tmp_path / "access.toml"
    rules.write_text(
        '[[allow]]\nchannels = ["C0INCIDENT"]\n\n'
        '[[allow]]\nusergroups = ["S0DBAS"]\nprofiles = ["default"]\n\n'
        '[[allow]]\nusers = ["U0BOSS"]\nteams = ["T0001", "T0OTHER"]\n'
    )
    fake_slack[0].usergroups["S0DBAS"] = ["U0DBA"]
    bot, server = start_bot(
        simulator, fake_slack, fake_time, state_file, env={"BACKUPBOT_ACCESS_FILE": str(rules)}
    )
    async with httpx.AsyncClient(timeout=30) as client:
        yield Harness(
            bot=bot, server=server, slack=fake_slack[0], slack_url=fake_slack[1], client=client
        )
    server.stop()


async def test_by_default_only_the_installing_workspace_may_ask(
    harness: Harness, state: SimulatorState
) -> None:
    assert (await harness.command("orders-prod", user="U0STRANGER")).status_code == 200
    assert "Backups: orders-prod" in json.dumps(reply(harness).payload)
    answered = state.request_count
    await harness.post(  # the same command from another workspace
        "command=%2Fbackups&text=orders-prod&team_id=T0ELSE&channel_id=C0X&user_id=U0X"
        f"&response_url={harness.slack_url}/respond/else",
        "application/x-www-form-urlencoded",
    )
    denied = reply(harness, 2).payload
    assert denied["response_type"] == "ephemeral"
    assert "only in the workspace that installed it" in denied["text"]
    assert state.request_count == answered, "no upstream request for the denied one"


async def test_a_channel_rule_allows_there_and_refuses_politely_elsewhere(
    ruled: Harness, state: SimulatorState
) -> None:
    await ruled.command("orders-prod", channel="C0INCIDENT")
    assert "Backups: orders-prod" in json.dumps(reply(ruled).payload)
    answered = state.request_count
    await ruled.command("orders-prod", channel="C0RANDOM")
    denied = reply(ruled, 2).payload
    assert denied["response_type"] == "ephemeral"
    assert "sorry, you can't ask about @default here" in denied["text"]
    assert "BACKUPBOT_ACCESS_FILE" in denied["text"]
    assert state.request_count == answered, "no upstream request for the refused one"


async def test_user_group_and_user_rules(ruled: Harness, state: SimulatorState) -> None:
    await ruled.command("orders-prod", channel="C0RANDOM", user="U0DBA")
    assert "Backups: orders-prod" in json.dumps(reply(ruled).payload)
    await ruled.command("orders-prod", channel="C0RANDOM", user="U0BOSS")
    assert "Backups: orders-prod" in json.dumps(reply(ruled, 2).payload)
    assert ruled.slack.calls_to("usergroups.users.list")


async def test_clicks_obey_the_rules_too(ruled: Harness, state: SimulatorState) -> None:
    await ruled.command("last 30d", channel="C0INCIDENT")
    value = next(
        e["value"]
        for b in reply(ruled).payload["blocks"]
        for e in b.get("elements", [])
        if e.get("action_id") == blocks.ACTION_NEXT
    )
    before = state.request_count
    await ruled.click(blocks.ACTION_NEXT, value, user="U0STRANGER")  # channel C0INCIDENT: fine
    assert "page 2 of" in json.dumps(reply(ruled, 2).payload)
    payload_channel_denied = await ruled.post(
        "payload="
        + json.dumps(
            {
                "type": "block_actions", "team": {"id": "T0001"}, "user": {"id": "U0STRANGER"},
                "channel": {"id": "C0RANDOM"}, "container": {"is_ephemeral": True},
                "response_url": f"{ruled.slack_url}/respond/denied-click",
                "actions": [{"action_id": blocks.ACTION_NEXT, "value": value, "type": "button"}],
            }
        ).replace("&", "%26"),
        "application/x-www-form-urlencoded",
    )  # fmt: skip
    assert payload_channel_denied.status_code == 200
    assert "can't ask about" in reply(ruled, 3).payload["text"]
    assert state.request_count == before, "page 2 came from the cache; the denial cost nothing"


async def test_an_unknown_profile_lists_the_known_ones(
    harness: Harness, state: SimulatorState
) -> None:
    await harness.command("@nope orders-prod")
    text = reply(harness).payload["text"]
    assert "there is no profile @nope" in text
    assert "@default" in text
    assert state.request_count == 0


async def test_profiles_route_questions_to_their_own_account(
    simulator: SimulatorServer,
    fake_slack: tuple[FakeSlack, str],
    fake_time: FakeTime,
    state_file: Path,
    state: SimulatorState,
) -> None:
    other = SimulatorState(fleet=Fleet.bulk(30, NOW), clock=fixed_clock)
    with SimulatorServer(other) as second:
        # the bot's own client lives on in the bot's thread, as start_bot's does
        http = httpx.AsyncClient()
        cache = ListingCache(ttl=60, maxsize=64, clock=fixed_clock)

        def engine(url: str) -> Engine:
            api = make_api(http, url, fake_time)
            inventory = InventoryCache(api, ttl=600, clock=fixed_clock)  # a project's own
            return Engine.over(source=api, cache=cache, clock=fixed_clock, inventory=inventory)

        engines = Engines("prod", {"prod": engine(simulator.url), "prod-ap": engine(second.url)})
        bot, server = start_bot(simulator, fake_slack, fake_time, state_file, engines=engines)
        try:
            async with httpx.AsyncClient(timeout=30) as client:
                harness = Harness(bot, server, fake_slack[0], fake_slack[1], client)
                await harness.command("@prod-ap last 30d")
                answer = reply(harness).payload
                await harness.command("last 30d")
                reply(harness, 2)
        finally:
            server.stop()
    assert "Backups: @prod-ap last 30d" in json.dumps(answer)
    # each: the 30 days asked, read whole, which hold the 14 days health is judged from
    assert listing_requests(other) == 1
    assert inventory_requests(other) == 1 + len(other.fleet.inventory()), "its own instances"

    def pages(days: int) -> int:
        since = NOW - timedelta(days=days)
        rows = [stored for stored in state.fleet.backups if stored.begin >= since]
        return math.ceil(len(rows) / 100)

    assert listing_requests(state) == pages(30)


async def test_audit_lines_say_who_where_what_and_outcome(
    ruled: Harness, audit_log: io.StringIO
) -> None:
    await ruled.command("orders-prod last 7d", channel="C0INCIDENT")
    reply(ruled)
    await ruled.command("digest add orders-prod", channel="C0INCIDENT")
    reply(ruled, 2)
    await ruled.command("orders-prod", channel="C0RANDOM")
    reply(ruled, 3)
    await ruled.idle()
    records = [json.loads(line) for line in audit_log.getvalue().splitlines()]
    commands = [r for r in records if r.get("event") == "command"]
    assert [(c["channel"], c["query"], c["outcome"]) for c in commands] == [
        ("C0INCIDENT", "orders-prod last 7d", "ok"),
        ("C0INCIDENT", "digest add orders-prod", "ok"),
        ("C0RANDOM", "orders-prod", "denied"),
    ]
    assert all(c["user"] == "U0ASKER" and c["team"] == "T0001" for c in commands)
    (change,) = [r for r in records if r.get("event") == "subscription"]
    assert (change["change"], change["kind"], change["id"], change["targets"]) == (
        "added", "digest", 1, "orders-prod",
    )  # fmt: skip


def test_access_file_mistakes_are_clear(tmp_path: Path) -> None:
    path = tmp_path / "access.toml"
    path.write_text('[[allow]]\nchannels = ["#general"]\n')
    with pytest.raises(ConfigError, match="is not a Slack id"):
        load_rules(str(path), profiles=None)
    path.write_text('[[allow]]\nchanels = ["C0123"]\n')
    with pytest.raises(ConfigError, match="chanels"):
        load_rules(str(path), profiles=None)


def home_text(harness: Harness, count: int) -> str:
    """The App Home view published `count`-th, as JSON text; checked as a surface."""
    view = harness.slack.wait_for_method("views.publish", count)[count - 1].payload["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home"
    assert_valid_blocks(view["blocks"], limit=100)
    return json.dumps(view)


async def test_app_home_shows_each_user_only_what_the_rules_let_them_ask_about(
    ruled: Harness, state: SimulatorState
) -> None:
    await ruled.command("digest add orders-prod", channel="C0INCIDENT")  # anyone may, there
    reply(ruled)
    await ruled.command("watch payments-prod", channel="C0DBAONLY", user="U0DBA")
    reply(ruled, 2)
    home = {"type": "app_home_opened", "tab": "home"}

    await ruled.event({**home, "user": "U0DBA"}, event_id="EvH1")  # allowed anywhere
    dba = home_text(ruled, 1)
    assert "<#C0INCIDENT>" in dba
    assert "<#C0DBAONLY>" in dba
    assert "Failures in the last 7 days" in dba
    assert "Could not read" not in dba

    await ruled.event({**home, "user": "U0PASSERBY"}, event_id="EvH2")  # only in C0INCIDENT
    passerby = home_text(ruled, 2)
    assert "<#C0INCIDENT>" in passerby
    assert "C0DBAONLY" not in passerby, "not a channel this user may ask in"
    assert "payments-prod" not in passerby
    assert "The access rules don't show you @default's failures here" in passerby
    assert "Could not read" not in passerby

    await ruled.event({**home, "user": "U0STRANGER"}, event_id="EvH3", team="T0ELSE")
    stranger = home_text(ruled, 3)
    assert "sorry, you can't ask about @default here" in stranger, "a command's refusal"
    assert "BACKUPBOT_ACCESS_FILE" in stranger
    for hidden in ("C0INCIDENT", "C0DBAONLY", "orders-prod", "Could not read", "Failures"):
        assert hidden not in stranger
    await ruled.idle()


async def test_app_home_shows_a_private_channels_subscriptions_only_to_its_members(
    ruled: Harness,
) -> None:
    """U0BOSS may ask anywhere, but is not in the private C0DBAONLY: its watch is not shown
    to them; U0DBA, a member, sees it (the members read page by page)."""
    ruled.slack.channel_members["C0DBAONLY"] = ["U0DBA", "U0OPS", "U0THIRD"]
    ruled.slack.members_page = 2
    await ruled.command("watch payments-prod", channel="C0DBAONLY", user="U0DBA")
    reply(ruled)
    home = {"type": "app_home_opened", "tab": "home"}
    await ruled.event({**home, "user": "U0BOSS"}, event_id="EvM1")
    assert "C0DBAONLY" not in home_text(ruled, 1), "not a member of that private channel"
    await ruled.event({**home, "user": "U0DBA"}, event_id="EvM2")
    assert "<#C0DBAONLY>" in home_text(ruled, 2)
    pages = ruled.slack.calls_to("conversations.members")
    assert len(pages) == 2, "two pages of two, read once and cached"
