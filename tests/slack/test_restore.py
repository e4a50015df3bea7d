"""Restore questions through the front door: a signed `/backups restore ...`, a mention and
a DM to the bot, the bot to the simulator over HTTP, the answer back to the fake Slack.

The truth is the simulator's own: its ranges (`restore_story.story`), its fleet's backup
records and its tables, read here without any of bot/. The asker is in Europe/Paris; the
clock stands at NOW (2026-11-27 10:30 UTC, 11:30 in Paris).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.records import SERVER_OFFSET, instance_id_for
from bot.huawei.simulator.restore_story import DROPPED_TABLE, GAP_INSTANCE, LOG_EVERY, story
from tests.conftest import NOW
from tests.fakes.blockkit import assert_valid_blocks
from tests.slack.conftest import Harness

BOT_USER = "U0BACKUPBOT"


def text_of(payload: dict[str, Any]) -> str:
    """Every text of the message's blocks, one a line."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(payload["blocks"])
    return "\n".join(found)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


# Paris summer time ended on the last Sunday of October 2026, at 01:00 UTC (EU rule).
SUMMER_ENDED = datetime(2026, 10, 25, 1, tzinfo=UTC)


def paris(moment: datetime) -> datetime:
    """A moment's wall time in Paris, by the EU's rule rather than zoneinfo."""
    return moment + timedelta(hours=2 if moment < SUMMER_ENDED else 1)


def newest_full_backup(state: SimulatorState, name: str, point: datetime) -> dict[str, Any]:
    """The newest good full backup of `name` that ended at or before `point`, from the records."""
    found = [
        stored.record
        for stored in state.fleet.backups
        if stored.record["instance_name"] == name
        and stored.record["status"] in ("COMPLETED", "AVAILABLE")
        and stored.record.get("backup_mode", "completed") == "completed"
        and stored.record["end_time"]
        and datetime.fromisoformat(stored.record["end_time"]) <= point
    ]
    return max(found, key=lambda record: datetime.fromisoformat(record["end_time"]))


async def answer_to(harness: Harness, words: str) -> dict[str, Any]:
    await harness.command(words)
    (call,) = harness.slack.wait_for_method("response_url")
    payload: dict[str, Any] = call.payload
    assert payload["response_type"] == "ephemeral"
    assert_valid_blocks(payload["blocks"])
    return payload


