"""The simulator's HTTP face: the same paths, parameters, validation and error shapes.

It serves the backups listing, the instances listing and each instance's automated
backup policy. It decodes query strings as the real gateway does (a raw `+` is a
space), verifies AK/SK signatures and tokens, answers newest first with a correct
`total_count`, and can be told to misbehave (latency, a lagging clock, injected faults,
APIs denied with 403) so tests and benchmarks can reproduce real trouble.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.core.bounds import WindowFault, window_fault
from bot.core.params import API_TIME_RE, ListBackupsParams
from bot.core.timefmt import parse_api_time
from bot.errors import InvalidRequest
from bot.huawei.signer import SignatureRejected, verify
from bot.huawei.simulator.fleet import (
    SIMULATOR_ACCESS_KEY,
    SIMULATOR_PROJECT_ID,
    SIMULATOR_SECRET_KEY,
    Fleet,
    StoredBackup,
    backup_record,
)

FaultKind = Literal["error", "throttle", "malformed", "hang", "insert", "repeat", "expire_tokens"]
_FILTERS = ("instance_id", "backup_id", "backup_type", "name", "instance_name")
# The API's own words for a window it refuses.
API_WORDS = {
    WindowFault.STARTS_IN_THE_FUTURE: "begin_time must be earlier than the current time",
    WindowFault.ENDS_IN_THE_FUTURE: "end_time must be earlier than the current time",
    WindowFault.ENDS_BEFORE_IT_STARTS: "end_time must be later than begin_time",
    WindowFault.EMPTY: "end_time must be later than begin_time",
}
# The APIs served, by the names `/_simulator/deny` takes.
APIS = ("backups", "instances", "policy")


@dataclass
class Fault:
    """One injected misbehaviour, applied to the next `times` API requests after `skip`.

    error: `status` with an error body; throttle: 429 APIGW.0308 with `retry_after`;
    malformed: 200 with a broken body; hang: no answer for `seconds`; insert: `rows` new
    backups appear before answering (total_count grows mid-paging); repeat: the page
    starts `rows` rows early, repeating rows already sent.
    """

    kind: FaultKind
    status: int = 500
    error_code: str = "DBS.05000001"
    retry_after: float | None = None
    times: int = 1
    skip: int = 0
    seconds: float = 3600.0
    rows: int = 1


@dataclass
class Knobs:
    """Behaviour that applies to every request; `denied` APIs answer 403 APIGW.0302."""

    latency: float = 0.0
    clock_lag: float = 0.0
    denied: set[str] = field(default_factory=set)


@dataclass
class RecordedRequest:
    """What the simulator saw, for tests that count requests."""

    path: str
    params: dict[str, str]
    status: int = 0


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class SimulatorState:
    """Everything the simulator knows; tests may reach in and change it."""

    fleet: Fleet
    project_id: str = SIMULATOR_PROJECT_ID
    credentials: dict[str, str] = field(
        default_factory=lambda: {SIMULATOR_ACCESS_KEY: SIMULATOR_SECRET_KEY}
    )
    security_tokens: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, datetime] = field(default_factory=dict)
    knobs: Knobs = field(default_factory=Knobs)
    faults: list[Fault] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    clock: Callable[[], datetime] = _utc_now
    held: threading.Event | None = None
    """While an unset Event, API requests wait for it: a test holds the upstream to show
    that something (an ack, another answer) does not wait for it."""
    _filtered: dict[tuple[Any, ...], list[StoredBackup]] = field(default_factory=dict)

    @property
    def request_count(self) -> int:
        """API requests received (control endpoints excluded)."""
        return len(self.requests)

    def server_now(self) -> datetime:
        """The server's clock, which may lag ours."""
        return self.clock() - timedelta(seconds=self.knobs.clock_lag)

    def take_fault(self) -> Fault | None:
        """The fault that applies to this request, if any, counting it down."""
        for fault in self.faults:
            if fault.skip > 0:
                fault.skip -= 1
                return None
            fault.times -= 1
            if fault.times <= 0:
                self.faults.remove(fault)
            return fault
        return None

    def filtered(self, params: ListBackupsParams) -> list[StoredBackup]:
        """Backups matching everything but offset/limit, newest first (memoised per fleet)."""
        key = (
            self.fleet.version,
            *(getattr(params, name) for name in _FILTERS),
            params.begin_time,
            params.end_time,
        )
        cached = self._filtered.get(key)
        if cached is None:
            if len(self._filtered) > 64:
                self._filtered.clear()
            cached = [
                stored
                for stored in self.fleet.backups
                if _matches(stored.begin, stored.record, params)
            ]
            self._filtered[key] = cached
        return cached


