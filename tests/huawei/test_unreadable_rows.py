"""One odd row never sinks an answer: it is skipped, counted, and logged once with its content."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr

from bot.core.params import ListBackupsParams
from bot.errors import UpstreamError
from bot.huawei.auth import AccessKeys
from bot.huawei.client import BackupsApi
from bot.huawei.simulator import (
    SIMULATOR_ACCESS_KEY,
    SIMULATOR_PROJECT_ID,
    SIMULATOR_SECRET_KEY,
    Fleet,
    SimulatorState,
    create_app,
)
from bot.huawei.simulator.records import StoredBackup
from bot.huawei.simulator.server import SimulatorServer
from bot.huawei.transport import Transport
from tests.conftest import NOW, FakeTime, fixed_clock, make_api

NO_ID = {"name": "TaurusDB-no-id", "begin_time": "2026-11-25T10:00:00+0800", "status": "FAILED"}
NOT_A_TIME = {"id": "f" * 32 + "br07", "begin_time": "yesterday", "status": "COMPLETED"}


def serve_as_is(state: SimulatorState, rows: list[tuple[datetime, object]]) -> None:
    """Put rows into the simulator's fleet exactly as given, however broken, at `begin`."""
    fleet = state.fleet
    for begin, row in rows:
        record = row if isinstance(row, dict) else {}
        fleet.backups.append(StoredBackup(begin, record, json.dumps(row).encode()))
    fleet.backups.sort(key=lambda stored: stored.begin, reverse=True)
    fleet.version += 1


@pytest.fixture
def bulk_state() -> SimulatorState:
    """250 good backups, one an hour, and two rows no client could place, on pages 2 and 3."""
    state = SimulatorState(fleet=Fleet.bulk(250, NOW), clock=fixed_clock)
    serve_as_is(
        state,
        [
            (NOW - timedelta(hours=150, minutes=30), NO_ID),
            (NOW - timedelta(hours=220, minutes=30), NOT_A_TIME),
        ],
    )
    return state


async def test_unreadable_rows_are_skipped_and_counted_not_fatal(
    bulk_state: SimulatorState, http: httpx.AsyncClient, fake_time: FakeTime
) -> None:
    with SimulatorServer(bulk_state) as server:
        listing = await make_api(http, server.url, fake_time).list_backups(ListBackupsParams())
    good = [s.record["id"] for s in bulk_state.fleet.backups if s.record not in (NO_ID, NOT_A_TIME)]
    assert [backup.id for backup in listing.backups] == good
    assert len(listing.backups) == 250
    assert listing.unreadable == 2
    assert listing.total_count == 252, "the API's count, unreadable rows included"
    assert listing.requests == 3


