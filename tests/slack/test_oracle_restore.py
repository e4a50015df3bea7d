"""The restore oracle: random restore questions through the front door, every answer
checked against truth computed from the simulator's own fleet (tests/oracle_restore.py):
points at and beside range edges, in the asker's clock changes (New York, London),
before the earliest point, in the gap, and tables that were created or dropped.

`BACKUPBOT_ORACLE_RUNS=500` explores more; one bot answers every question (its caches
shared as in production), the fleet and the clock standing still.
"""

from __future__ import annotations

import os
import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.records import instance_id_for
from bot.huawei.simulator.restore_story import story
from tests.conftest import NOW
from tests.fakes.blockkit import assert_valid_blocks
from tests.oracle_restore import USERS, full_backup, random_question, table_truth
from tests.slack.conftest import Harness
from tests.slack.test_restore import text_of

CI_RUNS = 40
STAMP = "%Y-%m-%d %H:%M:%S"


def local(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime(STAMP)


async def test_random_restore_questions_answer_truly(
    harness: Harness, state: SimulatorState
) -> None:
    harness.slack.user_zones.update(USERS)
    runs = int(os.environ.get("BACKUPBOT_ORACLE_RUNS", CI_RUNS))
    rng = random.Random(int(os.environ.get("BACKUPBOT_ORACLE_SEED", "2121")))
    seen = {"yes": 0, "no": 0, "refused": 0}
    for run in range(runs):
        expected = random_question(rng, state.fleet, NOW)
        harness.slack.calls.clear()
        await harness.command(expected.words, user=expected.user)
        (call,) = harness.slack.wait_for_method("response_url")
        assert_valid_blocks(call.payload["blocks"])
        text = text_of(call.payload)
        where = f"run {run}: {expected.words!r} asked in {USERS[expected.user]}\n{text}"
        if expected.point is None:
            assert expected.refusal in text, where
            seen["refused"] += 1
            continue
        zone = USERS[expected.user]
        point, name = expected.point, expected.words.split()[1]
        spans = story(state.fleet, instance_id_for(name), NOW).spans
        holding = [span for span in spans if span[0] <= point <= span[1]]
        said = f"{local(point, zone)} ({zone}) = {point.astimezone(UTC).strftime(STAMP)} UTC"
        if holding:
            seen["yes"] += 1
            assert f"*{name}* can be restored to {said}" in text, where
            assert f'"restore_time": {int(point.timestamp() * 1000)}' in text, where
            base = full_backup(state.fleet, name, point)
            assert base is not None, where
            assert base["name"] in text, where
            if " table " in expected.words:
                table = expected.words.rsplit(" ", 1)[1]
                assert table_truth(state.fleet, name, table, point, NOW) in text, where
            continue
        seen["no"] += 1
        assert f"*{name}* cannot be restored to {said}" in text, where
        before = [span for span in spans if span[1] < point]
        after = [span for span in spans if span[0] > point]
        if before and after:
            assert local(before[-1][1], zone) in text, where
            assert local(after[0][0], zone) in text, where
        elif after:
            assert f"before the earliest point, {local(after[0][0], zone)}" in text, where
        elif before:
            assert f"after the newest restorable point, {local(before[-1][1], zone)}" in text
        if " table " in expected.words:
            assert "cannot be checked" in text, where
    assert all(seen.values()), f"every kind of answer was checked: {seen}"
