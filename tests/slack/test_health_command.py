"""Every health state through the front door: a signed `/backups health` to the bot, the
bot to the simulator over HTTP (instances, policies, backups), the answer back to Slack;
and the same states in a digest posted to a channel.

The demo fleet at NOW already holds six states (instance not normal, no backups at all,
failed after retry, missed, no automated backups, ok); three instances are added here for
the other three: a backup running in its window, a failure whose retry is still to come,
and a policy backupbot cannot understand (judged by the 26 h threshold: stale).
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from bot.core.health.reports import State
from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.records import backup_record, instance_record
from tests.conftest import NOW
from tests.fakes.blockkit import assert_valid_blocks
from tests.slack.conftest import Harness

WINDOW = "10:00-11:00"  # daily, UTC: NOW (10:30) is inside today's window
DAILY = "1,2,3,4,5,6,7"
# The instance whose state each one shows, beside the demo fleet's own.
ADDED = {State.RUNNING: "batch-prod", State.FAILED: "queue-prod", State.STALE: "cache-prod"}
DEMO = {
    State.NOT_NORMAL: "warehouse-prod",
    State.NO_BACKUPS: "sessions-prod",
    State.FAILED_AFTER_RETRY: "legacy-crm",
    State.MISSED: "events-prod",
    State.NO_AUTOMATED: "scratch-dev",
    State.OK: "orders-prod",
    State.RESTORE_GAP: "payments-prod",
}


def declare(state: SimulatorState, name: str, *, start_time: str = WINDOW) -> None:
    record = instance_record(
        name=name, status="ACTIVE", created=NOW - timedelta(days=300), window=WINDOW, keep_days=7
    )
    state.fleet.declare(record, {"keep_days": 7, "start_time": start_time, "period": DAILY})


def add(state: SimulatorState, name: str, *, ago: timedelta, status: str, serial: str) -> None:
    running = status == "BUILDING"
    state.fleet.add(
        backup_record(
            profile_name=name,
            begin=NOW - ago,
            minutes=None if running else 4,
            status=status,
            kind="auto",
            size_mb=0 if status != "COMPLETED" else 5_000,
            serial=serial,
            description="Backup failed: OBS upload timed out." if status == "FAILED" else "",
        )
    )


@pytest.fixture
def every_state(state: SimulatorState) -> SimulatorState:
    """The demo fleet, plus an instance for each state it does not show at NOW."""
    day = timedelta(days=1)
    declare(state, "batch-prod")
    add(state, "batch-prod", ago=day + timedelta(minutes=20), status="COMPLETED", serial="b0")
    add(state, "batch-prod", ago=timedelta(minutes=25), status="BUILDING", serial="b1")
    declare(state, "queue-prod")
    add(state, "queue-prod", ago=day + timedelta(minutes=20), status="COMPLETED", serial="q0")
    add(state, "queue-prod", ago=timedelta(minutes=20), status="FAILED", serial="q1")
    declare(state, "cache-prod", start_time="25:00-26:00")  # not a time: policy not understood
    add(state, "cache-prod", ago=timedelta(hours=30), status="COMPLETED", serial="c0")
    return state


def rows_of(payload: dict[str, Any]) -> str:
    return json.dumps(payload["blocks"])


def assert_each_state(text: str) -> None:
    """Each instance's row of the timeline grid ends with its state; the alarming ones are
    also listed with their reason."""
    lines = text.replace("```", "\\n").split("\\n")
    for state, name in {**DEMO, **ADDED}.items():
        row = next(line for line in lines if line.startswith(name))
        assert row.rstrip().removesuffix(", overdue").endswith(state.value), row
        if state not in (State.OK, State.RUNNING):
            assert f"*`{name}`: {state.value}*" in text, name


async def test_each_state_is_answered_through_the_front_door(
    harness: Harness, every_state: SimulatorState
) -> None:
    response = await harness.command("health")
    assert response.status_code == 200
    (call,) = harness.slack.wait_for_method("response_url")
    payload = call.payload
    assert payload["response_type"] == "ephemeral"
    assert_valid_blocks(payload["blocks"])
    text = rows_of(payload)
    assert_each_state(text)
    # in the asker's zone (Europe/Paris): the failure ended 10:14 UTC, the retry ~30 min on
    assert "backup failed at 11:10 (Backup failed: OBS upload timed out.)" in text
    assert "TaurusDB retries at about 11:44" in text
    assert "policy unknown (not understood" in text
    paths = {request.path.rsplit("/", 1)[-1] for request in every_state.requests}
    assert paths == {"instances", "policy", "backups", "restore-time"}, "read the four APIs"


async def test_health_of_named_instances_shows_only_them(
    harness: Harness, every_state: SimulatorState
) -> None:
    await harness.command("health queue-prod batch-prod")
    (call,) = harness.slack.wait_for_method("response_url")
    text = rows_of(call.payload)
    assert "Backup health: batch-prod queue-prod" in text
    assert "orders-prod" not in text
    policies = [r for r in every_state.requests if r.path.endswith("/policy")]
    assert len(policies) == 2, "one policy read per instance asked about"


async def test_health_takes_only_instances(harness: Harness, every_state: SimulatorState) -> None:
    await harness.command("health orders-prod last 7d")
    (call,) = harness.slack.wait_for_method("response_url")
    assert call.payload["response_type"] == "ephemeral"
    assert "health takes only instances" in json.dumps(call.payload)
    assert every_state.requests == [], "refused before any read"


async def test_each_state_is_in_a_digest(harness: Harness, every_state: SimulatorState) -> None:
    await harness.command("digest now")
    (post,) = harness.slack.wait_for_method("chat.postMessage")
    assert_valid_blocks(post.payload["blocks"])
    text = rows_of(post.payload)
    assert_each_state(text)
    assert "TaurusDB-queue-prod-20261127181000q1" in text, "its failure of the last 24 h"
