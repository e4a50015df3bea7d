"""httpx signs each request as it is sent: the query signed is the one on the wire."""

from __future__ import annotations

from urllib.parse import parse_qsl

import httpx
from pydantic import SecretStr

from bot.huawei.auth import AccessKeys, IamToken, auth_for
from bot.huawei.signer import verify
from bot.huawei.transport import RetryPolicy, Transport
from tests.conftest import NOW, FakeTime, SettableClock, fixed_clock

KEYS = AccessKeys(SecretStr("AKTEST"), SecretStr("sk-test"), SecretStr("sts-token"))
QUERY = [("name", "a b+c"), ("begin_time", "2026-11-01T00:00:00+0800"), ("limit", "10")]
CANONICAL = b"begin_time=2026-11-01T00%3A00%3A00%2B0800&limit=10&name=a%20b%2Bc"


async def sent_with(auth: httpx.Auth) -> httpx.Request:
    """The request as the server receives it, after `auth` ran."""
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    async with httpx.AsyncClient(transport=httpx.MockTransport(server)) as http:
        await http.get(
            "http://gaussdb.test:8443/v3/project/backups", params=tuple(QUERY), auth=auth
        )
    (request,) = seen
    return request


async def test_the_query_signed_is_the_query_sent() -> None:
    request = await sent_with(auth_for(KEYS, clock=fixed_clock))
    assert request.url.query == CANONICAL
    access_key = verify(
        method="GET",
        path=request.url.raw_path.decode().partition("?")[0],
        query=parse_qsl(request.url.query.decode(), keep_blank_values=True),
        headers=dict(request.headers),
        body=b"",
        secret_for={"AKTEST": "sk-test"}.get,
        now=NOW,
    )
    assert access_key == "AKTEST"
    assert request.headers["X-Security-Token"] == "sts-token"


async def test_headers_a_transport_may_add_or_rewrite_are_sent_unsigned() -> None:
    request = await sent_with(auth_for(KEYS, clock=fixed_clock))
    signed = request.headers["Authorization"].split("SignedHeaders=")[1].split(",")[0]
    assert signed.split(";") == ["host", "user-agent", "x-sdk-date", "x-security-token"]
    assert {"accept", "accept-encoding", "connection"} <= set(request.headers)


async def test_a_token_goes_in_its_header_with_the_same_query() -> None:
    request = await sent_with(auth_for(IamToken(SecretStr("iam-token")), clock=fixed_clock))
    assert request.url.query == CANONICAL
    assert request.headers["X-Auth-Token"] == "iam-token"
    assert "Authorization" not in request.headers


async def test_every_attempt_is_signed_afresh(fake_time: FakeTime) -> None:
    clock = SettableClock()
    dates: list[str] = []

    def server(request: httpx.Request) -> httpx.Response:
        dates.append(request.headers["X-Sdk-Date"])
        clock.advance(90)
        return httpx.Response(503 if len(dates) == 1 else 200, json={})

    async with httpx.AsyncClient(transport=httpx.MockTransport(server)) as http:
        transport = Transport(
            http=http,
            endpoint="http://gaussdb.test",
            project_id="project",
            credentials=KEYS,
            retry=RetryPolicy(attempts=2),
            clock=clock,
            sleep=fake_time.sleep,
            monotonic=fake_time.monotonic,
        )
        await transport.get("/v3/project/backups", QUERY, lambda response: response.status_code)
    assert dates == ["20261127T103000Z", "20261127T103130Z"]
