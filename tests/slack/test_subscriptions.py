"""`/backups digest ...` and `/backups watch ...` through the front door."""

from __future__ import annotations

import asyncio
import json
from datetime import time
from pathlib import Path

import pytest

from bot.core.query import Target
from bot.errors import ConfigError
from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.server import SimulatorServer
from bot.schedule.config_file import load_declared_digests
from bot.schedule.store import DeclaredDigest
from bot.slack import blocks
from tests.conftest import FakeTime
from tests.fakes.blockkit import assert_valid_blocks
from tests.fakes.slack import Call, Failure, FakeSlack
from tests.slack.conftest import Harness, start_bot


def text_of(payload: object) -> str:
    return json.dumps(payload, ensure_ascii=False)


def replies(harness: Harness, count: int) -> list[Call]:
    return harness.slack.wait_for_method("response_url", count)


async def test_digest_add_confirms_in_the_channel_and_lists(harness: Harness) -> None:
    await harness.command("digest add orders-prod payments-prod at 08:30 tz Europe/Paris")
    (confirmation,) = replies(harness, 1)
    assert confirmation.payload["response_type"] == "in_channel"
    text = confirmation.payload["blocks"][0]["text"]["text"]
    assert "<@U0ASKER> set up digest #1" in text
    assert "`orders-prod payments-prod` every day at 08:30 (Europe/Paris)" in text
    assert "<!date^" in text, "the first digest's time, in each reader's zone"
    await harness.command("digest list")
    listing = replies(harness, 2)[1].payload
    assert listing["response_type"] == "ephemeral"
    assert "#1 `orders-prod payments-prod` at 08:30 (Europe/Paris) · by <@U0ASKER>" in text_of(
        listing
    )
    (stored,) = await harness.bot.store.subscriptions.find()
    assert (stored.channel_id, stored.created_by, stored.scope) == (
        "C0INCIDENT", "U0ASKER", "orders-prod payments-prod",
    )  # fmt: skip


async def test_digest_defaults_are_every_instance_nine_and_the_askers_zone(
    harness: Harness,
) -> None:
    harness.slack.user_zones["U0TOKYO"] = "Asia/Tokyo"
    await harness.command("digest add", user="U0TOKYO")
    replies(harness, 1)
    (stored,) = await harness.bot.store.subscriptions.find()
    assert (stored.targets, stored.at_time, stored.timezone) == ((), time(9, 0), "Asia/Tokyo")


async def test_digest_add_refuses_an_unknown_instance_before_storing_it(harness: Harness) -> None:
    await harness.command("digest add ordrs-prod")
    (reply,) = replies(harness, 1)
    assert reply.payload["response_type"] == "ephemeral"
    assert "no instance named ordrs-prod" in reply.payload["text"]
    assert await harness.bot.store.subscriptions.find() == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("digest add at 25:00", "'at 25:00' is not a time of day"),
        ("digest add tz Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
        ("digest add orders-prod last 7d", "a digest takes only instances"),
        ("digest remove", "'digest remove' needs the number of a digest"),
        ("digest frobnicate", "'digest frobnicate' is not a digest command"),
        ("digest remove 42", "there is no digest #42 in this channel"),
    ],
)
async def test_digest_mistakes_get_one_line_and_a_hint(
    harness: Harness, text: str, message: str
) -> None:
    await harness.command(text)
    (reply,) = replies(harness, 1)
    assert reply.payload["response_type"] == "ephemeral"
    assert message in reply.payload["text"]


async def test_digest_remove_confirms_in_the_channel(harness: Harness) -> None:
    await harness.command("digest add orders-prod")
    replies(harness, 1)
    await harness.command("digest remove #1")
    removed = replies(harness, 2)[1].payload
    assert removed["response_type"] == "in_channel"
    assert "removed digest #1" in text_of(removed)
    assert await harness.bot.store.subscriptions.find() == []


async def test_digest_now_posts_a_digest_from_the_simulator(
    harness: Harness, state: SimulatorState
) -> None:
    await harness.command("digest now orders-prod payments-prod")
    (post,) = harness.slack.wait_for_method("chat.postMessage")
    assert post.payload["channel"] == "C0INCIDENT"
    assert_valid_blocks(post.payload["blocks"])
    text = text_of(post.payload)
    assert "Backup digest: orders-prod payments-prod" in text
    assert "orders-prod" in text
    listings = [r for r in state.requests if r.path.endswith("/backups")]
    assert {r.params.get("instance_name") for r in listings} == {
        "orders-prod",
        "payments-prod",
    }
    assert harness.slack.problems == []


async def test_digest_now_in_a_channel_the_bot_cannot_post_to_says_what_to_do(
    harness: Harness,
) -> None:
    harness.slack.failures.append(Failure("chat.postMessage", error="not_in_channel"))
    await harness.command("digest now")
    (reply,) = replies(harness, 1)
    assert "I cannot post in this channel" in reply.payload["text"]
    assert "/invite @backupbot" in reply.payload["text"]


async def test_the_digest_button_opens_the_last_24_hours_for_the_clicker(harness: Harness) -> None:
    await harness.command("digest now orders-prod")
    (post,) = harness.slack.wait_for_method("chat.postMessage")
    button = next(
        element
        for block in post.payload["blocks"]
        for element in block.get("elements", [])
        if element.get("action_id") == blocks.ACTION_RUN
    )
    await harness.click(blocks.ACTION_RUN, button["value"], ephemeral=False)
    (answer,) = replies(harness, 1)
    assert answer.payload["response_type"] == "ephemeral"
    assert answer.payload["replace_original"] is False
    assert "Backups: orders-prod last 24h" in text_of(answer.payload)


