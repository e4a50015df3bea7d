"""Following a backup taken by hand never depends on a guess and always ends: a job the
API will not show (whatever its error code) is followed by the backup's own row, and a
backup that can be seen neither by its job nor by its row is followed for FOLLOW_FOR,
then ended in words, with an audit line. Through the front door: signed requests, the
simulator over HTTP, the fake Slack; the ground truth is the simulator's state."""

from __future__ import annotations

import io
import json

from bot.core.backup_action import FOLLOW_FOR
from bot.slack.blocks import ACTION_TAKE_BACKUP
from tests.conftest import NOW
from tests.fakes.slack import Call
from tests.processes import wait_until
from tests.slack.backup_scene import Scene, ask, button_value, posted_in_channel

NAME = "orders-prod-" + NOW.strftime("%Y%m%d%H%M%S")


def _updates_saying(calls: list[Call], words: str) -> list[Call]:
    return [c for c in calls if c.method == "chat.update" and words in json.dumps(c.payload)]


async def _take(scene: Scene) -> None:
    confirmation = await ask(scene, "backup orders-prod", 1)
    await scene.harness.click(ACTION_TAKE_BACKUP, button_value(confirmation, ACTION_TAKE_BACKUP))
    scene.slack.wait_for(lambda _: len(posted_in_channel(scene.slack)) == 1)


async def test_a_job_that_cannot_be_read_is_followed_by_the_backups_own_row(
    scene: Scene,
) -> None:
    """The jobs API answers an error code no doc gives, for as long as the backup runs:
    the backup's row still carries it to its end, in the same one message."""
    scene.state.knobs.job_unknown_seconds = 24 * 3600
    scene.state.knobs.job_unknown_answer = (404, "DBS.279999")
    await _take(scene)
    scene.clock.advance(3 * 60)  # past the job's grace: said in words
    scene.slack.wait_for(lambda calls: bool(_updates_saying(calls, "its job cannot be read")))
    scene.move_simulator(7)
    calls = scene.slack.wait_for(lambda calls: bool(_updates_saying(calls, "completed in 6 min")))
    (record,) = scene.backups_named(NAME)
    assert record["status"] == "COMPLETED"
    assert f"{record['size'] / 1024:.1f} GB" in json.dumps(
        _updates_saying(calls, "completed")[0].payload
    )
    assert len(posted_in_channel(scene.slack)) == 1
    assert len(scene.creates()) == 1


async def test_a_backup_that_vanishes_is_followed_for_a_bounded_time_then_ended_in_words(
    scene: Scene, audit_log: io.StringIO
) -> None:
    """Found by its name after a lost answer (so no job to read), then gone from the
    listing: "still trying" in words, and after FOLLOW_FOR a final message and audit line."""
    scene.state.knobs.lose_create_answers = 1
    await _take(scene)
    wait_until("the backup found", lambda: '"found"' in audit_log.getvalue())
    (record,) = scene.backups_named(NAME)
    scene.state.fleet.remove(record["id"])
    scene.slack.wait_for(lambda calls: bool(_updates_saying(calls, "neither its job nor")))
    scene.clock.advance(FOLLOW_FOR.total_seconds() + 60)
    calls = scene.slack.wait_for(lambda calls: bool(_updates_saying(calls, "could not follow")))
    final = _updates_saying(calls, "could not follow")[-1]
    assert "check the console" in json.dumps(final.payload)
    assert len(posted_in_channel(scene.slack)) == 1
    changes = [json.loads(line).get("change") for line in audit_log.getvalue().splitlines()]
    assert "lost" in changes, changes


async def test_a_second_ask_names_who_started_the_running_one_as_a_mention(scene: Scene) -> None:
    await _take(scene)
    answer = await ask(scene, "backup orders-prod", 3, user="U0OTHER")
    assert "already running, started by <@U0ASKER> at " in json.dumps(answer)
    assert len(scene.creates()) == 1


