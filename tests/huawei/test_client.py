"""The client against the simulator over real HTTP: auth, validation, errors, retries."""

from __future__ import annotations

import socket
from datetime import timedelta

import httpx
import pytest
from pydantic import SecretStr

from bot.core.params import ListBackupsParams
from bot.errors import InvalidRequest, UpstreamError
from bot.huawei.auth import AccessKeys, IamToken
from bot.huawei.client import BackupsApi
from bot.huawei.simulator import SIMULATOR_ACCESS_KEY, SIMULATOR_PROJECT_ID, Fault, SimulatorState
from bot.huawei.simulator.server import SimulatorServer
from bot.huawei.transport import RetryPolicy, Transport
from tests.conftest import NOW, FakeTime, fixed_clock, make_api


def token_api(http: httpx.AsyncClient, simulator: SimulatorServer, token: str) -> BackupsApi:
    """A client for the simulator that sends an IAM token."""
    credentials = IamToken(SecretStr(token))
    return BackupsApi(
        Transport(
            http=http,
            endpoint=simulator.url,
            project_id=SIMULATOR_PROJECT_ID,
            credentials=credentials,
            clock=fixed_clock,
        )
    )


async def test_signed_request_lists_newest_first(api: BackupsApi, state: SimulatorState) -> None:
    page = await api.list_page(ListBackupsParams(limit=5))
    assert len(page.backups) == 5
    assert page.total_count == len(state.fleet.backups)
    begins = [backup.begin_time for backup in page.backups]
    assert begins == sorted(begins, reverse=True)
    assert state.requests[-1].status == 200


async def test_every_parameter_reaches_the_server_encoded_as_signed(
    api: BackupsApi, state: SimulatorState
) -> None:
    orders = next(
        b.record for b in state.fleet.backups if b.record["instance_name"] == "orders-prod"
    )
    params = ListBackupsParams(
        instance_id=orders["instance_id"],
        instance_name="orders-prod",
        backup_id=orders["id"],
        backup_type=orders["type"],
        name=orders["name"],
        offset=0,
        limit=10,
        begin_time=NOW - timedelta(days=60),
        end_time=NOW - timedelta(minutes=2),
    )
    page = await api.list_page(params)
    assert [backup.id for backup in page.backups] == [orders["id"]]
    seen = state.requests[-1].params
    assert seen["begin_time"] == "2026-09-28T10:30:00+0000"
    assert set(seen) == {
        "instance_id", "instance_name", "backup_id", "backup_type", "name",
        "offset", "limit", "begin_time", "end_time",
    }  # fmt: skip


async def test_token_auth_is_sent_as_x_auth_token(
    http: httpx.AsyncClient, simulator: SimulatorServer, state: SimulatorState
) -> None:
    state.tokens["token-abc"] = NOW + timedelta(hours=24)
    api = token_api(http, simulator, "token-abc")
    page = await api.list_page(ListBackupsParams(limit=1))
    assert page.total_count == len(state.fleet.backups)


async def test_temporary_credentials_sign_the_security_token(
    http: httpx.AsyncClient, simulator: SimulatorServer, state: SimulatorState, fake_time: FakeTime
) -> None:
    state.credentials["TEMPAK"] = "temp-secret"
    state.security_tokens["TEMPAK"] = "sts-token"
    good = AccessKeys(SecretStr("TEMPAK"), SecretStr("temp-secret"), SecretStr("sts-token"))
    page = await make_api(http, simulator.url, fake_time, credentials=good).list_page(
        ListBackupsParams()
    )
    assert page.backups
    bad = AccessKeys(SecretStr("TEMPAK"), SecretStr("temp-secret"), SecretStr("other"))
    with pytest.raises(UpstreamError) as caught:
        await make_api(http, simulator.url, fake_time, credentials=bad).list_page(
            ListBackupsParams()
        )
    assert caught.value.error_code == "APIGW.0301"


async def test_bad_credentials_map_to_apigw_0301_with_explanation_and_no_retry(
    http: httpx.AsyncClient, simulator: SimulatorServer, state: SimulatorState, fake_time: FakeTime
) -> None:
    wrong = AccessKeys(SecretStr(SIMULATOR_ACCESS_KEY), SecretStr("wrong-secret"))
    api = make_api(http, simulator.url, fake_time, credentials=wrong)
    with pytest.raises(UpstreamError) as caught:
        await api.list_page(ListBackupsParams())
    error = caught.value
    assert error.status == 401
    assert error.error_code == "APIGW.0301"
    assert error.request_id
    assert error.hint
    assert "lock the key" in error.hint
    assert state.request_count == 1, "401 must not be retried: five failures lock the key"
    assert "wrong-secret" not in str(error)


async def test_expired_token_is_apigw_0307(
    http: httpx.AsyncClient, simulator: SimulatorServer, state: SimulatorState
) -> None:
    state.tokens["old"] = NOW - timedelta(seconds=1)
    api = token_api(http, simulator, "old")
    with pytest.raises(UpstreamError) as caught:
        await api.list_page(ListBackupsParams())
    assert caught.value.error_code == "APIGW.0307"


async def test_invalid_parameters_are_refused_before_any_request(
    api: BackupsApi, state: SimulatorState
) -> None:
    with pytest.raises(InvalidRequest):
        await api.list_page(ListBackupsParams(begin_time=NOW + timedelta(hours=1)))
    with pytest.raises(InvalidRequest):
        await api.list_backups(
            ListBackupsParams(begin_time=NOW - timedelta(days=1), end_time=NOW - timedelta(days=2))
        )
    assert state.request_count == 0