def _matches(begin: datetime, record: dict[str, Any], params: ListBackupsParams) -> bool:
    for name in _FILTERS:
        wanted = getattr(params, name)
        record_key = {"backup_id": "id", "backup_type": "type"}.get(name, name)
        if wanted is not None and record.get(record_key) != wanted:
            return False
    if params.begin_time is not None and begin < params.begin_time:
        return False
    return params.end_time is None or begin <= params.end_time


def _error(status: int, code: str, message: str, request_id: str) -> JSONResponse:
    body = {"error_code": code, "error_msg": message}
    if code.startswith("APIGW"):
        body["request_id"] = request_id
    return JSONResponse(body, status_code=status, headers={"X-Request-Id": request_id})


def _wire_headers(request: Request) -> dict[str, str]:
    # Starlette decodes header bytes as latin-1; senders put UTF-8 bytes there.
    return {
        name: value.encode("latin-1").decode("utf-8", errors="replace")
        for name, value in request.headers.items()
    }


def _authenticate(state: SimulatorState, request: Request, request_id: str) -> JSONResponse | None:
    headers = _wire_headers(request)
    token = headers.get("x-auth-token")
    if token is not None:
        expiry = state.tokens.get(token)
        if expiry is None:
            return _error(
                401,
                "APIGW.0301",
                "Incorrect IAM authentication information: token invalid",
                request_id,
            )
        if expiry <= state.clock():
            return _error(401, "APIGW.0307", "The token must be updated.", request_id)
        return None
    try:
        access_key = verify(
            method=request.method,
            path=request.scope.get("raw_path", b"").decode("latin-1") or request.url.path,
            query=list(request.query_params.multi_items()),
            headers=headers,
            body=b"",
            secret_for=state.credentials.get,
            now=state.clock(),
        )
    except SignatureRejected as exc:
        return _error(
            401, "APIGW.0301", f"Incorrect IAM authentication information: {exc}", request_id
        )
    expected_token = state.security_tokens.get(access_key)
    signed = re.search(r"SignedHeaders=([^,]*)", headers.get("authorization", ""))
    if expected_token is not None and (
        headers.get("x-security-token") != expected_token
        or signed is None
        or "x-security-token" not in signed.group(1).split(";")
    ):
        return _error(
            401,
            "APIGW.0301",
            "Incorrect IAM authentication information: security token",
            request_id,
        )
    project_header = headers.get("x-project-id")
    if project_header is not None and project_header != state.project_id:
        return _error(
            401, "APIGW.0301", "Incorrect IAM authentication information: project", request_id
        )
    return None


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


async def _misbehave(state: SimulatorState, fault: Fault, request_id: str) -> Response | None:
    if fault.kind == "hang":
        await asyncio.sleep(fault.seconds)
        return _error(504, "APIGW.0201", "Gateway timeout", request_id)
    if fault.kind == "error":
        return _error(fault.status, fault.error_code, "Internal service error.", request_id)
    if fault.kind == "throttle":
        response = _error(
            429, "APIGW.0308", "The throttling threshold has been reached", request_id
        )
        if fault.retry_after is not None:
            response.headers["Retry-After"] = f"{fault.retry_after:g}"
        return response
    if fault.kind == "malformed":
        return Response(
            '{"backups": [{"id": ',
            media_type="application/json",
            headers={"X-Request-Id": request_id},
        )
    if fault.kind == "expire_tokens":
        for token in state.tokens:
            state.tokens[token] = state.clock()
    if fault.kind == "insert":
        now = state.server_now()
        state.fleet.extend(
            [
                backup_record(
                    profile_name="orders-prod",
                    begin=now - timedelta(seconds=index + 1),
                    minutes=1,
                    status="COMPLETED",
                    kind="manual",
                    size_mb=1,
                    serial=f"inserted{state.fleet.version}-{index}",
                )
                for index in range(fault.rows)
            ]
        )
    return None


