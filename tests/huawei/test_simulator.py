"""The simulator is faithful: the official SDK talks to it, and its fleet looks real."""

from __future__ import annotations

import asyncio
import re
import warnings
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkgaussdb.v3 import (
    GaussDBClient,
    ListGaussMySqlInstancesRequest,
    ShowGaussMySqlBackupListRequest,
    ShowGaussMySqlBackupPolicyRequest,
)

from bot.core.backup import Backup, BackupStatus
from bot.core.clock import utc_now
from bot.core.health.instances import BackupPolicy
from bot.huawei.simulator import (
    SIMULATOR_ACCESS_KEY,
    SIMULATOR_PROJECT_ID,
    SIMULATOR_SECRET_KEY,
    Fleet,
    SimulatorState,
)
from bot.huawei.simulator.instance_profiles import (
    DEMO_INSTANCES,
    HEALTH_INSTANCES,
    NO_BACKUPS_INSTANCE,
)
from bot.huawei.simulator.records import instance_id_for
from bot.huawei.simulator.server import SimulatorServer
from tests.conftest import NOW


def _official_client(url: str, secret: str = SIMULATOR_SECRET_KEY) -> GaussDBClient:
    credentials = BasicCredentials(SIMULATOR_ACCESS_KEY, secret, SIMULATOR_PROJECT_ID)
    return GaussDBClient.new_builder().with_credentials(credentials).with_endpoints([url]).build()


def _call_official(url: str, request: ShowGaussMySqlBackupListRequest, secret: str) -> object:
    return _official_client(url, secret).show_gauss_my_sql_backup_list(request)


async def test_the_official_sdk_is_accepted_and_answered() -> None:
    state = SimulatorState(fleet=Fleet.demo(utc_now()))  # the SDK signs with the real clock
    with SimulatorServer(state) as server:
        request = ShowGaussMySqlBackupListRequest(
            offset="0",
            limit="5",
            begin_time="2026-01-01T00:00:00+0800",
            instance_name="orders-prod",
        )
        response = await asyncio.to_thread(
            _call_official, server.url, request, SIMULATOR_SECRET_KEY
        )
    backups = response.backups  # type: ignore[attr-defined]  # the SDK is untyped
    assert len(backups) == 5
    assert {backup.instance_name for backup in backups} == {"orders-prod"}
    assert state.requests[-1].params["begin_time"] == "2026-01-01T00:00:00+0800"


async def test_the_official_sdk_with_a_wrong_secret_gets_apigw_0301() -> None:
    state = SimulatorState(fleet=Fleet.demo(utc_now()))
    with SimulatorServer(state) as server:
        request = ShowGaussMySqlBackupListRequest(limit="5")
        with pytest.raises(ClientRequestException) as caught:
            await asyncio.to_thread(_call_official, server.url, request, "not-the-secret")
    assert caught.value.status_code == 401
    assert caught.value.error_code == "APIGW.0301"


def test_the_demo_fleet_is_deterministic() -> None:
    first = [stored.record for stored in Fleet.demo(NOW).backups]
    second = [stored.record for stored in Fleet.demo(NOW).backups]
    assert first == second


