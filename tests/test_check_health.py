"""`backupbot check` says whether health may judge by policy: one instance page and one
policy read per profile, against the simulator over HTTP. A denial is a warning (exit 0):
health still answers, by the age threshold."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.core.clock import utc_now
from bot.huawei.simulator import (
    SIMULATOR_PROJECT_ID,
    Fleet,
    SimulatorState,
)
from bot.huawei.simulator.server import SimulatorServer
from tests.test_cli import run_cli, simulator_env

INSTANCES_DENIED = (
    "⚠ TaurusDB instances: may not list instances: grant gaussdbformysql:instance:list "
    "(role/policy-based: gaussdb:instance:list); health falls back to the 26 h threshold "
    "and cannot see instances without backups"
)
POLICIES_DENIED = (
    "⚠ TaurusDB policies: may not read backup policies: grant "
    "gaussdbformysql:backup:listPolicy (role/policy-based: gaussdb:backup:list); health "
    "falls back to the 26 h threshold"
)


@pytest.fixture
def state() -> SimulatorState:
    return SimulatorState(fleet=Fleet.demo(utc_now()))


@pytest.fixture
def simulator(state: SimulatorState) -> Iterator[SimulatorServer]:
    with SimulatorServer(state) as server:
        yield server


def _check(server: SimulatorServer, tmp_path: Path, **env: str) -> tuple[int, list[str]]:
    result = run_cli(
        "check",
        env={
            **simulator_env(server.url),
            "BACKUPBOT_STATE": str(tmp_path / "state.sqlite3"),
            **env,
        },
    )
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout.splitlines()


def _control(server: SimulatorServer, route: str, body: object) -> None:
    """Tell the simulator to misbehave, as a test in another process would: over HTTP."""
    answer = httpx.post(f"{server.url}/_simulator/{route}", json=body)
    assert answer.status_code == 200, answer.text


def _line(lines: list[str], subject: str) -> str:
    (line,) = [line for line in lines if line[2:].startswith(f"{subject}: ")]
    return line


def test_check_says_health_may_list_instances_and_read_policies(
    simulator: SimulatorServer, state: SimulatorState, tmp_path: Path
) -> None:
    code, lines = _check(simulator, tmp_path)
    assert code == 0, lines
    first = next(iter(state.fleet.inventory().values()))
    name, window = first.record["name"], first.policy["start_time"]
    assert _line(lines, "TaurusDB instances") == (
        f"✔ TaurusDB instances: may list instances ({len(state.fleet.inventory())} instances)"
    )
    assert _line(lines, "TaurusDB policies") == (
        f"✔ TaurusDB policies: may read backup policies ({name}: daily {window} UTC)"
    )
    taken_by_hand = _line(lines, "TaurusDB backups taken by hand")
    assert "gaussdbformysql:backup:create and gaussdbformysql:task:list" in taken_by_hand
    assert "not tried" in taken_by_hand
    paths = [(request.path, request.params.get("limit")) for request in state.requests]
    project = f"/v3/{SIMULATOR_PROJECT_ID}"
    assert paths == [
        (f"{project}/backups", "1"),
        (f"{project}/instances", "1"),
        (f"{project}/instances/{first.record['id']}/backups/policy", None),
        (f"{project}/instances/{first.record['id']}/restore-time", None),
    ], "four cheap requests, one of each API"


def test_without_permission_to_list_instances_check_warns_and_still_passes(
    simulator: SimulatorServer, state: SimulatorState, tmp_path: Path
) -> None:
    _control(simulator, "deny", {"apis": ["instances"]})
    code, lines = _check(simulator, tmp_path)
    assert code == 0, lines
    assert _line(lines, "TaurusDB instances") == INSTANCES_DENIED
    newest = state.fleet.backups[0].record
    assert _line(lines, "TaurusDB policies").startswith(
        f"✔ TaurusDB policies: may read backup policies ({newest['instance_id']}: "
    ), "the policy of the newest backup's instance, since none could be listed"
    statuses = [request.status for request in state.requests]
    assert statuses == [200, 403, 200, 200], "403 not retried; then the restore times"


def test_without_permission_to_read_policies_check_warns_and_still_passes(
    simulator: SimulatorServer, tmp_path: Path
) -> None:
    _control(simulator, "deny", {"apis": ["policy"]})
    code, lines = _check(simulator, tmp_path, BACKUPBOT_STALE_AFTER_HOURS="26")
    assert code == 0, lines
    assert _line(lines, "TaurusDB instances").startswith("✔ TaurusDB instances: may list")
    assert _line(lines, "TaurusDB policies") == POLICIES_DENIED


def test_the_warnings_name_the_configured_threshold(
    simulator: SimulatorServer, tmp_path: Path
) -> None:
    _control(simulator, "deny", {"apis": ["instances", "policy"]})
    code, lines = _check(simulator, tmp_path, BACKUPBOT_STALE_AFTER_HOURS="72")
    assert code == 0, lines
    assert _line(lines, "TaurusDB instances") == INSTANCES_DENIED.replace("26 h", "3 d")
    assert _line(lines, "TaurusDB policies") == POLICIES_DENIED.replace("26 h", "3 d")


def test_a_broken_instances_api_fails_check(simulator: SimulatorServer, tmp_path: Path) -> None:
    fault = {"kind": "error", "status": 404, "error_code": "APIGW.0101", "skip": 1}
    _control(simulator, "faults", fault)
    code, lines = _check(simulator, tmp_path)
    assert code == 1, lines
    assert _line(lines, "TaurusDB API").startswith("✔ TaurusDB API: answered")
    line = _line(lines, "TaurusDB instances")
    assert line.startswith("✖ TaurusDB instances: "), line
    assert "HTTP 404, APIGW.0101" in line


def test_an_empty_project_has_no_policy_to_read(tmp_path: Path) -> None:
    state = SimulatorState(fleet=Fleet())
    with SimulatorServer(state) as server:
        code, lines = _check(server, tmp_path)
    assert code == 0, lines
    assert _line(lines, "TaurusDB instances") == (
        "✔ TaurusDB instances: may list instances (0 instances)"
    )
    assert _line(lines, "TaurusDB policies") == (
        "- TaurusDB policies: not checked: no instance to read the policy of"
    )
    assert state.request_count == 2


def test_a_refused_key_is_one_line_not_three(simulator: SimulatorServer, tmp_path: Path) -> None:
    code, lines = _check(simulator, tmp_path, CLOUD_SDK_SK="not-the-right-secret")
    assert code == 1
    assert [line for line in lines if "TaurusDB" in line] == [lines[1]]
    assert lines[1].startswith("✖ TaurusDB API: ")


def test_check_says_whether_restore_questions_may_be_answered(
    simulator: SimulatorServer, tmp_path: Path
) -> None:
    code, lines = _check(simulator, tmp_path)
    assert code == 0, lines
    assert _line(lines, "TaurusDB restore times").startswith(
        "✔ TaurusDB restore times: may read restorable times ("
    )
    _control(simulator, "deny", {"apis": ["restore_time"]})
    code, lines = _check(simulator, tmp_path)
    assert code == 0, lines
    assert _line(lines, "TaurusDB restore times") == (
        "⚠ TaurusDB restore times: may not read restorable times: grant "
        "gaussdbformysql:backup:getRestoreTime (role/policy-based: gaussdb:backup:list); "
        "restore questions are refused"
    )
