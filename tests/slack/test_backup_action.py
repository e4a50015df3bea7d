"""`/backups backup`: asked in words, confirmed by the asker's click, allowed by a rule,
done once, followed to its end in one channel message, audited; every refusal and bad
input through the front door (signed requests, the simulator over HTTP, the fake Slack).

Ground truth is the simulator's own state: the create requests it received and the
backups its fleet holds, never what backupbot says about them.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.slack.blocks import ACTION_CANCEL_BACKUP, ACTION_TAKE_BACKUP
from tests.conftest import NOW
from tests.fakes.blockkit import assert_valid_blocks
from tests.fakes.slack import Failure
from tests.slack.backup_scene import Scene, ask, button_value, posted_in_channel
from tests.slack.test_pseudo_locale import escaped, fleet_data, texts


async def test_a_confirmed_backup_is_taken_once_and_followed_to_its_end(
    scene: Scene, audit_log: io.StringIO
) -> None:
    confirmation = await ask(scene, 'backup orders-prod "before the schema change"', 1)
    shown = json.dumps(confirmation)
    assert confirmation["response_type"] == "ephemeral"
    assert "Take a backup of orders-prod now?" in shown
    assert "Status: " in shown
    assert "Last good backup: " in shown
    name = "orders-prod-" + NOW.strftime("%Y%m%d%H%M%S")
    assert name in shown
    assert not scene.creates(), "nothing is sent before the click"
    take = button_value(confirmation, ACTION_TAKE_BACKUP)

    # Someone else's click is refused politely; the asker's double click takes one backup.
    await scene.harness.click(ACTION_TAKE_BACKUP, take, user="U0OTHER")
    assert "only the person who asked" in json.dumps(scene.reply(2))
    await scene.harness.click(ACTION_TAKE_BACKUP, take)
    await scene.harness.click(ACTION_TAKE_BACKUP, take)
    scene.slack.wait_for(lambda _: len(posted_in_channel(scene.slack)) == 1)
    await scene.harness.idle()
    assert len(scene.creates()) == 1
    taken = scene.backups_named(name)
    assert len(taken) == 1
    assert taken[0]["status"] == "BUILDING"
    assert taken[0]["description"] == "before the schema change"
    first = posted_in_channel(scene.slack)[0]
    assert "Backup of orders-prod started by <@U0ASKER>" in json.dumps(first.payload)
    assert "confirmed already" in json.dumps(
        [c.payload for c in scene.slack.calls_to("response_url")]
    )

    # The job runs, then ends: the one message is updated in place to say so.
    scene.move_simulator(3)
    scene.slack.wait_for(
        lambda calls: any(
            "running: " in json.dumps(c.payload) for c in calls if c.method == "chat.update"
        )
    )
    scene.move_simulator(7)
    done = scene.slack.wait_for(
        lambda calls: any("completed in 6 min" in json.dumps(c.payload) for c in calls)
    )
    final = next(c for c in done if "completed in 6 min" in json.dumps(c.payload))
    assert final.method == "chat.update"
    assert first.answer is not None
    assert final.payload["ts"] == first.answer["ts"]
    record = scene.backups_named(name)[0]
    assert record["status"] == "COMPLETED"
    size_gb = f"{record['size'] / 1024:.1f} GB"
    assert size_gb in json.dumps(final.payload)
    assert "backups_run" in json.dumps(final.payload), "a button lists the instance's backups"
    assert len(posted_in_channel(scene.slack)) == 1, "one message, updated in place"
    assert len(scene.creates()) == 1
    assert not scene.slack.problems
    changes = [json.loads(line).get("change") for line in audit_log.getvalue().splitlines()]
    for step in ("requested", "confirmed", "started", "done"):
        assert step in changes, changes


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("backup warehouse-prod", "the instance is not normal"),
        ("backup analytics-dw", "already running"),
        ('backup orders-prod "drop = delete"', "the description holds ="),
        ("backup orders-prod it's late", "the description holds '"),
        ("backup orders-prod " + "x" * 257, "at most 256"),
        ("backup", "say which instance to back up"),
        # Slack sends < as &lt;, and the answer shows it escaped again
        ('backup orders-prod "a &lt; b"', "the description holds &lt;"),
    ],
)
async def test_refusals_and_bad_input_are_one_line_and_send_nothing(
    scene: Scene, text: str, said: str
) -> None:
    answer = await ask(scene, text, 1)
    assert said in json.dumps(answer)
    assert answer["response_type"] == "ephemeral"
    assert "Take backup" not in json.dumps(answer)
    assert not scene.creates()


async def test_without_an_action_rule_nobody_may_take_a_backup(scene: Scene) -> None:
    answer = await ask(scene, "backup orders-prod", 1, user="U0STRANGER")
    assert "do not let you take backups" in json.dumps(answer)
    answer = await ask(scene, "backup orders-prod", 2, channel="C0ELSEWHERE")
    assert "Take backup" not in json.dumps(answer)
    assert not scene.creates()


async def test_a_cancelled_confirmation_cannot_be_taken_and_an_expired_one_is_refused(
    scene: Scene,
) -> None:
    confirmation = await ask(scene, "backup orders-prod", 1)
    value = button_value(confirmation, ACTION_CANCEL_BACKUP)
    await scene.harness.click(ACTION_CANCEL_BACKUP, value)
    assert "Cancelled: no backup was taken." in json.dumps(scene.reply(2))
    await scene.harness.click(ACTION_TAKE_BACKUP, value)
    assert "was cancelled" in json.dumps(scene.reply(3))

    late = await ask(scene, "backup orders-prod", 4)
    scene.clock.advance(11 * 60)
    await scene.harness.click(ACTION_TAKE_BACKUP, button_value(late, ACTION_TAKE_BACKUP))
    assert "expired" in json.dumps(scene.reply(5))
    await scene.harness.idle()
    assert not scene.creates()


async def test_a_tampered_confirmation_is_refused(scene: Scene) -> None:
    confirmation = await ask(scene, "backup orders-prod", 1)
    value = json.loads(button_value(confirmation, ACTION_TAKE_BACKUP))
    value["s"] = value["s"].replace("orders-prod", "payments-prod")
    await scene.harness.click(ACTION_TAKE_BACKUP, json.dumps(value))
    assert "button" in json.dumps(scene.reply(2)).lower()
    await scene.harness.idle()
    assert not scene.creates()


async def test_a_lost_answer_is_looked_up_by_name_never_sent_again(scene: Scene) -> None:
    scene.state.knobs.lose_create_answers = 1  # the backup is made, its answer lost (504)
    confirmation = await ask(scene, "backup orders-prod", 1)
    await scene.harness.click(ACTION_TAKE_BACKUP, button_value(confirmation, ACTION_TAKE_BACKUP))
    scene.slack.wait_for(lambda _: len(posted_in_channel(scene.slack)) == 1)
    scene.move_simulator(7)
    scene.slack.wait_for(
        lambda calls: any("completed in 6 min" in json.dumps(c.payload) for c in calls)
    )
    assert len(scene.creates()) == 1
    name = "orders-prod-" + NOW.strftime("%Y%m%d%H%M%S")
    assert len(scene.backups_named(name)) == 1


async def test_a_failed_backup_says_why(scene: Scene) -> None:
    scene.state.knobs.backup_fails = True
    confirmation = await ask(scene, "backup payments-prod", 1)
    await scene.harness.click(ACTION_TAKE_BACKUP, button_value(confirmation, ACTION_TAKE_BACKUP))
    scene.slack.wait_for(lambda _: len(posted_in_channel(scene.slack)) == 1)
    scene.move_simulator(7)
    calls = scene.slack.wait_for(
        lambda calls: any("Backup of payments-prod failed" in json.dumps(c.payload) for c in calls)
    )
    failed = [c for c in calls if "failed" in json.dumps(c.payload)][-1]
    assert "lost its connection to the storage" in json.dumps(failed.payload)


async def test_a_slack_outage_delays_the_final_update_never_loses_it(scene: Scene) -> None:
    confirmation = await ask(scene, "backup users-prod", 1)
    await scene.harness.click(ACTION_TAKE_BACKUP, button_value(confirmation, ACTION_TAKE_BACKUP))
    scene.slack.wait_for(lambda _: len(posted_in_channel(scene.slack)) == 1)
    scene.slack.failures.append(Failure("chat.update", error="fatal_error", times=3))
    scene.move_simulator(7)
    calls = scene.slack.wait_for(
        lambda calls: any(
            c.method == "chat.update" and c.answer is not None and c.answer.get("ok")
            and "completed in 6 min" in json.dumps(c.payload)
            for c in calls
        )
    )  # fmt: skip
    refused = [c for c in calls if c.method == "chat.update" and c.answer is None]
    assert len(refused) == 3, "refused three times, then told"
    assert len(posted_in_channel(scene.slack)) == 1


async def test_a_mention_in_a_thread_gets_the_confirmation_there_for_the_asker_alone(
    scene: Scene,
) -> None:
    mention = {
        "type": "app_mention", "user": "U0ASKER", "channel": "C0INCIDENT",
        "text": "<@UBACKUPBOT> backup orders-prod before the failover",
        "ts": "1700000100.000200", "thread_ts": "1700000000.000100",
    }  # fmt: skip
    await scene.harness.event(mention, event_id="EvBackup1")
    (ephemeral,) = scene.slack.wait_for_method("chat.postEphemeral")
    assert ephemeral.payload["user"] == "U0ASKER"
    assert ephemeral.payload["thread_ts"] == "1700000000.000100"
    shown = json.dumps(ephemeral.payload)
    assert "Take a backup of orders-prod now?" in shown
    assert "Description: before the failover" in shown
    assert not scene.creates()


async def _click_elsewhere(scene: Scene, confirmation: dict[str, Any]) -> None:
    """The asker's click on 'Take backup' from a channel no rule grants backups in."""
    payload = {
        "type": "block_actions", "team": {"id": "T0001"}, "user": {"id": "U0ASKER"},
        "api_app_id": "A0BACKUP", "channel": {"id": "C0ELSEWHERE"},
        "container": {"type": "message", "message_ts": "1.1", "channel_id": "C0ELSEWHERE",
                      "is_ephemeral": True},
        "response_url": scene.harness.response_url(), "trigger_id": "t",
        "actions": [{"type": "button", "action_id": ACTION_TAKE_BACKUP, "block_id": "b",
                     "value": button_value(confirmation, ACTION_TAKE_BACKUP)}],
    }  # fmt: skip
    body = urlencode({"payload": json.dumps(payload)})
    await scene.harness.post(body, "application/x-www-form-urlencoded")