async def test_a_point_that_can_be_restored_names_its_backup_and_its_parameters(
    harness: Harness, state: SimulatorState
) -> None:
    payload = await answer_to(harness, "restore orders-prod 03:15")
    text = text_of(payload)
    point = utc("2026-11-27T02:15:00")  # 03:15 in Paris (CET, +1), the latest one passed
    (span,) = story(state.fleet, instance_id_for("orders-prod"), NOW).spans
    assert span[0] <= point <= span[1]
    assert "*orders-prod* can be restored to 2026-11-27 03:15:00 (Europe/Paris)" in text
    assert f"= {stamp(point)} UTC" in text
    base = newest_full_backup(state, "orders-prod", point)
    assert base["name"] in text
    replay = point - datetime.fromisoformat(base["end_time"])
    minutes = int(replay.total_seconds() // 60)
    assert f"{minutes // 60} h {minutes % 60:02d} min of log" in text
    params = {
        "source_instance_id": instance_id_for("orders-prod"),
        "type": "timestamp",
        "restore_time": int(point.timestamp()) * 1000,
    }
    assert json.dumps(params) in text
    assert harness.slack.problems == []


async def test_a_point_in_the_gap_is_refused_with_the_nearest_points_in_a_thread(
    harness: Harness, state: SimulatorState
) -> None:
    first, second = story(state.fleet, instance_id_for(GAP_INSTANCE), NOW).spans
    inside = first[1] + (second[0] - first[1]) / 2
    asked = inside.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    await harness.event(
        {
            "type": "app_mention",
            "user": "U0ASKER",
            "text": f"<@{BOT_USER}> restore {GAP_INSTANCE} {asked}",
            "ts": "1700000000.000200",
            "channel": "C0INCIDENT",
        }
    )
    (post,) = harness.slack.wait_for_method("chat.postMessage")
    assert post.payload["thread_ts"] == "1700000000.000200"
    text = text_of(post.payload)
    assert f"*{GAP_INSTANCE}* cannot be restored" in text
    assert paris(first[1]).strftime("%Y-%m-%d %H:%M:%S") in text
    assert f"{second[0].astimezone(UTC):%H:%M} UTC" in text
    assert f"{first[1].astimezone(UTC):%H:%M} UTC" in text
    assert "the end of the range before" in text
    assert "the start of the range after" in text
    assert "restore_time" not in text, "no parameters for a point that cannot be restored"
    # the simulator's log backups are taken every 5 minutes, named by their start (+08:00)
    last_begin = (first[1] - LOG_EVERY).astimezone(SERVER_OFFSET)
    assert f"The last log backup before the gap, `log-{last_begin:%Y%m%d%H%M%S}`, ended" in text


async def test_a_dropped_table_is_found_before_and_missed_after_in_a_dm(
    harness: Harness, state: SimulatorState
) -> None:
    dropped = ".".join(DROPPED_TABLE)
    await harness.event(
        {
            "type": "message",
            "channel_type": "im",
            "user": "U0ASKER",
            "text": f"restore orders-prod yesterday 03:00 table {dropped}",
            "ts": "1700000000.000500",
            "channel": "D0DM",
        }
    )
    (post,) = harness.slack.wait_for_method("chat.postMessage")
    text = text_of(post.payload)
    # Yesterday 03:00 in Paris is 02:00 UTC: before the drop (03:17 UTC yesterday).
    assert f"Table `{dropped}` existed at that point, and no longer exists now." in text


async def test_a_table_that_never_was_gets_near_names(harness: Harness) -> None:
    text = text_of(await answer_to(harness, "restore orders-prod 11:00 table shop.order"))
    assert "Table `shop.order` did not exist at that point. Did you mean" in text
    assert "`shop.orders`" in text


async def test_the_timeline_marks_the_gap(harness: Harness, state: SimulatorState) -> None:
    first, second = story(state.fleet, instance_id_for(GAP_INSTANCE), NOW).spans
    text = text_of(await answer_to(harness, f"restore {GAP_INSTANCE}"))
    assert "restorable over the last 90 days" in text
    assert "gap: nothing restorable from" in text
    for moment in (first[0], first[1], second[0], second[1]):
        assert paris(moment).strftime("%Y-%m-%d %H:%M:%S") in text


async def bad(harness: Harness, words: str) -> str:
    payload = await answer_to(harness, words)
    text = text_of(payload)
    assert "Traceback" not in text
    assert len(payload["blocks"]) == 1
    return text


async def test_bad_inputs_get_one_line_and_a_hint(harness: Harness, state: SimulatorState) -> None:
    assert "did you mean orders-prod" in (await bad(harness, "restore ordrs-prod 03:15")).lower()
    harness.slack.calls.clear()
    assert "is in the future" in await bad(harness, "restore orders-prod 2026-11-28 03:15")
    harness.slack.calls.clear()
    assert "is not a time to restore to" in await bad(harness, "restore orders-prod 25:61")
    harness.slack.calls.clear()
    assert "is not a table name" in await bad(harness, "restore orders-prod 03:15 table shop.o'k")
    harness.slack.calls.clear()
    assert "restore needs an instance" in await bad(harness, "restore 03:15")


async def test_without_permission_the_action_to_grant_is_named(
    harness: Harness, state: SimulatorState
) -> None:
    state.knobs.denied = {"restore_time"}
    text = await bad(harness, "restore orders-prod 03:15")
    assert "gaussdbformysql:backup:getRestoreTime" in text


async def test_log_backups_denied_still_answers_without_them(
    harness: Harness, state: SimulatorState
) -> None:
    state.knobs.denied = {"incremental_backups"}
    first, second = story(state.fleet, instance_id_for(GAP_INSTANCE), NOW).spans
    inside = (first[1] + (second[0] - first[1]) / 2).replace(microsecond=0)
    text = text_of(await answer_to(harness, f"restore {GAP_INSTANCE} {inside:%Y-%m-%dT%H:%M:%S}Z"))
    assert f"*{GAP_INSTANCE}* cannot be restored" in text
    assert "The last log backup before the gap" not in text


async def test_a_chinese_reader_gets_the_restore_answer_in_chinese(
    harness: Harness, state: SimulatorState
) -> None:
    """The asker's Slack locale is zh-CN: the verdict, the base backup and the footer in
    Chinese; the moments as a restore question takes them; the parameters as the API's."""
    harness.slack.user_locales["U0ASKER"] = "zh-CN"
    payload = await answer_to(harness, "restore orders-prod 03:15")
    text = text_of(payload)
    point = utc("2026-11-27T02:15:00")  # 03:15 in Paris (CET, +1), the latest one passed
    said = f"*orders-prod* 可以恢复到 2026-11-27 03:15:00（Europe/Paris）= UTC {stamp(point)}。"
    assert said in text
    base = newest_full_backup(state, "orders-prod", point)
    minutes = int((point - datetime.fromisoformat(base["end_time"])).total_seconds() // 60)
    assert f"恢复将从全量备份 `{base['name']}`" in text
    assert f"并重放 {minutes // 60} 小时 {minutes % 60:02d} 分钟 的日志。" in text
    assert "backupbot 只读取信息：它从不执行任何恢复。" in text
    assert '"restore_time": ' in text, "the API's parameters stay the API's"
    assert "can be restored" not in text
    assert harness.slack.problems == []


async def test_a_chinese_reader_gets_the_timeline_in_chinese(
    harness: Harness, state: SimulatorState
) -> None:
    harness.slack.user_locales["U0ASKER"] = "zh-CN"
    first, second = story(state.fleet, instance_id_for(GAP_INSTANCE), NOW).spans
    text = text_of(await answer_to(harness, f"restore {GAP_INSTANCE}"))
    assert f"{GAP_INSTANCE}：最近 90 天的可恢复情况" in text
    gap_from, gap_to = (
        paris(moment).strftime("%Y-%m-%d %H:%M:%S") for moment in (first[1], second[0])
    )
    assert f"• :warning: 断档：{gap_from}（Europe/Paris，" in text
    assert f"到 {gap_to}（Europe/Paris，" in text
    assert "时间为 Europe/Paris 时区，旁边附 UTC 时间。" in text


async def test_a_chinese_reader_is_answered_in_chinese_in_a_mention(
    harness: Harness, state: SimulatorState
) -> None:
    harness.slack.user_locales["U0ASKER"] = "zh-CN"
    first, second = story(state.fleet, instance_id_for(GAP_INSTANCE), NOW).spans
    inside = (first[1] + (second[0] - first[1]) / 2).replace(microsecond=0)
    asked = inside.strftime("%Y-%m-%dT%H:%M:%SZ")
    mention = {"type": "app_mention", "channel": "C0INCIDENT", "ts": "1700000000.000200"}
    await harness.event(
        {**mention, "user": "U0ASKER", "text": f"<@{BOT_USER}> restore {GAP_INSTANCE} {asked}"}
    )
    (post,) = harness.slack.wait_for_method("chat.postMessage")
    text = text_of(post.payload)
    assert f"*{GAP_INSTANCE}* 无法恢复到 {paris(inside):%Y-%m-%d %H:%M:%S}（Europe/Paris）" in text
    assert "（前一个时间段的结束）" in text


async def test_a_chinese_reader_is_answered_in_chinese_in_a_dm(harness: Harness) -> None:
    harness.slack.user_locales["U0ASKER"] = "zh-CN"
    dropped = ".".join(DROPPED_TABLE)
    dm = {"type": "message", "channel_type": "im", "channel": "D0DM", "ts": "1700000000.000500"}
    await harness.event(
        {**dm, "user": "U0ASKER", "text": f"restore orders-prod yesterday 03:00 table {dropped}"}
    )
    (post,) = harness.slack.wait_for_method("chat.postMessage")
    assert f"表 `{dropped}` 在该时间点存在，但现在已不存在。" in text_of(post.payload)
