"""`backupbot query` against the simulator serving odd instance records: an answer, never a
traceback, whatever one record holds."""

from __future__ import annotations

import pytest

from bot.core.clock import utc_now
from bot.huawei.simulator import Fleet, SimulatorState
from bot.huawei.simulator.server import SimulatorServer
from tests.test_cli import run_cli, simulator_env

ODDITIES = {
    "status_null": frozenset({"orders-prod"}),
    "keep_days_abc": frozenset({"orders-prod"}),
    "created_naive": frozenset({"sessions-prod", "orders-prod", "legacy-crm"}),
    "period_fullwidth": frozenset({"legacy-crm"}),
    "twin": frozenset({"payments-prod"}),
}


@pytest.mark.parametrize(
    ("words", "shown"),
    [
        (("health",), "legacy-crm"),
        # a week holds orders-prod's daily backups at any hour (a day may not: its backup
        # begins near 02:40 UTC, so "last 24h" asked just after it found none)
        (("orders-prod", "last", "7d"), "TaurusDB-orders-prod-"),
        (("failed", "last", "7d"), "legacy-crm"),
    ],
)
def test_a_question_is_answered_whatever_one_instance_record_holds(
    words: tuple[str, ...], shown: str
) -> None:
    state = SimulatorState(fleet=Fleet.demo(utc_now()))
    state.knobs.odd = dict(ODDITIES)
    with SimulatorServer(state) as server:
        result = run_cli("query", *words, env=simulator_env(server.url))
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert shown in result.stdout
    assert "invalid literal" not in result.stdout


def test_an_unreadable_instance_page_is_a_note_not_a_failure() -> None:
    state = SimulatorState(fleet=Fleet.demo(utc_now()))
    state.knobs.odd = {"unreadable_page": frozenset()}
    with SimulatorServer(state) as server:
        result = run_cli("query", "health", env=simulator_env(server.url))
    assert result.returncode == 0, result.stderr
    assert "instance listing could not be read" in result.stdout
    assert "legacy-crm" in result.stdout
