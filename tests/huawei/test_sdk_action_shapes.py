"""What the simulator answers for backups taken by hand is what the official SDK's models
declare (`CreateGaussMySqlBackupResponse`, `ShowGaussMySqlJobInfoResponse`), and backupbot
reads it as the SDK does; the request body is the SDK's `MysqlCreateBackupRequest`."""

from __future__ import annotations

import importlib
import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from huaweicloudsdkcore.client import Client
from pydantic import SecretStr

from bot.core.backup_action import JobStatus
from bot.errors import PermissionDenied, UpstreamError, UserError
from bot.huawei.auth import AccessKeys
from bot.huawei.backup_job import read_created, read_job
from bot.huawei.simulator import (
    SIMULATOR_ACCESS_KEY,
    SIMULATOR_PROJECT_ID,
    SIMULATOR_SECRET_KEY,
    SimulatorState,
)
from bot.huawei.simulator.records import instance_id_for
from bot.huawei.simulator.server import SimulatorServer
from bot.huawei.transport import Transport
from tests.conftest import NOW, fixed_clock, make_api

SDK_MODELS = importlib.import_module("huaweicloudsdkgaussdb.v3.model")
ORDERS = instance_id_for("orders-prod")


def _sdk_read(body: bytes, model: str) -> Any:
    client = Client()
    client.model_package = SDK_MODELS
    response = httpx.Response(200, content=body, headers={"Content-Type": "application/json"})
    return client.deserialize(response, model, None)


def _declared(model: str) -> set[str]:
    return set(getattr(SDK_MODELS, model).attribute_map.values())


@pytest.fixture
async def raw(simulator: SimulatorServer) -> Any:
    async with httpx.AsyncClient() as http:
        keys = AccessKeys(SecretStr(SIMULATOR_ACCESS_KEY), SecretStr(SIMULATOR_SECRET_KEY))
        yield Transport(
            http=http, endpoint=simulator.url, project_id=SIMULATOR_PROJECT_ID,
            credentials=keys, clock=fixed_clock,
        )  # fmt: skip


async def test_the_create_and_job_answers_are_the_sdks(
    raw: Transport, state: SimulatorState
) -> None:
    body = {"instance_id": ORDERS, "name": "orders-prod-manual", "description": "before"}
    assert set(body) <= _declared("MysqlCreateBackupRequest")
    path = f"/v3/{SIMULATOR_PROJECT_ID}/backups/create"
    created = await raw.post_once(path, body, lambda response: response.content)
    shape = json.loads(created)
    assert set(shape) <= _declared("CreateGaussMySqlBackupResponse")
    assert set(shape["backup"]) <= _declared("Backup")
    sdk = _sdk_read(created, "CreateGaussMySqlBackupResponse")
    ours = read_created(created)
    assert (ours.backup_id, ours.job_id) == (sdk.backup.id, sdk.job_id)
    assert sdk.backup.status == "BUILDING"

    jobs = f"/v3/{SIMULATOR_PROJECT_ID}/jobs"
    for minutes, status in ((3, JobStatus.RUNNING), (7, JobStatus.COMPLETED)):
        moved = NOW + timedelta(minutes=minutes)
        state.clock = lambda moved=moved: moved  # type: ignore[misc]
        answer = await raw.get(jobs, [("id", ours.job_id)], lambda response: response.content)
        job_shape = json.loads(answer)["job"]
        assert set(job_shape) <= _declared("GetJobInfoDetail")
        sdk_job = _sdk_read(answer, "ShowGaussMySqlJobInfoResponse").job
        read = read_job(answer)
        assert read is not None
        assert (read.id, read.status, read.process) == (sdk_job.id, sdk_job.status, sdk_job.process)
        assert read.status == status
        assert (read.process == "50%") == (status == JobStatus.RUNNING)


async def test_the_simulator_refuses_as_the_api_does(
    http: httpx.AsyncClient, simulator: SimulatorServer, fake_time: Any, state: SimulatorState
) -> None:
    api = make_api(http, simulator.url, fake_time)
    await api.create_backup(instance_id=ORDERS, name="orders-prod-first", description="")
    with pytest.raises(UserError, match="already running"):  # 409 DBS.201205
        await api.create_backup(instance_id=ORDERS, name="orders-prod-second", description="")
    frozen = instance_id_for("warehouse-prod")
    with pytest.raises(UserError, match="another operation"):  # a 409 of another kind
        await api.create_backup(instance_id=frozen, name="warehouse-prod-x", description="")
    assert [r.status for r in state.requests if r.path.endswith("/create")] == [201, 409, 409]
    state.knobs.denied = {"create"}
    with pytest.raises(PermissionDenied, match="gaussdbformysql:backup:create") as denied:
        await api.create_backup(instance_id=ORDERS, name="orders-prod-third", description="")
    assert "gaussdbformysql:backup:create" in denied.value.hint


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"instance_id": ORDERS, "name": "1starts-with-a-digit"}, "DBS.280277"),
        ({"instance_id": ORDERS, "name": "abc"}, "DBS.280277"),
        ({"instance_id": ORDERS, "name": "orders-prod-ok", "description": "a=b"}, "DBS.280127"),
        ({"instance_id": ORDERS, "name": "orders-prod-ok", "description": "x" * 257}, "DBS.280127"),
        ({"name": "orders-prod-ok"}, "DBS.200001"),
    ],
)
async def test_bad_names_and_descriptions_get_the_apis_400s(
    raw: Transport, body: dict[str, str], code: str
) -> None:
    path = f"/v3/{SIMULATOR_PROJECT_ID}/backups/create"
    with pytest.raises(UpstreamError) as refused:
        await raw.post_once(path, body, lambda response: response.content)
    assert refused.value.status == 400
    assert refused.value.error_code == code


async def test_a_new_job_may_be_unknown_for_a_few_seconds(
    http: httpx.AsyncClient, simulator: SimulatorServer, fake_time: Any, state: SimulatorState
) -> None:
    state.knobs.job_unknown_seconds = 30
    api = make_api(http, simulator.url, fake_time)
    started = await api.create_backup(instance_id=ORDERS, name="orders-prod-new", description="")
    assert await api.show_job(started.job_id) is None, "not known yet: no error"
    later = NOW + timedelta(seconds=31)
    state.clock = lambda: later
    job = await api.show_job(started.job_id)
    assert job is not None
    assert job.status == JobStatus.RUNNING
    assert job.process == "8%"  # 31 s of 6 min
