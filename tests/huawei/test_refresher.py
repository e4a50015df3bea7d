"""Temporary credentials never fail an answer: refreshed before they expire, once for all
concurrent requests, the last good ones used while the source is down, a 401 refreshed
and retried once; and the official SDK's signer agrees with signatures made with them.

The simulator's gateway, its metadata fake, the refresher and the signer share one
settable clock: hours pass without anyone waiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest

from bot.app.engines import cloud_settings, open_engines
from bot.core.params import ListBackupsParams
from bot.errors import CredentialsUnavailable, UpstreamError
from bot.huawei.auth import AccessKeys
from bot.huawei.client import BackupsApi
from bot.huawei.credentials import Refresher, source_of
from bot.huawei.simulator import SIMULATOR_PROJECT_ID, SimulatorState
from bot.huawei.simulator.server import IdentityServer, SimulatorServer
from bot.metrics import Metrics
from tests.conftest import NOW, SettableClock
from tests.huawei.identity import api_over, settings_for

ONE = ListBackupsParams(limit=1)


@dataclass
class Told:
    """What the refresher tells its observer, and an event per outcome to wait on."""

    outcomes: list[bool] = field(default_factory=list)
    metrics: Metrics = field(default_factory=Metrics)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def __call__(self, kind: str, ok: bool) -> None:
        assert kind == "metadata"
        self.outcomes.append(ok)
        self.metrics.credential_refresh(kind, ok)
        self.changed.set()

    async def after(self, count: int) -> None:
        """Wait until `count` refreshes have ended (an event, not a sleep)."""
        while len(self.outcomes) < count:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), timeout=30)


class ClockSleep:
    """Sleeping moves the shared clock; after the first sleep it parks (the test ends)."""

    def __init__(self, clock: SettableClock) -> None:
        self.clock = clock
        self.slept: list[float] = []
        self.parked = asyncio.Event()

    async def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.clock.advance(seconds)
        if len(self.slept) > 1:
            await self.parked.wait()


@dataclass
class Rig:
    refresher: Refresher
    api: BackupsApi
    told: Told
    sleep: ClockSleep  # what the refresher's `run` sleeps with


@pytest.fixture
async def rig(
    identity: IdentityServer, gateway: SimulatorServer, clock: SettableClock, tmp_path: Path
) -> AsyncIterator[Rig]:
    """backupbot's API client on metadata credentials, against the simulator."""
    told = Told()
    source = source_of(
        "metadata",
        cloud_settings(settings_for(identity, tmp_path)).credentials,
        region=None,
        clock=clock,
    )
    sleep = ClockSleep(clock)
    async with httpx.AsyncClient() as http:
        refresher = Refresher(source, http=http, clock=clock, observer=told, sleep=sleep)
        yield Rig(refresher, api_over(refresher, gateway.url, http, clock), told, sleep)


async def answered(api: BackupsApi, times: int = 1) -> list[int]:
    """`times` concurrent requests; each one's total (they all succeed or this raises)."""
    pages = await asyncio.gather(*(api.list_page(ONE) for _ in range(times)))
    return [page.total_count or 0 for page in pages]


async def test_expired_credentials_are_replaced_before_the_request_is_signed(
    rig: Rig, cloud: SimulatorState, clock: SettableClock
) -> None:
    await answered(rig.api)
    clock.advance(cloud.issuer.lifetime.total_seconds() + 1)
    await answered(rig.api)
    assert cloud.issuer.count() == 2
    assert [request.status for request in cloud.requests] == [200, 200]


async def test_two_hundred_requests_with_expired_credentials_wait_for_one_refresh(
    rig: Rig, cloud: SimulatorState, clock: SettableClock
) -> None:
    await answered(rig.api)
    clock.advance(cloud.issuer.lifetime.total_seconds() + 1)
    totals = await answered(rig.api, 200)
    assert totals == [len(cloud.fleet.backups)] * 200
    assert cloud.issuer.count() == 2, "one refresh for all of them"
    assert rig.told.outcomes == [True, True]


async def test_within_forty_minutes_of_expiry_one_refresh_runs_while_requests_go_on(
    rig: Rig, cloud: SimulatorState, clock: SettableClock
) -> None:
    await answered(rig.api)
    first = cloud.issuer.issued[0]
    clock.advance((cloud.issuer.lifetime - timedelta(minutes=39)).total_seconds())
    assert await answered(rig.api, 200) == [len(cloud.fleet.backups)] * 200
    await rig.told.after(2)
    assert cloud.issuer.count() == 2, "one refresh for all of them"
    fresh = await rig.refresher.current()
    assert isinstance(fresh, AccessKeys)
    assert fresh.access_key.get_secret_value() == cloud.issuer.issued[1].access != first.access


