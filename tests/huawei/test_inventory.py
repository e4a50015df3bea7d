"""Instances and policies through the client, against the simulator over real HTTP."""

from __future__ import annotations

import math
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.core.backup import Backup
from bot.core.health.assess import assess
from bot.core.health.instances import BackupPolicy, Instance, InventorySource, PolicyUnreadable
from bot.core.health.reports import State
from bot.core.params import ListBackupsParams
from bot.errors import InvalidRequest, PermissionDenied, UpstreamError
from bot.huawei.client import BackupsApi
from bot.huawei.simulator import Fault, Fleet, SimulatorState
from bot.huawei.simulator.instance_profiles import DEMO_INSTANCES, HEALTH_INSTANCES
from bot.huawei.simulator.records import instance_record
from bot.huawei.simulator.server import SimulatorServer
from tests.conftest import NOW, FakeTime, fixed_clock, make_api

FLEET_SIZE = len(DEMO_INSTANCES) + len(HEALTH_INSTANCES)


async def test_listing_instances_takes_one_request_for_a_small_fleet(
    api: BackupsApi, state: SimulatorState
) -> None:
    listing = await api.list_instances()
    assert listing.requests == state.request_count == 1
    assert listing.total_count == len(listing.instances) == FLEET_SIZE
    by_name = {instance.name: instance for instance in listing.instances}
    archive = by_name["archive-prod"]
    assert archive.is_normal
    # health does not use it: kept as it came, never read
    assert archive.model_extra is not None
    assert archive.model_extra["backup_strategy"]["keep_days"] == "30"
    assert archive.created is not None
    assert archive.created.utcoffset() == timedelta(hours=8)
    assert not by_name["warehouse-prod"].is_normal
    assert state.requests[0].params == {"offset": "0", "limit": "100"}


async def test_listing_250_instances_takes_three_requests(
    http: httpx.AsyncClient, fake_time: FakeTime
) -> None:
    fleet = Fleet()
    for index in range(250):
        record = instance_record(
            name=f"db-{index:03d}",
            status="ACTIVE",
            created=NOW - timedelta(days=30),
            window="02:00-03:00",
            keep_days=7,
        )
        fleet.declare(record, {"keep_days": 7, "start_time": "02:00-03:00", "period": "1"})
    state = SimulatorState(fleet=fleet, clock=fixed_clock)
    with SimulatorServer(state) as server:
        listing = await make_api(http, server.url, fake_time).list_instances()
    assert listing.requests == state.request_count == math.ceil(250 / 100)
    assert [instance.name for instance in listing.instances] == [
        f"db-{index:03d}" for index in range(250)
    ]
    assert sorted(request.params["offset"] for request in state.requests) == ["0", "100", "200"]


async def test_policies_take_one_request_each(api: BackupsApi, state: SimulatorState) -> None:
    listing = await api.list_instances()
    ids = [instance.id for instance in listing.instances]
    reads = await api.read_policies([*ids, ids[0]])  # a repeated id is read once
    assert reads.requests == len(ids)
    assert state.request_count == 1 + len(ids)
    assert not any(isinstance(read, PolicyUnreadable) for read in reads.policies.values())
    names = {instance.id: instance.name for instance in listing.instances}
    policies = {names[key]: value for key, value in reads.policies.items()}
    assert policies["archive-prod"] == BackupPolicy(
        keep_days=30, start_time="03:00-04:00", period="1"
    )
    assert policies["scratch-dev"] == BackupPolicy(keep_days=0)


async def test_a_policy_that_cannot_be_read_leaves_the_others(
    api: BackupsApi, state: SimulatorState
) -> None:
    listing = await api.list_instances()
    gone = "0" * 32 + "in07"
    reads = await api.read_policies([listing.instances[0].id, gone])
    assert reads.policies[gone] == PolicyUnreadable(
        "the TaurusDB API refused to show it (HTTP 404, DBS.200022)"
    )
    assert isinstance(reads.policies[listing.instances[0].id], BackupPolicy)
    assert any(isinstance(read, PolicyUnreadable) for read in reads.policies.values())


async def test_a_policy_answer_garbled_past_the_retries_is_said_in_plain_words(
    api: BackupsApi, state: SimulatorState
) -> None:
    """Not "read failed (HTTP 200)": the status of an answer that came is no reason."""
    orders = Fleet.demo(NOW).instances["orders-prod"]
    state.faults.append(Fault("malformed", times=100))
    reads = await api.read_policies([orders])
    assert reads.policies[orders] == PolicyUnreadable("the TaurusDB API's answer could not be read")


async def test_a_policy_read_is_retried_like_any_other(
    api: BackupsApi, state: SimulatorState, fake_time: FakeTime
) -> None:
    state.faults.append(Fault("error", status=503))
    policy = await api.show_policy(Fleet.demo(NOW).instances["orders-prod"])
    assert isinstance(policy, BackupPolicy)
    assert policy.period == "1,2,3,4,5,6,7"
    assert state.request_count == 2
    assert fake_time.sleeps == [0.375]