Answer = Callable[[SimulatorState, Request, dict[str, str], str], Awaitable[Response]]


async def _serve(request: Request, answer: Answer) -> Response:
    """Record an API request, answer it, and note the status it got."""
    state: SimulatorState = request.app.state.simulator
    raw = dict(request.query_params)
    record = RecordedRequest(path=request.url.path, params=raw)
    state.requests.append(record)
    response = await answer(state, request, raw, uuid.uuid4().hex)
    record.status = response.status_code
    return response


async def _admit(
    state: SimulatorState, request: Request, request_id: str, *, api: str
) -> tuple[Response | None, int]:
    """What every API request meets first: latency, faults, authentication, permission.

    Returns an early answer, or None and the rows a `repeat` fault shifts the page by.
    """
    if state.held is not None:
        await asyncio.to_thread(state.held.wait, 60)
    if state.knobs.latency:
        await asyncio.sleep(state.knobs.latency)
    fault = state.take_fault()
    repeat = 0
    if fault is not None:
        if fault.kind == "repeat":
            repeat = fault.rows
        else:
            early = await _misbehave(state, fault, request_id)
            if early is not None:
                return early, 0
    denied = _authenticate(state, request, request_id)
    if denied is not None:
        return denied, 0
    if request.path_params["project_id"] != state.project_id:
        return _error(
            401, "APIGW.0301", "Incorrect IAM authentication information: project", request_id
        ), 0
    if api in state.knobs.denied:
        return _error(
            403, "APIGW.0302", "The IAM policy does not allow this request.", request_id
        ), 0
    return None, repeat


async def list_backups(request: Request) -> Response:
    """GET /v3/{project_id}/backups."""
    return await _serve(request, _answer_backups)


async def _answer_backups(
    state: SimulatorState, request: Request, raw: dict[str, str], request_id: str
) -> Response:
    early, repeat = await _admit(state, request, request_id, api="backups")
    if early is not None:
        return early
    try:
        params = _check_params(state, raw)
    except InvalidRequest as exc:
        return _error(400, "DBS.200001", f"Parameter error: {exc.message}", request_id)
    matching = state.filtered(params)
    start = max(0, params.offset - repeat)
    rows = b", ".join(stored.encoded for stored in matching[start : start + params.limit])
    body = b'{"backups": [%s], "total_count": %d}' % (rows, len(matching))
    return Response(body, media_type="application/json", headers={"X-Request-Id": request_id})


async def list_instances(request: Request) -> Response:
    """GET /v3/{project_id}/instances (SDK list_gauss_my_sql_instances)."""
    return await _serve(request, _answer_instances)


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
    early, _ = await _admit(state, request, request_id, api="instances")
    if early is not None:
        return early
    try:
        offset, limit = _page_bounds(raw)
        for key in ("id", "name"):
            if raw.get(key) == "*":
                raise InvalidRequest(f"{key} cannot be only '*'")
    except InvalidRequest as exc:
        return _error(400, "DBS.200001", f"Parameter error: {exc.message}", request_id)
    rows = [
        declared.record
        for declared in state.fleet.inventory().values()
        if _matches_text(raw.get("id"), declared.record["id"])
        and _matches_text(raw.get("name"), declared.record["name"])
        and raw.get("type", "Cluster") == declared.record["type"]
        and raw.get("datastore_type", "gaussdb-mysql") == declared.record["datastore"]["type"]
    ]
    return JSONResponse(
        {"instances": rows[offset : offset + limit], "total_count": len(rows)},
        headers={"X-Request-Id": request_id},
    )


async def show_policy(request: Request) -> Response:
    """GET /v3/{project_id}/instances/{instance_id}/backups/policy."""
    return await _serve(request, _answer_policy)