def test_the_demo_fleet_looks_like_a_real_one() -> None:
    fleet = Fleet.demo(NOW)
    backups = [Backup.model_validate(stored.record) for stored in fleet.backups]
    instances = {backup.instance_name for backup in backups}
    declared = {profile.name for profile in (*DEMO_INSTANCES, *HEALTH_INSTANCES)}
    assert instances == declared - {NO_BACKUPS_INSTANCE}
    assert all(re.fullmatch(r"[0-9a-f]{32}in07", b.instance_id) for b in backups)
    assert all(re.fullmatch(r"[0-9a-f]{32}br07", b.id) for b in backups)
    assert all(4 <= len(b.name) <= 64 and b.name[0].isalpha() for b in backups)
    statuses = Counter(backup.status for backup in backups)
    assert statuses[BackupStatus.BUILDING] == 1
    assert statuses[BackupStatus.FAILED] >= 3
    assert Counter(backup.type for backup in backups)["manual"] >= 5
    orders = [b for b in backups if b.instance_name == "orders-prod" and b.type == "auto"]
    assert len(orders) >= 59
    assert min(b.begin_time for b in orders) <= NOW - timedelta(days=59)
    good = sorted((b for b in orders if b.status.is_good), key=lambda b: b.begin_time)
    assert (good[-1].size or 0) > (good[0].size or 0)
    legacy_good = [b for b in backups if b.instance_name == "legacy-crm" and b.status.is_good]
    assert max(b.begin_time for b in legacy_good) < NOW - timedelta(days=3)
    assert all(b.begin_time <= NOW for b in backups)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=101", "limit"),
        ("limit=0", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("backup_type=full", "backup_type"),
        ("begin_time=2026-11-01", "begin_time"),
        ("instance_name=x", "instance_name"),
    ],
)
async def test_invalid_parameters_get_the_documented_400_shape(
    simulator: SimulatorServer,
    state: SimulatorState,
    http: httpx.AsyncClient,
    query: str,
    message: str,
) -> None:
    state.tokens["t"] = NOW + timedelta(hours=1)
    response = await http.get(
        f"{simulator.url}/v3/{SIMULATOR_PROJECT_ID}/backups?{query}", headers={"X-Auth-Token": "t"}
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"error_code", "error_msg"}
    assert body["error_code"] == "DBS.200001"
    assert message in body["error_msg"]
    assert response.headers["X-Request-Id"]


async def test_unsigned_requests_are_refused(
    simulator: SimulatorServer, http: httpx.AsyncClient
) -> None:
    response = await http.get(f"{simulator.url}/v3/{SIMULATOR_PROJECT_ID}/backups")
    assert response.status_code == 401
    assert response.json()["error_code"] == "APIGW.0301"


async def test_instances_can_be_listed_by_exact_or_fuzzy_name(
    simulator: SimulatorServer, state: SimulatorState, http: httpx.AsyncClient
) -> None:
    state.tokens["t"] = NOW + timedelta(hours=1)
    url = f"{simulator.url}/v3/{SIMULATOR_PROJECT_ID}/instances"
    fuzzy = (await http.get(url, params={"name": "*prod"}, headers={"X-Auth-Token": "t"})).json()
    assert "orders-prod" in {row["name"] for row in fuzzy["instances"]}
    assert "orders-staging" not in {row["name"] for row in fuzzy["instances"]}
    exact = (
        await http.get(url, params={"name": "legacy-crm"}, headers={"X-Auth-Token": "t"})
    ).json()
    assert exact["total_count"] == 1


async def test_control_endpoints_count_inject_and_reset(
    simulator: SimulatorServer, state: SimulatorState, http: httpx.AsyncClient
) -> None:
    state.tokens["t"] = NOW + timedelta(hours=1)
    backups = f"{simulator.url}/v3/{SIMULATOR_PROJECT_ID}/backups"
    await http.post(f"{simulator.url}/_simulator/faults", json={"kind": "error", "status": 502})
    assert (await http.get(backups, headers={"X-Auth-Token": "t"})).status_code == 502
    assert (await http.get(backups, headers={"X-Auth-Token": "t"})).status_code == 200
    stats = (await http.get(f"{simulator.url}/_simulator/stats")).json()
    assert stats["requests"] == 2
    await http.post(f"{simulator.url}/_simulator/reset")
    assert (await http.get(f"{simulator.url}/_simulator/stats")).json()["requests"] == 0


async def test_latency_knob_delays_answers(
    simulator: SimulatorServer, state: SimulatorState, http: httpx.AsyncClient
) -> None:
    state.tokens["t"] = NOW + timedelta(hours=1)
    state.knobs.latency = 0.2
    loop = asyncio.get_running_loop()
    started = loop.time()
    await http.get(
        f"{simulator.url}/v3/{SIMULATOR_PROJECT_ID}/backups", headers={"X-Auth-Token": "t"}
    )
    assert loop.time() - started >= 0.2


# --- the instances and policy APIs ---------------------------------------------------