async def test_watch_add_list_and_remove(harness: Harness) -> None:
    await harness.command("watch orders-prod")
    confirmation = replies(harness, 1)[0].payload
    assert confirmation["response_type"] == "in_channel"
    assert "set up watch #1 on `orders-prod`" in text_of(confirmation)
    await harness.command("watch list")
    assert "#1 `orders-prod`" in text_of(replies(harness, 2)[1].payload)
    await harness.command("watch remove 1")
    assert "removed watch #1" in text_of(replies(harness, 3)[2].payload)
    await harness.command("digest remove 1")
    assert "there is no digest #1" in replies(harness, 4)[3].payload["text"], "kinds do not mix"


async def test_subscriptions_are_per_channel(harness: Harness) -> None:
    await harness.command("watch", channel="C0OTHER")
    replies(harness, 1)
    await harness.command("watch list")
    assert "No watches in this channel" in text_of(replies(harness, 2)[1].payload)
    await harness.command("watch remove 1")
    assert "there is no watch #1 in this channel" in replies(harness, 3)[2].payload["text"]


def test_config_file_digests_are_read_and_checked(tmp_path: Path) -> None:
    good = tmp_path / "digests.toml"
    good.write_text(
        '[[digest]]\nchannel = "C0123456789"\ntargets = "orders-prod"\nat = "07:45"\n'
        'tz = "Europe/Paris"\n\n[[digest]]\nchannel = "C0987654321"\n'
    )
    declared = load_declared_digests(str(good), profiles=None)
    assert declared == [
        DeclaredDigest(
            "C0123456789", (Target("instance_name", "orders-prod"),), None, time(7, 45),
            "Europe/Paris",
        ),
        DeclaredDigest("C0987654321", (), None, time(9, 0), "UTC"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[digest]\n", "cannot be read"),
        ('[[digest]]\nchannel = "general"\n', "channel must be a channel id"),
        ('[[digest]]\nchannel = "C0123456789"\nat = "9 o\'clock"\n', "not a time of day"),
        ('[[digest]]\nchannel = "C0123456789"\ntz = "Nowhere/Land"\n', "unknown time zone"),
        ('digest = "oops"\n', "must be a list of tables"),
    ],
)
def test_config_file_mistakes_name_the_file_and_entry(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "digests.toml"
    path.write_text(content)
    with pytest.raises(ConfigError) as caught:
        load_declared_digests(str(path), profiles=None)
    assert message in caught.value.said
    assert str(path) in caught.value.said


def test_a_missing_config_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_declared_digests(str(tmp_path / "nope.toml"), profiles=None)


async def test_serve_loads_config_file_digests_at_start(
    simulator: SimulatorServer,
    fake_slack: tuple[FakeSlack, str],
    fake_time: FakeTime,
    state_file: Path,
    tmp_path: Path,
) -> None:
    declared = tmp_path / "digests.toml"
    declared.write_text('[[digest]]\nchannel = "C0123456789"\ntargets = "orders-prod"\n')
    bot, server = start_bot(
        simulator, fake_slack, fake_time, state_file, env={"BACKUPBOT_DIGESTS_FILE": str(declared)}
    )
    try:
        deadline = asyncio.get_running_loop().time() + 60
        while not await bot.store.subscriptions.find():
            assert asyncio.get_running_loop().time() < deadline, "the scheduler never started"
            await asyncio.sleep(0.05)  # waiting for another thread's start-up
    finally:
        server.stop()
    (digest,) = await bot.store.subscriptions.find()
    assert (digest.origin, digest.channel_id, digest.scope) == (
        "config",
        "C0123456789",
        "orders-prod",
    )


async def test_an_identical_watch_is_refused_with_the_existing_ones_id(
    harness_of_each_backend: Harness,
) -> None:
    harness = harness_of_each_backend
    asked = [
        ("watch payments-prod", "C0INCIDENT"),
        ("watch payments-prod", "C0INCIDENT"),  # the same: refused
        ("watch", "C0INCIDENT"),  # overlapping, not the same: one incident each (see
        ("watch all", "C0INCIDENT"),  # tests/schedule/test_overlapping_watches.py)
        ("watch orders-prod payments-prod", "C0INCIDENT"),
        ("watch payments-prod orders-prod", "C0INCIDENT"),  # the same, in another order
        ("watch payments-prod", "C0OTHER"),  # another channel
    ]
    for count, (text, channel) in enumerate(asked, start=1):
        await harness.command(text, channel=channel)
        replies(harness, count)
    first, every, both, other = await harness.bot.store.subscriptions.find()
    assert (first.scope, every.scope, both.scope, other.channel_id) == (
        "payments-prod", "", "orders-prod payments-prod", "C0OTHER",
    )  # fmt: skip
    answers = [call.payload for call in replies(harness, len(asked))]
    for index, number, scope in ((1, first.id, "payments-prod"), (3, every.id, "every instance"),
                                 (5, both.id, "orders-prod payments-prod")):  # fmt: skip
        assert answers[index]["response_type"] == "ephemeral"
        assert f"watch #{number} already covers {scope} here" in answers[index]["text"]
        assert "/backups watch list" in answers[index]["text"]
