"""`POST /_simulator/backups`: backups added while the simulator serves (failures to watch)."""

from __future__ import annotations

from datetime import timedelta

import httpx

from bot.huawei.simulator import SIMULATOR_PROJECT_ID, SimulatorState
from bot.huawei.simulator.server import SimulatorServer
from tests.conftest import NOW


async def test_backups_added_over_http_are_listed_newest_first(
    simulator: SimulatorServer, state: SimulatorState, http: httpx.AsyncClient
) -> None:
    state.tokens["t"] = NOW + timedelta(hours=1)
    before = len(state.fleet.backups)
    added = await http.post(
        f"{simulator.url}/_simulator/backups",
        json=[
            {"instance": "orders-prod", "begin": (NOW - timedelta(minutes=5)).isoformat(),
             "serial": "late-failure", "description": "Backup failed: OBS upload timed out."},
        ],
    )  # fmt: skip
    assert added.status_code == 200
    ((backup_id, name),) = [(b["id"], b["name"]) for b in added.json()["added"]]
    assert added.json()["backups"] == before + 1
    listing = await http.get(
        f"{simulator.url}/v3/{SIMULATOR_PROJECT_ID}/backups",
        params={"limit": "1"},
        headers={"X-Auth-Token": "t"},
    )
    (newest,) = listing.json()["backups"]
    assert (newest["id"], newest["name"], newest["status"], newest["instance_name"]) == (
        backup_id, name, "FAILED", "orders-prod",
    )  # fmt: skip