async def test_a_source_that_fails_leaves_the_last_credentials_in_use_and_says_so(
    rig: Rig, cloud: SimulatorState, clock: SettableClock
) -> None:
    await answered(rig.api)
    clock.advance((cloud.issuer.lifetime - timedelta(minutes=39)).total_seconds())
    cloud.identity.down = True
    assert rig.refresher.notice() is None
    await answered(rig.api)  # answered on the old credentials; a refresh starts
    await rig.told.after(2)
    assert rig.told.outcomes == [True, False]
    assert rig.refresher.notice() == (
        "Cloud credentials could not be refreshed from ECS metadata (the server's agency); "
        "the last ones are used, valid for 39 more min."
    )
    assert await answered(rig.api, 5) == [len(cloud.fleet.backups)] * 5
    assert rig.told.outcomes == [True, False], "tried again only after 30 s"
    metrics = rig.told.metrics.render().decode()
    assert 'backupbot_credential_refreshes_total{outcome="failed",source="metadata"} 1.0' in metrics
    assert 'backupbot_credential_refreshes_total{outcome="ok",source="metadata"} 1.0' in metrics

    clock.advance(39 * 60)  # expired, the source still down
    with pytest.raises(CredentialsUnavailable) as caught:
        await answered(rig.api)
    assert caught.value.said.startswith(
        "The cloud credentials from ECS metadata (the server's agency) expired and could not "
        "be refreshed: "
    )
    assert rig.refresher.notice() is None, "nothing is answered on expired credentials"

    cloud.identity.down = False
    clock.advance(31)
    await answered(rig.api)
    assert rig.refresher.notice() is None
    assert cloud.issuer.count() == 2


async def test_a_credential_valid_40_min_20_s_is_refreshed_within_the_minute(
    rig: Rig, cloud: SimulatorState, clock: SettableClock
) -> None:
    cloud.issuer.lifetime = timedelta(minutes=40, seconds=20)
    await answered(rig.api)
    running = asyncio.ensure_future(rig.refresher.run())
    try:
        await rig.told.after(2)
    finally:
        running.cancel()
    assert rig.sleep.slept[0] <= 60
    assert clock.now - NOW <= timedelta(minutes=1)
    assert cloud.issuer.count() == 2
    assert rig.told.outcomes == [True, True]


async def test_a_401_refreshes_temporary_credentials_once_and_retries_once(
    rig: Rig, cloud: SimulatorState
) -> None:
    await answered(rig.api)
    cloud.issuer.revoked.add(cloud.issuer.issued[0].access)
    assert await answered(rig.api, 50) == [len(cloud.fleet.backups)] * 50
    assert cloud.issuer.count() == 2, "one refresh for every request refused"
    refused = [request.status for request in cloud.requests].count(401)
    assert 1 <= refused <= 50


async def test_fresh_credentials_refused_too_are_not_retried_again(
    rig: Rig, cloud: SimulatorState
) -> None:
    await answered(rig.api)
    cloud.issuer.revoked.add(cloud.issuer.issued[0].access)
    cloud.issuer.lifetime = timedelta(0)  # what is issued now is refused at once
    with pytest.raises(UpstreamError) as caught:
        await answered(rig.api)
    assert caught.value.status == 401
    assert [request.status for request in cloud.requests] == [200, 401, 401]
    assert cloud.issuer.count() == 2


async def test_the_official_sdk_signs_a_temporary_credentials_request_the_same_way(
    rig: Rig, cloud: SimulatorState, clock: SettableClock
) -> None:
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"backups": [], "total_count": 0})

    async with httpx.AsyncClient(transport=httpx.MockTransport(server)) as http:
        api = api_over(rig.refresher, "http://gaussdb.test:8443", http, clock)
        await api.list_page(ListBackupsParams(limit=3, begin_time=NOW - timedelta(days=1)))
    (request,) = seen
    issued = cloud.issuer.issued[0]
    assert request.headers["X-Security-Token"] == issued.security_token
    names = request.headers["Authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    assert "x-security-token" in names
    headers = {
        name: value
        for name, value in request.headers.items()
        if name in names and name not in ("host", "x-security-token", "x-project-id")
    }
    official = SdkRequest(
        method="GET",
        schema="http",
        host=request.url.netloc.decode(),
        resource_path=request.url.path,
        query_params=list(httpx.QueryParams(request.url.query.decode()).multi_items()),
        header_params=headers,
        body="",
    )
    credentials = BasicCredentials(issued.access, issued.secret, SIMULATOR_PROJECT_ID)
    signed = credentials.with_security_token(issued.security_token).sign_request(official)
    assert signed.header_params["Authorization"] == request.headers["Authorization"]


async def test_engines_start_with_each_profiles_credentials_counted_and_learned(
    identity: IdentityServer, gateway: SimulatorServer, cloud: SimulatorState, tmp_path: Path
) -> None:
    metrics = Metrics()
    learned: list[str] = []
    settings = settings_for(
        identity, tmp_path, GAUSSDB_ENDPOINT=gateway.url,
        HUAWEICLOUD_PROJECT_ID=SIMULATOR_PROJECT_ID,
    )  # fmt: skip
    async with open_engines(settings, simulator=False, metrics=metrics, learn=learned.extend):
        assert cloud.issuer.count("metadata") == 1, "fetched before anything is served"
    issued = cloud.issuer.issued[0]
    assert learned == [issued.access, issued.secret, issued.security_token]
    rendered = metrics.render().decode()
    assert 'backupbot_credential_refreshes_total{outcome="ok",source="metadata"} 1.0' in rendered
