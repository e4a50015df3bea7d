"""The simulator serves odd instance records on a knob (in-process, or over
`POST /_simulator/oddities`), and what it serves is what the official SDK's models accept,
but for the oddities said to be beyond them."""

from __future__ import annotations

import asyncio
import warnings
from datetime import timedelta

import httpx
from huaweicloudsdkgaussdb.v3 import (
    ListGaussMySqlInstancesRequest,
    ShowGaussMySqlBackupPolicyRequest,
)

from bot.core.clock import utc_now
from bot.huawei.simulator import SIMULATOR_PROJECT_ID, Fleet, SimulatorState
from bot.huawei.simulator.oddities import TWIN_SUFFIX
from bot.huawei.simulator.records import instance_id_for
from bot.huawei.simulator.server import SimulatorServer
from tests.conftest import NOW
from tests.huawei.test_simulator import _official_client

# Every oddity the SDK's models accept, each on its own instance.
SDK_VALID = {
    "status_null": ("orders-prod",),
    "keep_days_abc": ("payments-prod",),
    "created_naive": ("legacy-crm",),
    "created_unreadable": ("users-prod",),
    "name_null": ("search-prod",),
    "twin": ("billing-prod",),
    "period_superscript": ("archive-prod",),
    "period_fullwidth": ("events-prod",),
    "no_total_count": (),
}


def _listing(url: str) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the v3 call backupbot makes
        return _official_client(url).list_gauss_my_sql_instances(ListGaussMySqlInstancesRequest())


def _policy(url: str, instance_id: str) -> object:
    request = ShowGaussMySqlBackupPolicyRequest(instance_id=instance_id)
    return _official_client(url).show_gauss_my_sql_backup_policy(request)


async def test_the_official_sdk_reads_every_odd_value_it_accepts() -> None:
    state = SimulatorState(fleet=Fleet.demo(utc_now()))  # the SDK signs with the real clock
    state.knobs.odd = {name: frozenset(names) for name, names in SDK_VALID.items()}
    with SimulatorServer(state) as server:
        listing = await asyncio.to_thread(_listing, server.url)
        twin = instance_id_for("billing-prod" + TWIN_SUFFIX)
        superscript = await asyncio.to_thread(_policy, server.url, instance_id_for("archive-prod"))
        twin_policy = await asyncio.to_thread(_policy, server.url, twin)
    rows = {row.id: row for row in listing.instances}  # type: ignore[attr-defined]  # untyped SDK
    assert listing.total_count is None  # type: ignore[attr-defined]
    assert rows[instance_id_for("orders-prod")].status is None
    assert rows[instance_id_for("payments-prod")].backup_strategy.keep_days == "abc"
    assert rows[instance_id_for("legacy-crm")].created.count("+") == 0
    assert rows[instance_id_for("users-prod")].created == "soon"
    assert rows[instance_id_for("search-prod")].name is None
    assert rows[twin].name == rows[instance_id_for("billing-prod")].name == "billing-prod"
    assert superscript.backup_policy.period.endswith("²")  # type: ignore[attr-defined]
    assert twin_policy.backup_policy.keep_days > 0  # type: ignore[attr-defined]


async def test_oddities_are_set_and_ended_over_http(
    simulator: SimulatorServer, state: SimulatorState, http: httpx.AsyncClient
) -> None:
    state.tokens["t"] = NOW + timedelta(hours=1)
    url = f"{simulator.url}/v3/{SIMULATOR_PROJECT_ID}/instances"
    control = f"{simulator.url}/_simulator/oddities"
    refused = await http.post(control, json={"status_nul": ["orders-prod"]})
    assert refused.status_code == 400
    assert "status_null" in refused.json()["error"], "names the known ones"
    set_ = await http.post(control, json={"no_id": ["orders-prod"], "unreadable_page": []})
    assert set_.json() == {"oddities": {"no_id": ["orders-prod"], "unreadable_page": []}}
    assert (await http.get(url, headers={"X-Auth-Token": "t"})).json()["instances"] == {
        "unreadable": True
    }
    await http.post(control, json={"no_id": ["orders-prod"]})
    rows = (await http.get(url, headers={"X-Auth-Token": "t"})).json()["instances"]
    assert [row["name"] for row in rows if "id" not in row] == ["orders-prod"]
    await http.post(f"{simulator.url}/_simulator/reset")
    assert state.knobs.odd == {}


async def test_a_policy_value_beyond_the_sdk_is_served_as_said(
    simulator: SimulatorServer, state: SimulatorState, http: httpx.AsyncClient
) -> None:
    state.tokens["t"] = NOW + timedelta(hours=1)
    state.knobs.odd = {"policy_keep_days_abc": frozenset({"orders-prod"})}
    instance_id = instance_id_for("orders-prod")
    url = f"{simulator.url}/v3/{SIMULATOR_PROJECT_ID}/instances/{instance_id}/backups/policy"
    policy = (await http.get(url, headers={"X-Auth-Token": "t"})).json()["backup_policy"]
    assert policy["keep_days"] == "abc"
