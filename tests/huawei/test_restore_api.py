"""The restore reads against the simulator over real HTTP: strict parameters answered with
the API's errors, shapes the official SDK's models read alike, rows read one by one, and
a 403 that names the IAM action to grant.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from huaweicloudsdkcore.client import Client

from bot.core.restore.question import TableName
from bot.errors import PermissionDenied, UpstreamError
from bot.huawei.client import BackupsApi
from bot.huawei.restore import LOG_PAGE, read_log_backups, read_restore_times, read_tables, to_ms
from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.records import SIMULATOR_PROJECT_ID, instance_id_for
from bot.huawei.simulator.restore_story import (
    CREATED_TABLE,
    DROPPED_TABLE,
    GAP_INSTANCE,
    LOG_EVERY,
    story,
)
from bot.huawei.transport import reading
from tests.conftest import NOW
from tests.huawei.test_sdk_shapes import SDK_MODELS

ORDERS = instance_id_for("orders-prod")
BASE = f"/v3/{SIMULATOR_PROJECT_ID}/instances"
TABLES = f"/v3.1/{SIMULATOR_PROJECT_ID}/instances"


async def get(api: BackupsApi, path: str, query: list[tuple[str, str]]) -> Any:
    """One signed GET through the client's own transport: the body, parsed as JSON."""
    return await api.restores._transport.get(path, query, reading(json.loads))


async def refused(api: BackupsApi, path: str, query: list[tuple[str, str]]) -> UpstreamError:
    with pytest.raises(UpstreamError) as caught:
        await get(api, path, query)
    return caught.value


def sdk(body: object, model: str) -> Any:
    client = Client()
    client.model_package = SDK_MODELS
    response = httpx.Response(200, content=json.dumps(body).encode())
    return client.deserialize(response, model, None)


@pytest.mark.parametrize(
    "query",
    [
        [("date", "2026-13-01")],
        [("date", "27-11-2026")],
        [("date", "2026-11-28")],  # a day after today (UTC)
        [("start_time", "1795000000000")],  # without end_time
        [("end_time", "1795000000000")],
        [("start_time", "soon"), ("end_time", "1795000000000")],
        [("start_time", "1795000000000"), ("end_time", str(to_ms(NOW + timedelta(hours=1))))],
        [("start_time", str(to_ms(NOW - timedelta(hours=1)))), ("end_time", "1")],
    ],
)
async def test_restore_time_parameters_are_as_strict_as_the_api(
    api: BackupsApi, query: list[tuple[str, str]]
) -> None:
    error = await refused(api, f"{BASE}/{ORDERS}/restore-time", query)
    assert (error.status, error.error_code) == (400, "DBS.200001")


@pytest.mark.parametrize(
    "query",
    [
        [("last_table_info", "false")],  # restore_time is mandatory
        [("restore_time", "yesterday"), ("last_table_info", "false")],
        [("restore_time", str(to_ms(NOW - timedelta(hours=1)))), ("last_table_info", "maybe")],
        [("restore_time", str(to_ms(NOW - timedelta(days=200)))), ("last_table_info", "false")],
    ],
)
async def test_restore_tables_parameters_are_as_strict_as_the_api(
    api: BackupsApi, query: list[tuple[str, str]]
) -> None:
    error = await refused(api, f"{TABLES}/{ORDERS}/backups/restore/tables", query)
    assert (error.status, error.error_code) == (400, "DBS.200001")


@pytest.mark.parametrize(
    "query", [[("limit", "15")], [("begin_time", "2026-11-20T00:00:00+0000")], [("offset", "-1")]]
)
async def test_log_backup_parameters_are_as_strict_as_the_api(
    api: BackupsApi, query: list[tuple[str, str]]
) -> None:
    error = await refused(api, f"{BASE}/{ORDERS}/incremental-backups", query)
    assert (error.status, error.error_code) == (400, "DBS.200001")


async def test_an_unknown_instance_is_the_apis_404(api: BackupsApi) -> None:
    error = await refused(api, f"{BASE}/{'0' * 32}in07/restore-time", [])
    assert (error.status, error.error_code) == (404, "DBS.200022")


async def test_the_ranges_are_the_fleets_and_the_sdk_reads_them_alike(
    api: BackupsApi, state: SimulatorState
) -> None:
    gap_id = instance_id_for(GAP_INSTANCE)
    start, end = NOW - timedelta(days=90), NOW - timedelta(minutes=1)
    query = [("start_time", str(to_ms(start))), ("end_time", str(to_ms(end)))]
    body = await get(api, f"{BASE}/{gap_id}/restore-time", query)
    ours = read_restore_times(json.dumps(body))
    theirs = sdk(body, "ShowBackupRestoreTimeResponse").restore_times
    assert [(to_ms(s.start), to_ms(s.end)) for s in ours.spans] == [
        (row.start_time, row.end_time) for row in theirs
    ]
    told = story(state.fleet, gap_id, NOW).spans
    assert len(told) == 2, "the log backups failed once: two ranges"
    assert [(s.start, s.end) for s in ours.spans] == list(told)
    assert told[1][1] <= NOW - timedelta(minutes=1)
    assert NOW - told[1][1] <= LOG_EVERY + timedelta(minutes=1), "ends a few minutes ago"
    read = await api.restores.restore_times(gap_id, start=start, end=end)
    assert read.spans == ours.spans
    assert read.requests == 1


