"""Each reader in their own language, through the front door: the asker's Slack locale
(users.info with include_locale) for what they ask, a subscription's language for what it
posts, and the API asked in the same language (X-Language)."""

from __future__ import annotations

import asyncio
import json
import re

from bot.huawei.simulator.server import SimulatorServer
from tests.fakes.blockkit import assert_valid_blocks
from tests.fakes.slack import Call
from tests.slack.conftest import Harness

HAN = re.compile(r"[\u4e00-\u9fff]")


def text_of(payload: object) -> str:
    return json.dumps(payload, ensure_ascii=False)


def reply_to(harness: Harness, url: str) -> Call:
    """The message posted to response_url `url` (a condition, not a sleep)."""

    def posted(call: Call) -> bool:
        return call.method == "response_url" and str(call.payload.get("url_id")) == url

    calls = harness.slack.wait_for(lambda calls: any(posted(call) for call in calls))
    return next(call for call in calls if posted(call))


async def test_two_readers_asking_at_once_each_get_their_language(harness: Harness) -> None:
    harness.slack.user_locales.update({"U0WANG": "zh-CN", "U0SMITH": "en-US"})
    urls = (f"r{harness.response_urls + 1}", f"r{harness.response_urls + 2}")
    await asyncio.gather(
        harness.command("legacy-crm last 7d", user="U0WANG"),
        harness.command("legacy-crm last 7d", user="U0SMITH"),
    )
    chinese, english = (reply_to(harness, url) for url in urls)
    assert_valid_blocks(chinese.payload["blocks"])
    assert_valid_blocks(english.payload["blocks"])
    assert "备份：legacy-crm last 7d" in text_of(chinese.payload), "the header, in Chinese"
    assert "失败" in text_of(chinese.payload)
    assert "Backups: legacy-crm last 7d" in text_of(english.payload)
    assert not HAN.search(text_of(english.payload)), "no Chinese for the English reader"
    looked_up = harness.slack.calls_to("users.info")
    assert looked_up, "the locale comes from users.info"
    assert all(str(call.payload.get("include_locale")) in ("1", "true") for call in looked_up)


async def test_the_api_is_asked_in_the_language_of_the_reader_who_needs_the_read(
    harness: Harness, simulator: SimulatorServer
) -> None:
    """A read shared by two readers (the cache, single flight) is asked in the first's."""
    harness.slack.user_locales.update({"U0WANG": "zh-CN", "U0SMITH": "en-US"})
    await harness.command("orders-prod last 7d", user="U0WANG")
    reply_to(harness, "r1")
    chinese = len(simulator.state.requests)
    await harness.command("payments-prod last 24h", user="U0SMITH")
    reply_to(harness, "r2")
    requests = simulator.state.requests
    assert chinese > 0
    assert len(requests) > chinese
    assert {request.language for request in requests[:chinese]} == {"zh-cn"}
    assert {request.language for request in requests[chinese:]} == {"en-us"}


async def test_a_mistake_is_explained_in_the_askers_language(harness: Harness) -> None:
    harness.slack.user_locales["U0WANG"] = "zh-CN"
    url = f"r{harness.response_urls + 1}"
    await harness.command("faild last 7d", user="U0WANG")
    said = text_of(reply_to(harness, url).payload)
    assert "未知的词 'faild'" in said
    assert "你是不是想写 'failed'" in said


async def test_help_explains_the_english_words_in_chinese(harness: Harness) -> None:
    harness.slack.user_locales["U0WANG"] = "zh-CN"
    url = f"r{harness.response_urls + 1}"
    await harness.command("help", user="U0WANG")
    reply = reply_to(harness, url).payload
    assert_valid_blocks(reply["blocks"])
    said = text_of(reply)
    assert "时间范围" in said, "explained in Chinese"
    assert "last 7d" in said, "the words stay"


async def test_a_digest_set_to_chinese_is_confirmed_in_chinese(harness: Harness) -> None:
    """An English reader sets it up for a Chinese channel (its posts: tests/schedule)."""
    await harness.command("digest add legacy-crm lang zh-CN", user="U0SMITH")
    confirmation = reply_to(harness, "r1").payload
    (stored,) = await harness.bot.store.subscriptions.find()
    assert stored.language == "zh-CN"
    assert_valid_blocks(confirmation["blocks"])
    assert "设置了摘要 #1" in text_of(confirmation), "said in the channel's language"


async def test_an_unknown_language_is_refused_with_the_ones_spoken(harness: Harness) -> None:
    await harness.command("watch legacy-crm lang xx")
    said = text_of(reply_to(harness, "r1").payload)
    await harness.idle()
    assert "'xx' is not a language backupbot speaks" in said
    assert "en or zh-CN" in said
    assert await harness.bot.store.subscriptions.find() == []


async def test_app_home_speaks_its_readers_language(harness: Harness) -> None:
    harness.slack.user_locales["U0WANG"] = "zh-CN"
    await harness.event({"type": "app_home_opened", "user": "U0WANG", "tab": "home"})
    (publish,) = harness.slack.wait_for_method("views.publish")
    view = publish.payload["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert_valid_blocks(view["blocks"])
    said = text_of(view)
    assert "最近 7 天的失败" in said
    assert "Failures in the last 7 days" not in said
    assert "/backups help" in said, "the command stays as typed"
