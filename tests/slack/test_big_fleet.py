"""Past 100 instances, without `total_count` (optional in the SDK): the instance listing is
read on until a short page, so the 120th instance's failures are reported, through the
front door (a signed `/backups health` and a question)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from bot.huawei.simulator import Fleet, SimulatorState
from bot.huawei.simulator.records import backup_record, instance_record
from tests.conftest import NOW, fixed_clock
from tests.fakes.blockkit import assert_valid_blocks
from tests.slack.conftest import Harness

FLEET_SIZE = 130
FAILING = "db-119"  # the 120th by name: on the listing's second page
WINDOW = "02:00-03:00"


def big_fleet() -> Fleet:
    """130 instances backed up daily 02:00-03:00 UTC for 15 days; db-119's all failed."""
    fleet = Fleet()
    records: list[dict[str, Any]] = []
    first = NOW.replace(hour=2, minute=10, second=0, microsecond=0)
    for number in range(FLEET_SIZE):
        name = f"db-{number:03d}"
        fleet.declare(
            instance_record(
                name=name, status="ACTIVE", created=NOW - timedelta(days=300), window=WINDOW,
                keep_days=7,
            ),
            {"keep_days": 7, "start_time": WINDOW, "period": "1,2,3,4,5,6,7"},
        )  # fmt: skip
        failing = name == FAILING
        records.extend(
            backup_record(
                profile_name=name, begin=first - timedelta(days=days_ago), minutes=3,
                status="FAILED" if failing else "COMPLETED", kind="auto",
                size_mb=0 if failing else 100, serial=f"d{days_ago:03d}",
            )
            for days_ago in range(15)
        )  # fmt: skip
    fleet.extend(records)
    return fleet


@pytest.fixture
def state() -> SimulatorState:
    """The big fleet, its listing without total_count."""
    state = SimulatorState(fleet=big_fleet(), clock=fixed_clock)
    state.knobs.odd = {"no_total_count": frozenset()}
    return state


async def reply(harness: Harness, text: str) -> str:
    assert (await harness.command(text)).status_code == 200
    (call,) = harness.slack.wait_for_method("response_url")
    assert_valid_blocks(call.payload["blocks"])
    return json.dumps(call.payload["blocks"], ensure_ascii=False)


async def test_health_reports_the_120th_instance_of_a_listing_without_total_count(
    harness: Harness, state: SimulatorState
) -> None:
    health = await reply(harness, "health")
    assert f"*`{FAILING}`: failed after retry*" in health, health[:2000]
    assert "1 of 130 instances needs attention" in health
    pages = [r for r in state.requests if r.path.endswith("/instances")]
    assert [r.params.get("offset") for r in pages] == ["0", "100"], "until a short page"


async def test_a_question_warns_about_the_120th_instance(
    harness: Harness, state: SimulatorState
) -> None:
    answer = await reply(harness, "failed last 24h")
    assert f":warning: `{FAILING}`: backup failed at" in answer, answer[:2000]