async def _answer_policy(
    state: SimulatorState, request: Request, raw: dict[str, str], request_id: str
) -> Response:
    early, _ = await _admit(state, request, request_id, api="policy")
    if early is not None:
        return early
    declared = state.fleet.inventory().get(request.path_params["instance_id"])
    if declared is None:
        # The code is the one the backups API documents; its HTTP status is not documented.
        return _error(404, "DBS.200022", "The DB instance does not exist.", request_id)
    return JSONResponse({"backup_policy": declared.policy}, headers={"X-Request-Id": request_id})


async def stats(request: Request) -> Response:
    """GET /_simulator/stats: requests seen so far, for benchmarks in another process."""
    state: SimulatorState = request.app.state.simulator
    return JSONResponse({"requests": state.request_count, "backups": len(state.fleet.backups)})


async def add_fault(request: Request) -> Response:
    """POST /_simulator/faults with a Fault as JSON."""
    state: SimulatorState = request.app.state.simulator
    state.faults.append(Fault(**json.loads(await request.body())))
    return JSONResponse({"faults": len(state.faults)})


async def deny(request: Request) -> Response:
    """POST /_simulator/deny with {"apis": [...]}: those APIs answer 403 APIGW.0302 ([] ends it)."""
    state: SimulatorState = request.app.state.simulator
    apis = json.loads(await request.body()).get("apis", [])
    unknown = sorted(set(apis) - set(APIS))
    if unknown:
        return JSONResponse({"error": f"unknown APIs {unknown}; known: {list(APIS)}"}, 400)
    state.knobs.denied = set(apis)
    return JSONResponse({"denied": sorted(state.knobs.denied)})


async def add_backups(request: Request) -> Response:
    """POST /_simulator/backups: add backups while serving, e.g. failures a watch should see.

    A JSON list of {"instance", "begin" (ISO with offset), "serial", and optionally
    "status" (FAILED), "minutes" (2), "kind" (auto), "size_mb" (0), "description"}.
    """
    state: SimulatorState = request.app.state.simulator
    records = [
        backup_record(
            profile_name=str(spec["instance"]),
            begin=datetime.fromisoformat(str(spec["begin"])),
            minutes=int(spec.get("minutes", 2)),
            status=str(spec.get("status", "FAILED")),
            kind=str(spec.get("kind", "auto")),
            size_mb=int(spec.get("size_mb", 0)),
            serial=str(spec["serial"]),
            description=str(spec.get("description", "")),
        )
        for spec in json.loads(await request.body())
    ]
    state.fleet.extend(records)
    added = [{"id": record["id"], "name": record["name"]} for record in records]
    return JSONResponse({"backups": len(state.fleet.backups), "added": added})


async def reset(request: Request) -> Response:
    """POST /_simulator/reset: forget faults, denials and counted requests."""
    state: SimulatorState = request.app.state.simulator
    state.faults.clear()
    state.requests.clear()
    state.knobs.denied.clear()
    return JSONResponse({"ok": True})


async def not_found(request: Request, exc: Exception) -> Response:
    """Unknown paths answer as the API gateway does."""
    return _error(
        404,
        "APIGW.0101",
        "The API does not exist or has not been published in the environment",
        uuid.uuid4().hex,
    )


def create_app(state: SimulatorState) -> Starlette:
    """The simulator as an ASGI app, to serve over HTTP or to mount in-process."""
    app = Starlette(
        routes=[
            Route("/v3/{project_id}/backups", list_backups, methods=["GET"]),
            Route("/v3/{project_id}/instances", list_instances, methods=["GET"]),
            Route(
                "/v3/{project_id}/instances/{instance_id}/backups/policy",
                show_policy,
                methods=["GET"],
            ),
            Route("/_simulator/stats", stats, methods=["GET"]),
            Route("/_simulator/faults", add_fault, methods=["POST"]),
            Route("/_simulator/deny", deny, methods=["POST"]),
            Route("/_simulator/backups", add_backups, methods=["POST"]),
            Route("/_simulator/reset", reset, methods=["POST"]),
        ],
        exception_handlers={404: not_found},
    )
    app.state.simulator = state
    return app