def _list_instances_with_sdk(url: str, request: ListGaussMySqlInstancesRequest) -> object:
    with warnings.catch_warnings():
        # The SDK marks this v3 call deprecated (v3.1 reports unified statuses); it is
        # still served, and it is the one backupbot calls.
        warnings.simplefilter("ignore", DeprecationWarning)
        return _official_client(url).list_gauss_my_sql_instances(request)


def _show_policy_with_sdk(url: str, instance_id: str) -> object:
    request = ShowGaussMySqlBackupPolicyRequest(instance_id=instance_id)
    return _official_client(url).show_gauss_my_sql_backup_policy(request)


async def test_the_official_sdk_lists_instances_page_by_page() -> None:
    state = SimulatorState(fleet=Fleet.demo(utc_now()))
    with SimulatorServer(state) as server:
        first = await asyncio.to_thread(
            _list_instances_with_sdk, server.url, ListGaussMySqlInstancesRequest(limit=10)
        )
        second = await asyncio.to_thread(
            _list_instances_with_sdk,
            server.url,
            ListGaussMySqlInstancesRequest(offset=10, limit=10),
        )
    total = len(DEMO_INSTANCES) + len(HEALTH_INSTANCES)
    assert first.total_count == second.total_count == total  # type: ignore[attr-defined]  # untyped SDK
    rows = [*first.instances, *second.instances]  # type: ignore[attr-defined]
    assert len(rows) == total
    assert len({row.id for row in rows}) == total
    archive = next(row for row in rows if row.name == "archive-prod")
    assert archive.status == "ACTIVE"
    assert archive.backup_strategy.start_time == "03:00-04:00"
    assert archive.backup_strategy.keep_days == "30"  # the SDK types it as a string
    assert archive.datastore.type == "gaussdb-mysql"
    assert next(row for row in rows if row.name == "warehouse-prod").status == "FROZEN"
    assert [request.params for request in state.requests] == [
        {"limit": "10"},
        {"offset": "10", "limit": "10"},
    ]


async def test_the_official_sdk_reads_a_backup_policy() -> None:
    state = SimulatorState(fleet=Fleet.demo(utc_now()))
    with SimulatorServer(state) as server:
        weekly = await asyncio.to_thread(
            _show_policy_with_sdk, server.url, instance_id_for("archive-prod")
        )
        off = await asyncio.to_thread(
            _show_policy_with_sdk, server.url, instance_id_for("scratch-dev")
        )
    policy = weekly.backup_policy  # type: ignore[attr-defined]  # the SDK is untyped
    assert (policy.keep_days, policy.start_time, policy.period) == (30, "03:00-04:00", "1")
    assert off.backup_policy.keep_days == 0  # type: ignore[attr-defined]
    assert off.backup_policy.start_time is None  # type: ignore[attr-defined]


async def test_the_official_sdk_is_denied_with_apigw_0302() -> None:
    state = SimulatorState(fleet=Fleet.demo(utc_now()))
    state.knobs.denied = {"instances", "policy"}
    with SimulatorServer(state) as server:
        with pytest.raises(ClientRequestException) as listing:
            await asyncio.to_thread(
                _list_instances_with_sdk, server.url, ListGaussMySqlInstancesRequest()
            )
        with pytest.raises(ClientRequestException) as policy:
            await asyncio.to_thread(
                _show_policy_with_sdk, server.url, instance_id_for("orders-prod")
            )
    for caught in (listing, policy):
        assert caught.value.status_code == 403
        assert caught.value.error_code == "APIGW.0302"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("name=*", "name"),
        ("id=*", "id"),
    ],
)
async def test_invalid_instance_parameters_get_the_documented_400_shape(
    simulator: SimulatorServer,
    state: SimulatorState,
    http: httpx.AsyncClient,
    query: str,
    message: str,
) -> None:
    state.tokens["t"] = NOW + timedelta(hours=1)
    response = await http.get(
        f"{simulator.url}/v3/{SIMULATOR_PROJECT_ID}/instances?{query}",
        headers={"X-Auth-Token": "t"},
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"error_code", "error_msg"}
    assert body["error_code"] == "DBS.200001"
    assert message in body["error_msg"]


