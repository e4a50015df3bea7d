"""The simulator's HTTP face: the same paths, parameters, validation and error shapes.

It serves the backups listing, the instances listing, each instance's automated
backup policy, and backups taken by hand with their jobs (`manual_backups`). It decodes
query strings as the real gateway does (a raw `+` is a space), verifies AK/SK
signatures and tokens, answers newest first with a correct `total_count`, and can be
told to misbehave (latency, a lagging clock, injected faults, APIs denied with 403, odd
values in the instance listing and the policies) so tests and benchmarks can reproduce
real trouble. This module holds the three reading APIs; what every request meets first
is `gateway`'s, the state `state`'s, the control endpoints `control`'s and the odd
values `oddities`'s.
"""

from __future__ import annotations

import re

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.core.bounds import WindowFault, window_fault
from bot.core.params import ListBackupsParams
from bot.errors import InvalidRequest
from bot.huawei.simulator.control import (
    add_backups,
    add_fault,
    deny,
    manual_knobs,
    named,
    odd,
    requests_seen,
    reset,
    stats,
)
from bot.huawei.simulator.gateway import admit, error_response, not_found, serve
from bot.huawei.simulator.manual_backups import create_backup, settle, show_job
from bot.huawei.simulator.oddities import instance_page
from bot.huawei.simulator.restore import (
    list_incremental_backups,
    show_restore_tables,
    show_restore_time,
)
from bot.huawei.simulator.state import SimulatorState
from bot.huawei.wire import API_TIME_RE, parse_api_time

API_WORDS = {
    WindowFault.STARTS_IN_THE_FUTURE: "begin_time must be earlier than the current time",
    WindowFault.ENDS_IN_THE_FUTURE: "end_time must be earlier than the current time",
    WindowFault.ENDS_BEFORE_IT_STARTS: "end_time must be later than begin_time",
    WindowFault.EMPTY: "end_time must be later than begin_time",
}


def _check_params(state: SimulatorState, raw: dict[str, str]) -> ListBackupsParams:
    values: dict[str, object] = {}
    for key, text in raw.items():
        if key in ("offset", "limit"):
            if not re.fullmatch(r"\d{1,9}", text):
                raise InvalidRequest(f"{key} must be a non-negative integer")
            values[key] = int(text)
        elif key in ("begin_time", "end_time"):
            if not API_TIME_RE.match(text):
                raise InvalidRequest(f"{key} must be in the yyyy-mm-ddThh:mm:ssZ format")
            values[key] = parse_api_time(text)
        elif key in ListBackupsParams.model_fields:
            values[key] = text
    params = ListBackupsParams.build(**values)
    fault = window_fault(params.begin_time, params.end_time, now=state.server_now())
    if fault is not None:
        raise InvalidRequest(API_WORDS[fault])
    return params


async def list_backups(request: Request) -> Response:
    """GET /v3/{project_id}/backups."""
    return await serve(request, _answer_backups)


async def _answer_backups(
    state: SimulatorState, request: Request, raw: dict[str, str], request_id: str
) -> Response:
    early, repeat = await admit(state, request, request_id, api="backups")
    if early is not None:
        return early
    settle(state)
    try:
        params = _check_params(state, raw)
    except InvalidRequest as exc:
        return error_response(400, "DBS.200001", f"Parameter error: {exc.said}", request_id)
    matching = state.filtered(params)
    start = max(0, params.offset - repeat)
    rows = b", ".join(stored.encoded for stored in matching[start : start + params.limit])
    body = b'{"backups": [%s], "total_count": %d}' % (rows, len(matching))
    return Response(body, media_type="application/json", headers={"X-Request-Id": request_id})


async def list_instances(request: Request) -> Response:
    """GET /v3/{project_id}/instances (SDK list_gauss_my_sql_instances)."""
    return await serve(request, _answer_instances)


def _matches_text(wanted: str | None, value: str) -> bool:
    """The API's id/name filter: exact, or fuzzy after a leading `*`."""
    if wanted is None:
        return True
    return wanted[1:] in value if wanted.startswith("*") else wanted == value