async def test_without_permission_to_list_instances(api: BackupsApi, state: SimulatorState) -> None:
    state.knobs.denied = {"instances"}
    with pytest.raises(PermissionDenied) as caught:
        await api.list_instances()
    error = caught.value
    assert (error.status, error.error_code) == (403, "APIGW.0302")
    assert (error.action, error.legacy_action) == (
        "gaussdbformysql:instance:list",
        "gaussdb:instance:list",
    )
    assert error.hint
    assert "gaussdbformysql:instance:list" in error.hint
    assert error.request_id
    assert state.request_count == 1, "a 403 is not retried"
    assert isinstance(error, UpstreamError)  # callers that do not care still catch it


async def test_without_permission_to_read_policies(api: BackupsApi, state: SimulatorState) -> None:
    ids = [instance.id for instance in (await api.list_instances()).instances]
    state.knobs.denied = {"policy"}
    with pytest.raises(PermissionDenied) as caught:
        await api.read_policies(ids)
    assert caught.value.action == "gaussdbformysql:backup:listPolicy"
    assert caught.value.legacy_action == "gaussdb:backup:list"
    listing = await api.list_backups(ListBackupsParams(limit=1), rows=1)
    assert listing.backups, "the backups listing is not affected"


async def test_a_403_for_an_unavailable_project_is_not_a_missing_permission(
    api: BackupsApi, state: SimulatorState
) -> None:
    state.faults.append(Fault("error", status=403, error_code="APIGW.0310"))
    with pytest.raises(UpstreamError) as caught:
        await api.list_instances()
    assert not isinstance(caught.value, PermissionDenied)
    assert caught.value.error_code == "APIGW.0310"


async def test_invalid_requests_are_refused_before_sending(
    api: BackupsApi, state: SimulatorState
) -> None:
    with pytest.raises(InvalidRequest, match="instance id"):
        await api.show_policy("orders-prod")
    with pytest.raises(InvalidRequest, match="limit"):
        await api.instance_page(limit=101)
    with pytest.raises(InvalidRequest, match="offset"):
        await api.instance_page(offset=-1)
    reads = await api.read_policies(["orders-prod"])
    assert reads.policies["orders-prod"] == PolicyUnreadable("invalid instance id 'orders-prod'")
    assert state.request_count == 0


async def test_health_of_the_demo_fleet_read_over_http(
    api: BackupsApi, state: SimulatorState
) -> None:
    """Each health instance of the simulator shows the state it was built to show."""
    listing = await api.list_instances()
    reads = await api.read_policies([instance.id for instance in listing.instances])
    since = NOW - timedelta(days=14)
    backups = await api.list_backups(ListBackupsParams(begin_time=since))
    health = assess(
        listing.instances,
        reads.policies,
        backups.backups,
        now=NOW,
        covered_since=since,
        zone=ZoneInfo("UTC"),
    )
    states = {report.instance.name: report.state for report in health.reports}
    assert states == {
        "warehouse-prod": State.NOT_NORMAL,
        "sessions-prod": State.NO_BACKUPS,
        "legacy-crm": State.FAILED_AFTER_RETRY,  # its failures were never retried
        "events-prod": State.MISSED,
        "scratch-dev": State.NO_AUTOMATED,
        **dict.fromkeys(
            (
                "archive-prod", "ledger-prod", "orders-prod", "orders-staging",
                "payments-prod", "users-prod", "inventory-prod", "analytics-dw",
                "billing-prod", "search-prod", "reporting-dev",
            ),
            State.OK,
        ),
    }  # fmt: skip
    reasons = {report.instance.name: report.reason for report in health.reports}
    assert reasons["events-prod"] == "no backup started in the 07:00-08:00 window"
    assert reasons["ledger-prod"].endswith(", after a failure at " + _ledger_failure(state))
    assert reasons["warehouse-prod"] == (
        "instance frozen (account in arrears); no backup started in the 01:00-02:00 window"
    )
    assert [report.instance.name for report in health.reports][:5] == [
        "warehouse-prod", "sessions-prod", "legacy-crm", "events-prod", "scratch-dev",
    ]  # fmt: skip


def _ledger_failure(state: SimulatorState) -> str:
    """The start of ledger-prod's failed backup, computed from the fleet's own records."""
    failed = [
        Backup.model_validate(stored.record)
        for stored in state.fleet.backups
        if stored.record["instance_name"] == "ledger-prod" and stored.record["status"] == "FAILED"
    ]
    (only,) = failed
    return f"{only.begin_time.astimezone(ZoneInfo('UTC')):%H:%M}"


def test_instances_read_what_real_listings_send() -> None:
    """An instance as the API reference's examples show one; times keep their offset."""
    instance = Instance.model_validate(
        {
            "id": "1" * 32 + "in07",
            "name": "gaussdb-mysql-instance01",
            "status": "ACTIVE",
            "created": "2022-07-14T16:26:58+0800",
            "backup_strategy": {"start_time": "19:00-20:00", "keep_days": 7},
            "time_zone": "UTC+08:00",
            "port": 3306,
            "nodes": [{"id": "x", "status": "ACTIVE"}],
        }
    )
    assert instance.is_normal
    assert instance.created is not None
    assert instance.created.utcoffset() == timedelta(hours=8)
    being_created = Instance.model_validate({"id": "2" * 32 + "in07", "created": ""})
    assert being_created.created is None


def test_the_client_is_an_inventory_source(api: BackupsApi) -> None:
    source: InventorySource = api  # mypy checks the protocol
    assert source is api