async def test_the_policy_of_an_unknown_instance_is_dbs_200022(
    simulator: SimulatorServer, state: SimulatorState, http: httpx.AsyncClient
) -> None:
    state.tokens["t"] = NOW + timedelta(hours=1)
    response = await http.get(
        f"{simulator.url}/v3/{SIMULATOR_PROJECT_ID}/instances/{'0' * 32}in07/backups/policy",
        headers={"X-Auth-Token": "t"},
    )
    assert response.status_code == 404
    assert response.json()["error_code"] == "DBS.200022"


async def test_the_deny_knob_is_set_and_reset_over_http(
    simulator: SimulatorServer, state: SimulatorState, http: httpx.AsyncClient
) -> None:
    state.tokens["t"] = NOW + timedelta(hours=1)
    instances = f"{simulator.url}/v3/{SIMULATOR_PROJECT_ID}/instances"
    answer = await http.post(f"{simulator.url}/_simulator/deny", json={"apis": ["instances"]})
    assert answer.json() == {"denied": ["instances"]}
    denied = await http.get(instances, headers={"X-Auth-Token": "t"})
    assert (denied.status_code, denied.json()["error_code"]) == (403, "APIGW.0302")
    backups = f"{simulator.url}/v3/{SIMULATOR_PROJECT_ID}/backups"
    assert (await http.get(backups, headers={"X-Auth-Token": "t"})).status_code == 200
    bad = await http.post(f"{simulator.url}/_simulator/deny", json={"apis": ["nope"]})
    assert bad.status_code == 400
    await http.post(f"{simulator.url}/_simulator/reset")
    assert (await http.get(instances, headers={"X-Auth-Token": "t"})).status_code == 200


async def test_instances_need_a_valid_signature_and_project(
    simulator: SimulatorServer, state: SimulatorState, http: httpx.AsyncClient
) -> None:
    unsigned = await http.get(f"{simulator.url}/v3/{SIMULATOR_PROJECT_ID}/instances")
    assert unsigned.status_code == 401
    state.tokens["t"] = NOW + timedelta(hours=1)
    other = await http.get(
        f"{simulator.url}/v3/{'f' * 32}/instances", headers={"X-Auth-Token": "t"}
    )
    assert other.status_code == 401


# --- the fleet's policies match its backups ------------------------------------------


def _automated(fleet: Fleet, instance_id: str) -> list[Backup]:
    return [
        Backup.model_validate(stored.record)
        for stored in fleet.backups
        if stored.record["instance_id"] == instance_id and stored.record["type"] == "auto"
    ]


@pytest.mark.parametrize("hours", range(0, 24, 3))
def test_every_automated_backup_is_in_its_policys_window(hours: int) -> None:
    fleet = Fleet.demo(NOW + timedelta(hours=hours))
    inventory = fleet.inventory()
    assert len(inventory) == len(DEMO_INSTANCES) + len(HEALTH_INSTANCES)
    for instance_id, declared in inventory.items():
        schedule = BackupPolicy.model_validate(declared.policy).schedule()
        backups = _automated(fleet, instance_id)
        if schedule is None:
            assert not backups, declared.record["name"]
            continue
        assert declared.record["backup_strategy"]["start_time"] == declared.policy["start_time"]
        for backup in backups:
            begin = backup.begin_time.astimezone(UTC)
            start = datetime.combine(begin.date(), schedule.start, tzinfo=UTC)
            assert begin.isoweekday() in schedule.weekdays, backup.name
            # In the window, or TaurusDB's retry within the hour after it.
            assert start <= begin < start + schedule.length + timedelta(hours=1), backup.name


def test_instances_seen_only_in_backups_get_a_policy_from_them() -> None:
    fleet = Fleet.bulk(30, NOW)
    inventory = fleet.inventory()
    assert {declared.record["name"] for declared in inventory.values()} == {
        profile.name for profile in DEMO_INSTANCES
    }
    for instance_id, declared in inventory.items():
        newest = _automated(fleet, instance_id)[0].begin_time.astimezone(UTC)
        following = (newest.hour + 1) % 24
        assert declared.policy["start_time"] == f"{newest.hour:02d}:00-{following:02d}:00"