async def test_window_ending_now_survives_a_lagging_server_clock(
    api: BackupsApi, state: SimulatorState
) -> None:
    state.knobs.clock_lag = 30
    listing = await api.list_backups(
        ListBackupsParams(begin_time=NOW - timedelta(days=1), end_time=NOW)
    )
    assert listing.backups
    assert "end_time" not in state.requests[-1].params


async def test_server_error_400_carries_code_message_and_request_id(
    http: httpx.AsyncClient, simulator: SimulatorServer, state: SimulatorState, fake_time: FakeTime
) -> None:
    state.knobs.clock_lag = 600  # the server is ten minutes behind: our end time is its future
    api = make_api(http, simulator.url, fake_time, server_clock_lag=60)
    with pytest.raises(UpstreamError) as caught:
        await api.list_page(ListBackupsParams(end_time=NOW - timedelta(minutes=2)))
    error = caught.value
    assert (error.status, error.error_code) == (400, "DBS.200001")
    assert error.error_msg is not None
    assert "end_time" in error.error_msg
    assert error.request_id
    assert state.request_count == 1


async def test_raw_plus_in_a_query_is_a_space_to_the_server(
    http: httpx.AsyncClient, simulator: SimulatorServer, state: SimulatorState
) -> None:
    state.tokens["t"] = NOW + timedelta(hours=1)
    url = f"{simulator.url}/v3/{SIMULATOR_PROJECT_ID}/backups?begin_time=2026-11-01T00:00:00+0800"
    response = await http.get(url, headers={"X-Auth-Token": "t"})
    assert response.status_code == 400
    assert response.json()["error_code"] == "DBS.200001"
    encoded = url.replace("+0800", "%2B0800")
    assert (await http.get(encoded, headers={"X-Auth-Token": "t"})).status_code == 200


async def test_unknown_path_answers_like_the_gateway(
    http: httpx.AsyncClient, simulator: SimulatorServer
) -> None:
    response = await http.get(f"{simulator.url}/v3/{SIMULATOR_PROJECT_ID}/backupz")
    assert response.status_code == 404
    assert response.json()["error_code"] == "APIGW.0101"


async def test_5xx_is_retried_with_backoff_then_succeeds(
    api: BackupsApi, state: SimulatorState, fake_time: FakeTime
) -> None:
    state.faults.append(Fault("error", status=503, times=2))
    page = await api.list_page(ListBackupsParams(limit=1))
    assert page.backups
    assert state.request_count == 3
    assert fake_time.sleeps == [0.375, 0.75]  # exponential, with the jitter pinned at 0.5


async def test_429_honours_retry_after(
    api: BackupsApi, state: SimulatorState, fake_time: FakeTime
) -> None:
    state.faults.append(Fault("throttle", retry_after=2))
    await api.list_page(ListBackupsParams(limit=1))
    assert fake_time.sleeps == [2.0]


async def test_429_without_retry_after_backs_off(
    api: BackupsApi, state: SimulatorState, fake_time: FakeTime
) -> None:
    state.faults.append(Fault("throttle"))
    await api.list_page(ListBackupsParams(limit=1))
    assert fake_time.sleeps == [0.375]


async def test_retries_are_bounded_in_attempts(
    api: BackupsApi, state: SimulatorState, fake_time: FakeTime
) -> None:
    state.faults.append(Fault("error", status=500, times=10))
    with pytest.raises(UpstreamError) as caught:
        await api.list_page(ListBackupsParams())
    assert state.request_count == 4
    assert caught.value.status == 500
    assert caught.value.error_code == "DBS.05000001"
    assert caught.value.hint


async def test_a_retry_after_beyond_the_budget_gives_up_at_once(
    http: httpx.AsyncClient, simulator: SimulatorServer, state: SimulatorState, fake_time: FakeTime
) -> None:
    api = make_api(http, simulator.url, fake_time, retry=RetryPolicy(budget=10))
    state.faults.append(Fault("throttle", retry_after=60))
    with pytest.raises(UpstreamError) as caught:
        await api.list_page(ListBackupsParams())
    assert caught.value.error_code == "APIGW.0308"
    assert caught.value.retry_after == 60
    assert fake_time.sleeps == []


async def test_malformed_body_is_retried(
    api: BackupsApi, state: SimulatorState, fake_time: FakeTime
) -> None:
    state.faults.append(Fault("malformed"))
    page = await api.list_page(ListBackupsParams(limit=2))
    assert len(page.backups) == 2
    assert state.request_count == 2


async def test_persistently_malformed_body_is_a_clear_error(
    api: BackupsApi, state: SimulatorState
) -> None:
    state.faults.append(Fault("malformed", times=10))
    with pytest.raises(UpstreamError, match="garbled"):
        await api.list_page(ListBackupsParams())


async def test_a_hang_times_out_and_is_retried(
    http: httpx.AsyncClient, simulator: SimulatorServer, state: SimulatorState, fake_time: FakeTime
) -> None:
    # The hang outlasts the test; the timeout is generous so that on a busy machine only
    # the hung request times out (and if another did, it would be retried just the same).
    api = make_api(http, simulator.url, fake_time, timeout=1.0)
    state.faults.append(Fault("hang"))
    page = await api.list_page(ListBackupsParams(limit=1))
    assert page.backups
    assert api.requests_made >= 2
    assert fake_time.sleeps, "the timed-out request was retried after a backoff"


async def test_connection_refused_is_retried_then_reported(
    http: httpx.AsyncClient, fake_time: FakeTime
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api = make_api(http, f"http://127.0.0.1:{port}", fake_time)
    with pytest.raises(UpstreamError, match="Could not reach") as caught:
        await api.list_page(ListBackupsParams())
    assert caught.value.status is None
    assert api.requests_made == 4
    assert len(fake_time.sleeps) == 3
