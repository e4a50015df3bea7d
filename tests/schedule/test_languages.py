"""A channel's digests and watches speak the subscription's language (`lang zh-CN`), else
the workspace's (BACKUPBOT_LANGUAGE), whoever set them up and whatever else is said."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, time, timedelta

from bot.huawei.simulator.server import SimulatorServer
from bot.schedule.store import Subscription
from tests.conftest import NOW
from tests.fakes.blockkit import assert_valid_blocks
from tests.schedule.conftest import World
from tests.slack.test_pseudo_locale import escaped, fleet_data, texts

HAN = re.compile(r"[\u4e00-\u9fff]")
DUE = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)


async def subscribe(
    world: World, kind: str, channel: str, language: str | None, targets: tuple[()] = ()
) -> Subscription:
    return await world.store.subscriptions.add(
        kind="digest" if kind == "digest" else "watch", channel_id=channel,
        created_by="U0CREATOR", at_time=time(11) if kind == "digest" else None,
        timezone="UTC", created_at=NOW - timedelta(days=3), language=language,
    )  # fmt: skip


def text_of(post: dict[str, object]) -> str:
    return json.dumps(post, ensure_ascii=False)


async def test_each_channel_gets_its_digest_in_its_language(world: World) -> None:
    await subscribe(world, "digest", "C0CHINESE", "zh-CN")
    await subscribe(world, "digest", "C0ENGLISH", None)
    world.at(DUE)
    assert len((await world.scheduler().tick()).posted) == 2
    (chinese,) = world.posts_to("C0CHINESE")
    (english,) = world.posts_to("C0ENGLISH")
    for post in (chinese, english):
        assert_valid_blocks(post["blocks"])  # Chinese text within Slack's limits too
    assert "备份摘要" in text_of(chinese)
    assert "legacy-crm" in text_of(chinese), "names stay as they are"
    assert "Backup digest" not in text_of(chinese)
    assert "Backup digest: every instance" in text_of(english)
    assert not HAN.search(text_of(english))
    assert world.slack.problems == []


async def test_a_subscription_without_a_language_speaks_the_workspaces(world: World) -> None:
    await subscribe(world, "digest", "C0DEFAULT", None)
    world.at(DUE)
    assert len((await world.scheduler(language="zh-CN").tick()).posted) == 1
    (post,) = world.posts_to("C0DEFAULT")
    assert "备份摘要" in text_of(post)


async def test_a_watch_in_chinese_posts_its_incidents_in_chinese(world: World) -> None:
    watch = await subscribe(world, "watch", "C0WATCH", "zh-CN")
    await world.store.incidents.take_baseline(
        watch.id, [], channel_id="C0WATCH", worker="earlier", now=NOW - timedelta(days=3)
    )
    world.at(NOW)
    assert (await world.scheduler().tick()).alerts
    posts = world.posts_to("C0WATCH")
    assert posts
    for post in posts:
        assert_valid_blocks(post["blocks"])
        assert HAN.search(text_of(post)), text_of(post)
    assert "时间为 UTC · 监控 #1" in text_of(posts[0])


async def test_pseudo_locale_digests_and_watches_keep_within_slacks_limits(
    world: World, simulator: SimulatorServer
) -> None:
    """Lengthened ~40% and ⟦marked⟧: within the limits still, and no sentence unmarked."""
    watch = await subscribe(world, "watch", "C0PSEUDO", "en-XA")
    await subscribe(world, "digest", "C0PSEUDO", "en-XA")
    await world.store.incidents.take_baseline(
        watch.id, [], channel_id="C0PSEUDO", worker="earlier", now=NOW - timedelta(days=3)
    )
    world.at(DUE)
    report = await world.scheduler().tick()
    assert report.posted
    assert report.alerts
    data = fleet_data(simulator.state)
    posts = world.posts_to("C0PSEUDO")
    assert len(posts) >= 2
    for post in posts:
        assert_valid_blocks(post["blocks"])
        assert not [word for text in texts(post) for word in escaped(text, data=data)], post
    assert world.slack.problems == []