async def test_the_rule_is_checked_again_at_the_click(scene: Scene) -> None:
    """A click the rules do not allow (here: from a channel no rule grants backups in, as
    after the rules changed) is refused, though its confirmation was allowed."""
    confirmation = await ask(scene, "backup orders-prod", 1)
    await _click_elsewhere(scene, confirmation)
    assert "do not let you take backups" in json.dumps(scene.reply(2))
    await scene.harness.idle()
    assert not scene.creates()


async def test_a_chinese_asker_is_asked_and_told_in_chinese_the_others_in_english(
    scene: Scene,
) -> None:
    """The confirmation is the asker's (zh-CN); the channel's message keeps the clicker's
    language to the end, whichever round redraws it; someone else's click is refused in
    their own language (en-US), by the same replica at the same time."""
    scene.slack.user_locales.update({"U0ASKER": "zh-CN", "U0OTHER": "en-US"})
    confirmation = await ask(scene, "backup orders-prod", 1)
    shown = json.dumps(confirmation, ensure_ascii=False)
    assert confirmation["response_type"] == "ephemeral"
    assert "现在为 orders-prod 进行备份吗？" in shown
    assert "状态：正常（" in shown
    assert "最近一次有效备份：" in shown
    assert "只有你可以确认。此确认 10 分钟后失效。" in shown
    assert '"text": "进行备份"' in shown
    assert '"text": "取消"' in shown
    assert "Take a backup" not in shown
    take = button_value(confirmation, ACTION_TAKE_BACKUP)
    await scene.harness.click(ACTION_TAKE_BACKUP, take, user="U0OTHER")
    assert "only the person who asked" in json.dumps(scene.reply(2))
    await scene.harness.click(ACTION_TAKE_BACKUP, take)
    scene.slack.wait_for(lambda _: len(posted_in_channel(scene.slack)) == 1)
    first = json.dumps(posted_in_channel(scene.slack)[0].payload, ensure_ascii=False)
    assert "<@U0ASKER> 发起了 orders-prod 的备份" in first
    assert "列出 orders-prod 的备份" in first
    scene.move_simulator(7)
    done = scene.slack.wait_for(
        lambda calls: any("耗时 6 分钟" in json.dumps(c.payload, ensure_ascii=False) for c in calls)
    )
    final = next(c for c in done if "耗时 6 分钟" in json.dumps(c.payload, ensure_ascii=False))
    assert final.method == "chat.update", "redrawn by a round, in the clicker's language"
    assert "orders-prod 的备份已完成，耗时 6 分钟" in json.dumps(final.payload, ensure_ascii=False)
    assert len(scene.creates()) == 1
    assert not scene.slack.problems