async def test_a_backup_asked_in_a_dm_gets_the_confirmation_and_is_followed_there(
    scene: Scene,
) -> None:
    """A DM is a channel of two: the confirmation goes there for the asker alone
    (chat.postEphemeral takes an IM channel), and the backup's message is posted there."""
    dm = {
        "type": "message", "channel_type": "im", "user": "U0ASKER", "channel": "D0DM",
        "text": "backup orders-prod before the fix", "ts": "1700000000.000500",
    }  # fmt: skip
    await scene.harness.event(dm, event_id="EvDmBackup")
    (ephemeral,) = scene.slack.wait_for_method("chat.postEphemeral")
    assert ephemeral.payload["channel"] == "D0DM"
    assert ephemeral.payload["user"] == "U0ASKER"
    assert "Take a backup of orders-prod now?" in json.dumps(ephemeral.payload)
    assert not scene.creates()
    take = button_value(ephemeral.payload, ACTION_TAKE_BACKUP)
    await scene.harness.click(ACTION_TAKE_BACKUP, take, channel="D0DM")
    scene.slack.wait_for(
        lambda calls: any(
            c.method == "chat.postMessage" and c.payload.get("channel") == "D0DM" for c in calls
        )
    )
    await scene.harness.idle()
    assert len(scene.creates()) == 1
    assert scene.backups_named(NAME)[0]["description"] == "before the fix"


async def test_a_create_answered_but_unreadable_is_looked_up_never_called_as_refused(
    scene: Scene,
) -> None:
    """A 201 whose body cannot be read (here: no job_id) made the backup: it is looked up
    by its name and followed to its end, never told as failed nor sent again."""
    scene.state.knobs.garble_create_answers = 1
    await _take(scene)
    scene.move_simulator(7)
    calls = scene.slack.wait_for(
        lambda calls: any(
            "completed in 6 min" in json.dumps(c.payload) or "failed" in json.dumps(c.payload)
            for c in calls if c.method == "chat.update"
        )
    )  # fmt: skip
    assert _updates_saying(calls, "completed in 6 min"), [c.payload for c in calls[-2:]]
    assert len(scene.creates()) == 1
    assert len(scene.backups_named(NAME)) == 1


async def test_a_lost_answer_is_looked_for_its_full_patience_from_the_click(
    scene: Scene,
) -> None:
    """Clicked near the end of the confirmation's 10 minutes, the create's answer lost and
    the listing late to show the backup: it is looked for for its patience from the click
    (not from the asking), found, and followed to its end; never "it was not taken"."""
    confirmation = await ask(scene, "backup orders-prod", 1)
    scene.clock.advance(9.5 * 60)
    scene.state.knobs.lose_create_answers = 1
    scene.state.knobs.listing_lag_seconds = 120
    await scene.harness.click(ACTION_TAKE_BACKUP, button_value(confirmation, ACTION_TAKE_BACKUP))
    scene.slack.wait_for(lambda _: len(posted_in_channel(scene.slack)) == 1)
    scene.clock.advance(60)  # 10.5 minutes after asking, one after the click

    def lookups() -> int:
        return sum(1 for r in scene.state.requests if r.path.endswith("/backups"))

    seen = lookups()
    wait_until("two rounds looking in vain", lambda: lookups() >= seen + 2)
    scene.move_simulator(3)  # the listing shows it now
    wait_until("the backup listed", lambda: len(scene.backups_named(NAME)) == 1)
    scene.move_simulator(3 + 7)
    calls = scene.slack.wait_for(
        lambda calls: any(
            "completed in 6 min" in json.dumps(c.payload) or "not taken" in json.dumps(c.payload)
            for c in calls if c.method == "chat.update"
        )
    )  # fmt: skip
    assert not _updates_saying(calls, "not taken"), "looked for from the click, found"
    assert len(scene.creates()) == 1


async def test_a_completed_job_whose_row_stays_building_ends_without_waiting_forever(
    scene: Scene,
) -> None:
    """The job says Completed, the listing keeps saying BUILDING: its row is waited on (for
    its size) only a little while, then the backup is told completed, its size unknown."""
    scene.state.knobs.rows_stay_building = True
    await _take(scene)
    scene.move_simulator(3)
    scene.slack.wait_for(lambda calls: bool(_updates_saying(calls, "running: ")))
    scene.move_simulator(7)  # the job completes; its row does not
    jobs = len([r for r in scene.state.requests if r.path.endswith("/jobs")])
    wait_until(
        "the completed job read",
        lambda: len([r for r in scene.state.requests if r.path.endswith("/jobs")]) >= jobs + 2,
    )
    scene.clock.advance(3 * 60)
    calls = scene.slack.wait_for(lambda calls: bool(_updates_saying(calls, "completed in")))
    assert "its size not known yet" in json.dumps(
        _updates_saying(calls, "completed in")[-1].payload
    )
    (record,) = scene.backups_named(NAME)
    assert record["status"] == "BUILDING", "the simulator's row never said otherwise"
