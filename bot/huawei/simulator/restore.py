"""The simulator's restore reads: restorable times, tables at a point, log backups.

As strict as the API: `date` a real `yyyy-mm-dd` day not after today (UTC); `start_time`
and `end_time` UNIX milliseconds, both or neither, in order and not in the future;
`restore_time` mandatory, inside a restorable range; `last_table_info` "true" or
"false"; log backup `limit` 10, 20 or 50, `begin_time`/`end_time` both or neither. A
wrong one is answered 400 DBS.200001; an unknown instance 404 DBS.200022. The story
(what is restorable when) is `restore_story`'s.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.errors import InvalidRequest
from bot.huawei.simulator.gateway import admit, error_response, serve
from bot.huawei.simulator.records import SERVER_OFFSET
from bot.huawei.simulator.restore_story import Story, log_backups, story, tables_at
from bot.huawei.simulator.state import SimulatorState
from bot.huawei.wire import API_TIME_FORMAT, API_TIME_RE, parse_api_time

MS_RE = re.compile(r"^\d{1,15}$")
LOG_LIMITS = ("10", "20", "50")


def _ms(raw: dict[str, str], key: str) -> datetime:
    text = raw[key]
    if not MS_RE.match(text):
        raise InvalidRequest(f"{key} must be a UNIX timestamp in milliseconds")
    return datetime.fromtimestamp(int(text) / 1000, UTC)


def _to_ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def _instance(state: SimulatorState, request: Request) -> str | None:
    wanted = request.path_params["instance_id"]
    return wanted if wanted in state.fleet.inventory() else None


def _story(state: SimulatorState, instance_id: str) -> Story:
    return story(state.fleet, instance_id, state.server_now())


def _window(state: SimulatorState, raw: dict[str, str]) -> tuple[datetime, datetime] | None:
    """What `date` or `start_time` + `end_time` ask for (`date` wins); None: everything."""
    now = state.server_now()
    if "date" in raw:
        text = raw["date"]
        try:
            day = date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
        except ValueError:
            day = None
        if day is None:
            raise InvalidRequest("date must be in the yyyy-mm-dd format")
        if day > now.astimezone(UTC).date():
            raise InvalidRequest("date cannot be later than the current date")
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return start, start + timedelta(days=1) - timedelta(milliseconds=1)
    if ("start_time" in raw) != ("end_time" in raw):
        raise InvalidRequest("start_time and end_time must be specified together")
    if "start_time" not in raw:
        return None
    start, end = _ms(raw, "start_time"), _ms(raw, "end_time")
    if end > now:
        raise InvalidRequest("end_time cannot be later than the current time")
    if start >= end:
        raise InvalidRequest("start_time must be earlier than end_time")
    return start, end


async def show_restore_time(request: Request) -> Response:
    """GET /v3/{project_id}/instances/{instance_id}/restore-time (show_backup_restore_time)."""
    return await serve(request, _answer_restore_time)


async def _answer_restore_time(
    state: SimulatorState, request: Request, raw: dict[str, str], request_id: str
) -> Response:
    early, _ = await admit(state, request, request_id, api="restore_time")
    if early is not None:
        return early
    try:
        window = _window(state, raw)
    except InvalidRequest as exc:
        return error_response(400, "DBS.200001", f"Parameter error: {exc.said}", request_id)
    instance_id = _instance(state, request)
    if instance_id is None:
        return error_response(404, "DBS.200022", "The DB instance does not exist.", request_id)
    spans = []
    for start, end in _story(state, instance_id).spans:
        if window is not None:
            start, end = max(start, window[0]), min(end, window[1])
        if start <= end:
            spans.append({"start_time": _to_ms(start), "end_time": _to_ms(end)})
    return JSONResponse({"restore_times": spans}, headers={"X-Request-Id": request_id})


async def show_restore_tables(request: Request) -> Response:
    """GET /v3.1/{project_id}/instances/{instance_id}/backups/restore/tables."""
    return await serve(request, _answer_restore_tables)


async def _answer_restore_tables(
    state: SimulatorState, request: Request, raw: dict[str, str], request_id: str
) -> Response:
    early, _ = await admit(state, request, request_id, api="restore_tables")
    if early is not None:
        return early
    instance_id = _instance(state, request)
    try:
        if "restore_time" not in raw:
            raise InvalidRequest("restore_time is mandatory")
        moment = _ms(raw, "restore_time")
        latest = raw.get("last_table_info", "false")
        if latest not in ("true", "false"):
            raise InvalidRequest("last_table_info must be true or false")
        if instance_id is None:
            return error_response(404, "DBS.200022", "The DB instance does not exist.", request_id)
        told = _story(state, instance_id)
        if not any(start <= moment <= end for start, end in told.spans):
            raise InvalidRequest("restore_time is not within a restorable time range")
    except InvalidRequest as exc:
        return error_response(400, "DBS.200001", f"Parameter error: {exc.said}", request_id)
    at = state.server_now() if latest == "true" else moment
    databases: list[dict[str, Any]] = []
    total = 0
    for name, tables in tables_at(told, at).items():
        if raw.get("database_name") and raw["database_name"] != name:
            continue
        shown = [table for table in tables if raw.get("table_name", "") in table]
        total += len(shown)
        if shown:
            databases.append(
                {
                    "name": name,
                    "total_tables": len(shown),
                    "tables": [{"name": table} for table in shown],
                }
            )
    body = {"total_tables": total, "databases": databases}
    return JSONResponse(body, headers={"X-Request-Id": request_id})


async def list_incremental_backups(request: Request) -> Response:
    """GET /v3/{project_id}/instances/{instance_id}/incremental-backups."""
    return await serve(request, _answer_incremental)


def _log_window(state: SimulatorState, raw: dict[str, str]) -> tuple[datetime, datetime]:
    if ("begin_time" in raw) != ("end_time" in raw):
        raise InvalidRequest("begin_time and end_time must be specified together")
    now = state.server_now()
    if "begin_time" not in raw:
        return datetime(2000, 1, 1, tzinfo=UTC), now
    for key in ("begin_time", "end_time"):
        if not API_TIME_RE.match(raw[key]):
            raise InvalidRequest(f"{key} must be in the yyyy-mm-ddThh:mm:ssZ format")
    start, end = parse_api_time(raw["begin_time"]), parse_api_time(raw["end_time"])
    if end > now or start >= end:
        raise InvalidRequest("end_time must be later than begin_time and not in the future")
    return start, end


async def _answer_incremental(
    state: SimulatorState, request: Request, raw: dict[str, str], request_id: str
) -> Response:
    early, _ = await admit(state, request, request_id, api="incremental_backups")
    if early is not None:
        return early
    try:
        limit = raw.get("limit", "10")
        if limit not in LOG_LIMITS:
            raise InvalidRequest("limit must be 10, 20 or 50")
        offset = raw.get("offset", "0")
        if not re.fullmatch(r"\d{1,9}", offset):
            raise InvalidRequest("offset must be a non-negative integer")
        start, end = _log_window(state, raw)
    except InvalidRequest as exc:
        return error_response(400, "DBS.200001", f"Parameter error: {exc.said}", request_id)
    instance_id = _instance(state, request)
    if instance_id is None:
        return error_response(404, "DBS.200022", "The DB instance does not exist.", request_id)
    found = log_backups(_story(state, instance_id), start=start, end=end)
    if state.knobs.logs_oldest_first:
        found.reverse()
    page = found[int(offset) : int(offset) + int(limit)]
    rows = [_log_record(instance_id, begin, finish) for begin, finish in page]
    body = {"backups": rows, "total_count": len(found)}
    return JSONResponse(body, headers={"X-Request-Id": request_id})


def _log_record(instance_id: str, begin: datetime, end: datetime) -> dict[str, Any]:
    stamp = begin.astimezone(SERVER_OFFSET)
    return {
        "id": f"{instance_id[:24]}{int(begin.timestamp()):010d}"[:32] + "br07",
        "name": f"log-{stamp:%Y%m%d%H%M%S}",
        "begin_time": stamp.strftime(API_TIME_FORMAT),
        "end_time": end.astimezone(SERVER_OFFSET).strftime(API_TIME_FORMAT),
        "size": round(64 + begin.minute * 1.5, 2),
        "backup_type": "Log",
        "instance_id": instance_id,
    }