async def test_in_the_pseudo_locale_no_backup_sentence_escapes_and_none_breaks_a_limit(
    scene: Scene,
) -> None:
    """en-XA (every message wrapped and lengthened): the confirmation, the note replacing
    it and the channel's message to its end, within Block Kit's limits, no English outside
    the catalogue but the data."""
    scene.slack.user_locales["U0ASKER"] = "en-XA"
    typed = "before the schema change"  # what the asker wrote: data
    data = fleet_data(scene.state) | {"orders-prod-" + NOW.strftime("%Y%m%d%H%M%S"), typed}
    confirmation = await ask(scene, f'backup orders-prod "{typed}"', 1)
    await scene.harness.click(ACTION_TAKE_BACKUP, button_value(confirmation, ACTION_TAKE_BACKUP))
    scene.slack.wait_for(lambda _: len(posted_in_channel(scene.slack)) == 1)
    scene.move_simulator(7)
    scene.slack.wait_for(
        lambda calls: any(
            c.method == "chat.update"
            and "⟦Backup of orders-prod completed" in json.dumps(c.payload, ensure_ascii=False)
            for c in calls
        )
    )
    shown = [call.payload for call in scene.slack.calls if call.method != "users.info"]
    leaks: list[str] = []
    for payload in shown:
        if "blocks" in payload:
            assert_valid_blocks(payload["blocks"])
        leaks += [word for text in texts(payload) for word in escaped(text, data=data)]
    assert len(shown) >= 3, "the confirmation, the channel's post, its update"
    assert not leaks, leaks
    assert not scene.slack.problems


async def test_a_chinese_askers_refusals_are_audited_in_english(
    scene: Scene, audit_log: io.StringIO
) -> None:
    """Audit lines are for operators: a refusal told in Chinese (when asked, and at the
    click) is audited in English words, the same whoever asked."""
    scene.slack.user_locales["U0ASKER"] = "zh-CN"
    answer = await ask(scene, "backup warehouse-prod", 1)
    assert re.search("[\u4e00-\u9fff]", json.dumps(answer, ensure_ascii=False))
    confirmation = await ask(scene, "backup orders-prod", 2)
    await _click_elsewhere(scene, confirmation)
    assert re.search("[\u4e00-\u9fff]", json.dumps(scene.reply(3), ensure_ascii=False))
    await scene.harness.idle()
    lines = [json.loads(line) for line in audit_log.getvalue().splitlines()]
    reasons = [line["reason"] for line in lines if line.get("change") == "refused"]
    assert len(reasons) == 2, lines
    assert reasons[0].startswith("the instance is not normal (its status: "), reasons
    assert "do not let you take backups" in reasons[1], reasons
    assert not scene.creates()
