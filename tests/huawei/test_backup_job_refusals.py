"""The jobs API's refusals, over real HTTP against the simulator: a 403 names only the
IAM action facts.md confirms, and a job the API will not show (any 4xx but 403) is "not
readable now" whatever error code it carries: no guessed codes decide it."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import String

from bot.errors import PermissionDenied
from bot.huawei.backup_job import read_job
from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.server import SimulatorServer
from bot.schedule.schema import actions
from tests.conftest import FakeTime, make_api


async def _job_id(state: SimulatorState, simulator: SimulatorServer, fake_time: FakeTime) -> str:
    async with httpx.AsyncClient() as http:
        api = make_api(http, simulator.url, fake_time)
        instance_id = state.fleet.instances["orders-prod"]
        started = await api.create_backup(
            instance_id=instance_id, name="orders-prod-by-hand", description=""
        )
    return started.job_id


async def test_a_403_on_the_jobs_names_only_the_checked_action(
    state: SimulatorState, simulator: SimulatorServer, fake_time: FakeTime
) -> None:
    job_id = await _job_id(state, simulator, fake_time)
    state.knobs.denied = {"jobs"}
    async with httpx.AsyncClient() as http:
        api = make_api(http, simulator.url, fake_time)
        with pytest.raises(PermissionDenied) as raised:
            await api.show_job(job_id)
    assert raised.value.action == "gaussdbformysql:task:list"
    assert "gaussdb:task:list" not in raised.value.hint.replace("gaussdbformysql:task:list", "")


@pytest.mark.parametrize(
    ("status", "code"), [(400, "DBS.200001"), (404, "DBS.279999"), (400, "APIGW.0101")]
)
async def test_a_job_the_api_will_not_show_is_not_readable_whatever_its_code(
    state: SimulatorState,
    simulator: SimulatorServer,
    fake_time: FakeTime,
    status: int,
    code: str,
) -> None:
    job_id = await _job_id(state, simulator, fake_time)
    state.knobs.job_unknown_seconds = 3600
    state.knobs.job_unknown_answer = (status, code)
    async with httpx.AsyncClient() as http:
        api = make_api(http, simulator.url, fake_time)
        assert await api.show_job(job_id) is None


def test_an_odd_long_process_is_cut_to_what_the_store_keeps() -> None:
    """The job's `process` is stored in a 16-character column: a longer one (the API
    documents "60%" but promises no length) is cut, never a write that fails every round."""
    job = read_job('{"job": {"id": "j1", "status": "Running", "process": "' + "9" * 40 + '"}}')
    assert job is not None
    column = actions.c.progress.type
    assert isinstance(column, String)
    assert column.length is not None
    assert len(job.process) <= column.length