async def test_each_unreadable_row_is_logged_once_with_its_content_and_no_secret(
    bulk_state: SimulatorState,
    http: httpx.AsyncClient,
    fake_time: FakeTime,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with SimulatorServer(bulk_state) as server:
        api = make_api(http, server.url, fake_time)
        for _ in range(2):
            listing = await api.list_backups(ListBackupsParams())
            assert listing.unreadable == 2
    warnings = [r.getMessage() for r in caplog.records if r.name == "backupbot.huawei"]
    assert len(warnings) == 2
    assert sum(json.dumps(NO_ID) in message for message in warnings) == 1
    assert sum(json.dumps(NOT_A_TIME) in message for message in warnings) == 1
    assert any("begin_time" in message for message in warnings)
    everything = caplog.text + " ".join(warnings)
    for secret in (SIMULATOR_SECRET_KEY, "Authorization", "SDK-HMAC-SHA256"):
        assert secret not in everything


async def test_a_field_that_cannot_be_read_is_dropped_and_the_backup_kept(
    http: httpx.AsyncClient, fake_time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    state = SimulatorState(fleet=Fleet.bulk(3, NOW), clock=fixed_clock)
    odd = {
        **state.fleet.backups[1].record,
        "id": "e" * 32 + "br07",
        "end_time": "soon",
        "take_up_time": -4,
        "status": "DELETING",
        "zone": "az1",
    }
    serve_as_is(state, [(NOW - timedelta(minutes=30), odd)])
    with SimulatorServer(state) as server:
        listing = await make_api(http, server.url, fake_time).list_backups(ListBackupsParams())
    assert listing.unreadable == 0
    kept = listing.backups[0]
    assert kept.id == odd["id"]
    assert (kept.end_time, kept.take_up_time) == (None, None)
    assert kept.status_label == "DELETING"
    assert kept.extra_fields == {"zone": "az1"}
    assert kept.size == odd["size"]
    [warning] = [r.getMessage() for r in caplog.records if r.name == "backupbot.huawei"]
    assert "end_time, take_up_time" in warning


async def test_a_page_of_the_wrong_shape_is_a_clear_error_not_retried(
    fake_time: FakeTime,
) -> None:
    served = 0

    def wrong_shape(request: httpx.Request) -> httpx.Response:
        nonlocal served
        served += 1
        return httpx.Response(200, json={"backups": "none", "total_count": 1})

    async with httpx.AsyncClient(transport=httpx.MockTransport(wrong_shape)) as client:
        api = make_api(client, "http://simulator.test", fake_time)
        with pytest.raises(UpstreamError, match="could not read") as caught:
            await api.list_backups(ListBackupsParams())
    assert caught.value.hint == "Unexpected value at backups."
    assert served == 1


@pytest.mark.parametrize(("count", "requests"), [(0, 1), (40, 1), (200, 3), (250, 3)])
async def test_without_a_total_count_pages_are_read_until_a_short_one(
    count: int, requests: int, fake_time: FakeTime
) -> None:
    state = SimulatorState(fleet=Fleet.bulk(count, NOW), clock=fixed_clock)
    inner = httpx.ASGITransport(app=create_app(state))

    async def no_total(request: httpx.Request) -> httpx.Response:
        response = await inner.handle_async_request(request)
        body = json.loads(await response.aread())
        del body["total_count"]
        return httpx.Response(response.status_code, json=body)

    async with httpx.AsyncClient(transport=httpx.MockTransport(no_total)) as client:
        api = make_api(client, "http://simulator.test", fake_time)
        listing = await api.list_backups(ListBackupsParams())
        first_ten = await api.list_backups(ListBackupsParams(), rows=10)
    assert [b.id for b in listing.backups] == [s.record["id"] for s in state.fleet.backups]
    assert listing.total_count == count
    assert listing.requests == requests
    assert len(first_ten.backups) == min(10, count)
    assert first_ten.requests == 1


class _Events(logging.Handler):
    """Log records as events, in the order they happen."""

    def __init__(self, events: list[str]) -> None:
        super().__init__()
        self.events = events

    def emit(self, record: logging.LogRecord) -> None:
        self.events.append("logged")


async def test_the_next_request_goes_out_before_a_page_is_parsed(fake_time: FakeTime) -> None:
    """Parsing hides behind the network: with one request in flight at a time, the request
    for the third page is sent before the second (whose unreadable row is logged when it is
    parsed) is read."""
    state = SimulatorState(fleet=Fleet.bulk(300, NOW), clock=fixed_clock)
    serve_as_is(state, [(NOW - timedelta(hours=150, minutes=30), NO_ID)])
    inner = httpx.ASGITransport(app=create_app(state))
    events: list[str] = []

    async def recording(request: httpx.Request) -> httpx.Response:
        events.append(f"sent {request.url.params['offset']}")
        return await inner.handle_async_request(request)

    handler = _Events(events)
    logging.getLogger("backupbot.huawei").addHandler(handler)
    try:
        async with httpx.AsyncClient(transport=httpx.MockTransport(recording)) as client:
            transport = Transport(
                http=client,
                endpoint="http://simulator.test",
                project_id=SIMULATOR_PROJECT_ID,
                credentials=AccessKeys(
                    SecretStr(SIMULATOR_ACCESS_KEY), SecretStr(SIMULATOR_SECRET_KEY)
                ),
                clock=fixed_clock,
                sleep=fake_time.sleep,
                concurrency=1,
            )
            api = BackupsApi(transport)
            listing = await api.list_backups(ListBackupsParams())
    finally:
        logging.getLogger("backupbot.huawei").removeHandler(handler)
    assert listing.unreadable == 1
    assert events.count("logged") == 1
    assert events.index("sent 100") < events.index("sent 200") < events.index("logged")