def _page_bounds(raw: dict[str, str]) -> tuple[int, int]:
    """offset (a number, not negative; default 0) and limit (1-100; default 100), per the SDK."""
    offset_text, limit_text = raw.get("offset", "0"), raw.get("limit", "100")
    if not re.fullmatch(r"\d{1,9}", offset_text):
        raise InvalidRequest("offset must be a non-negative integer")
    if not re.fullmatch(r"\d{1,3}", limit_text) or not 1 <= int(limit_text) <= 100:
        raise InvalidRequest("limit must be an integer from 1 to 100")
    return int(offset_text), int(limit_text)


async def _answer_instances(
    state: SimulatorState, request: Request, raw: dict[str, str], request_id: str
) -> Response:
    early, _ = await admit(state, request, request_id, api="instances")
    if early is not None:
        return early
    settle(state)
    try:
        offset, limit = _page_bounds(raw)
        for key in ("id", "name"):
            if raw.get(key) == "*":
                raise InvalidRequest(f"{key} cannot be only '*'")
    except InvalidRequest as exc:
        return error_response(400, "DBS.200001", f"Parameter error: {exc.said}", request_id)
    rows = [
        declared.record
        for declared in state.served_inventory()
        if _matches_text(raw.get("id"), str(declared.record.get("id", "")))
        and _matches_text(raw.get("name"), str(declared.record.get("name") or ""))
        and raw.get("type", "Cluster") == declared.record["type"]
        and raw.get("datastore_type", "gaussdb-mysql") == declared.record["datastore"]["type"]
    ]
    page = instance_page(rows, offset=offset, limit=limit, oddities=state.knobs.odd)
    return JSONResponse(page, headers={"X-Request-Id": request_id})


async def show_policy(request: Request) -> Response:
    """GET /v3/{project_id}/instances/{instance_id}/backups/policy."""
    return await serve(request, _answer_policy)


async def _answer_policy(
    state: SimulatorState, request: Request, raw: dict[str, str], request_id: str
) -> Response:
    early, _ = await admit(state, request, request_id, api="policy")
    if early is not None:
        return early
    wanted = request.path_params["instance_id"]
    declared = next(
        (found for found in state.served_inventory() if found.record.get("id") == wanted), None
    )
    if declared is None:
        # The code is the one the backups API documents; its HTTP status is not documented.
        return error_response(404, "DBS.200022", "The DB instance does not exist.", request_id)
    return JSONResponse({"backup_policy": declared.policy}, headers={"X-Request-Id": request_id})


def create_app(state: SimulatorState) -> Starlette:
    """The simulator as an ASGI app, to serve over HTTP or to mount in-process."""
    app = Starlette(
        routes=[
            Route("/v3/{project_id}/backups", list_backups, methods=["GET"]),
            Route("/v3/{project_id}/instances", list_instances, methods=["GET"]),
            Route("/v3/{project_id}/backups/create", create_backup, methods=["POST"]),
            Route("/v3/{project_id}/jobs", show_job, methods=["GET"]),
            Route(
                "/v3/{project_id}/instances/{instance_id}/backups/policy",
                show_policy,
                methods=["GET"],
            ),
            Route(
                "/v3/{project_id}/instances/{instance_id}/restore-time",
                show_restore_time,
                methods=["GET"],
            ),
            Route(
                "/v3.1/{project_id}/instances/{instance_id}/backups/restore/tables",
                show_restore_tables,
                methods=["GET"],
            ),
            Route(
                "/v3/{project_id}/instances/{instance_id}/incremental-backups",
                list_incremental_backups,
                methods=["GET"],
            ),
            Route("/_simulator/stats", stats, methods=["GET"]),
            Route("/_simulator/requests", requests_seen, methods=["GET"]),
            Route("/_simulator/faults", add_fault, methods=["POST"]),
            Route("/_simulator/deny", deny, methods=["POST"]),
            Route("/_simulator/oddities", odd, methods=["POST"]),
            Route("/_simulator/backups", add_backups, methods=["POST"]),
            Route("/_simulator/manual", manual_knobs, methods=["POST"]),
            Route("/_simulator/named", named, methods=["GET"]),
            Route("/_simulator/reset", reset, methods=["POST"]),
        ],
        exception_handlers={404: not_found},
    )
    app.state.simulator = state
    return app