async def test_a_day_reads_only_that_utc_day(api: BackupsApi) -> None:
    day = (NOW - timedelta(days=2)).date()
    read = await api.restores.restore_times_on(ORDERS, day)
    (span,) = read.spans
    assert span.start == datetime(day.year, day.month, day.day, tzinfo=UTC)
    assert span.end == span.start + timedelta(days=1) - timedelta(milliseconds=1)


async def test_tables_appear_and_disappear_and_the_sdk_reads_them_alike(
    api: BackupsApi, state: SimulatorState
) -> None:
    told = story(state.fleet, ORDERS, NOW)
    before_drop = told.dropped - timedelta(minutes=1)
    query = [("restore_time", str(to_ms(before_drop))), ("last_table_info", "false")]
    body = await get(api, f"{TABLES}/{ORDERS}/backups/restore/tables", query)
    ours = read_tables(json.dumps(body))
    theirs = sdk(body, "ShowRestoreAvailableTablesResponse")
    assert {(d.name, t.name) for d in theirs.databases for t in d.tables} == {
        (t.database, t.table) for t in ours.tables
    }
    assert theirs.total_tables == len(ours.tables)
    assert TableName(*DROPPED_TABLE) in ours.tables
    assert TableName(*CREATED_TABLE) in ours.tables
    latest = await api.restores.tables_at(ORDERS, at=before_drop, latest=True)
    assert TableName(*DROPPED_TABLE) not in latest.tables
    early = await api.restores.tables_at(
        ORDERS, at=told.created - timedelta(minutes=1), latest=False
    )
    assert TableName(*CREATED_TABLE) not in early.tables


async def test_log_backups_page_and_miss_the_gap_and_the_sdk_reads_them(
    api: BackupsApi, state: SimulatorState
) -> None:
    gap_id = instance_id_for(GAP_INSTANCE)
    first, second = story(state.fleet, gap_id, NOW).spans
    window = [
        ("begin_time", (first[1] - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S+0000")),
        ("end_time", (second[0] + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S+0000")),
        ("limit", "50"),
    ]
    body = await get(api, f"{BASE}/{gap_id}/incremental-backups", window)
    page = sdk(body, "ShowGaussMySqlIncrementalBackupListResponse")
    assert page.total_count == len(body["backups"]) == 24, "an hour each side, every 5 min"
    for row in page.backups:
        begin = datetime.fromisoformat(row.begin_time)
        assert not first[1] < begin < second[0], "no log backup inside the gap"
        assert row.backup_type == "Log"
    ours = read_log_backups(json.dumps(body))
    assert sorted((log.name, log.begin, log.end) for log in ours.backups) == sorted(
        (row.name, datetime.fromisoformat(row.begin_time), datetime.fromisoformat(row.end_time))
        for row in page.backups
    )
    before = await api.restores.log_backups(
        gap_id, start=first[1] - timedelta(hours=1), end=first[1]
    )
    assert before.backups[0].end == first[1], "the newest first: the last before the gap"
    assert before.requests == 1


@pytest.mark.parametrize("oldest_first", [False, True])
async def test_more_log_backups_than_a_page_are_read_page_after_page_in_either_order(
    api: BackupsApi, state: SimulatorState, oldest_first: bool
) -> None:
    state.knobs.logs_oldest_first = oldest_first
    gap_id = instance_id_for(GAP_INSTANCE)
    first, _ = story(state.fleet, gap_id, NOW).spans
    start = first[1] - timedelta(hours=6)
    # One every 5 minutes, begun from `start` to the last before the gap: 6 h of them.
    count = timedelta(hours=6) // LOG_EVERY
    assert count > LOG_PAGE, "more than one page"
    logs = await api.restores.log_backups(gap_id, start=start, end=first[1])
    assert len(logs.backups) == count
    assert logs.requests == -(-count // LOG_PAGE)
    assert logs.backups[0].end == first[1], "the last before the gap, whatever the order"
    assert [log.end for log in logs.backups] == sorted(
        (log.end for log in logs.backups), reverse=True
    )
    assert logs.backups[-1].begin == start


@pytest.mark.parametrize(
    ("api_name", "action"),
    [
        ("restore_time", "gaussdbformysql:backup:getRestoreTime"),
        ("restore_tables", "gaussdbformysql:backup:list"),
    ],
)
async def test_a_403_names_the_action_to_grant(
    api: BackupsApi, state: SimulatorState, api_name: str, action: str
) -> None:
    state.knobs.denied = {api_name}
    point = story(state.fleet, ORDERS, NOW).spans[0][1] - timedelta(hours=1)
    read = (
        api.restores.restore_times(ORDERS, start=point - timedelta(hours=1), end=point)
        if api_name == "restore_time"
        else api.restores.tables_at(ORDERS, at=point, latest=False)
    )
    with pytest.raises(PermissionDenied) as caught:
        await read
    assert caught.value.action == action
    assert action in caught.value.hint


def test_an_odd_row_costs_only_itself() -> None:
    body = {"restore_times": [{"start_time": 1, "end_time": 2}, {"start_time": "x"}, None]}
    read = read_restore_times(json.dumps(body))
    assert (len(read.spans), read.unreadable) == (1, 2)
    tables = {"databases": [{"name": "shop", "tables": [{"name": "a"}, {"name": None}]}, 7]}
    listed = read_tables(json.dumps(tables))
    assert (listed.tables, listed.unreadable) == (frozenset({TableName("shop", "a")}), 2)
