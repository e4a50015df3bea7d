"""Backups taken by hand in the simulator: `POST .../backups/create` and `GET .../jobs`.

A backup is BUILDING for `Knobs.backup_minutes` simulated minutes (the simulator's clock),
its instance BACKING UP, its job Running with a `process` that grows; then COMPLETED (or
FAILED with a reason, on the `backup_fails` knob), and its job Completed or Failed. A new
job is unknown for `job_unknown_seconds`. The API's rules are enforced as it does: 400
DBS.280277 for a bad name, DBS.280127 for a bad description, 409 DBS.201205 while a backup
of the instance runs. `lose_create_answers` creates the backup and then answers 504, as a
gateway that timed out would: the caller cannot tell whether it was done;
`garble_create_answers` makes it and answers a 201 it cannot read (no job_id);
`listing_lag_seconds` shows a new backup in the listing only that much later, and
`rows_stay_building` keeps a finished backup's row BUILDING (its job says it ended).
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.huawei.simulator.gateway import admit, error_response, serve
from bot.huawei.simulator.records import SERVER_OFFSET, ManualBackup, backup_record
from bot.huawei.simulator.state import SimulatorState
from bot.huawei.wire import API_TIME_FORMAT

NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{3,63}$")
FORBIDDEN = set(">!<\"&'=\r")
READY = frozenset({"ACTIVE", "NORMAL"})
FAIL_REASON = "Backup failed: the backup agent lost its connection to the storage."


def _api_time(moment: datetime) -> str:
    return moment.astimezone(SERVER_OFFSET).strftime(API_TIME_FORMAT)


def settle(state: SimulatorState) -> None:
    """Bring every backup taken by hand to the simulator's now: finished ones COMPLETED or
    FAILED in the listing, their instance back to ACTIVE."""
    now = state.clock()
    for manual in state.manual.values():
        if manual.listed_from is not None and now >= manual.listed_from:
            state.fleet.add(manual.record)
            manual.listed_from = None
        if manual.status != "BUILDING" or now < manual.started + timedelta(minutes=manual.minutes):
            continue
        manual.status = "FAILED" if manual.fails else "COMPLETED"
        ended = manual.started + timedelta(minutes=manual.minutes)
        record = dict(manual.record)
        record.update(
            status=manual.status,
            end_time=_api_time(ended),
            take_up_time=max(1, round(manual.minutes)),
            size=0.0 if manual.fails else manual.size_mb,
        )
        if manual.fails:
            record["description"] = FAIL_REASON
        if not state.knobs.rows_stay_building:
            state.fleet.replace(record)
        manual.record = record
        _set_status(state, manual.instance_id, "ACTIVE")


def _set_status(state: SimulatorState, instance_id: str, status: str) -> None:
    declared = state.fleet.declared.get(instance_id)
    if declared is not None:
        declared.record["status"] = status
        state.fleet.version += 1


async def create_backup(request: Request) -> Response:
    """POST /v3/{project_id}/backups/create (SDK create_gauss_my_sql_backup)."""
    return await serve(request, _answer_create)


def _refused(body: Any, state: SimulatorState, request_id: str) -> Response | None:
    """The API's 400s, 404 and 409s for a create, before anything is made."""
    if not isinstance(body, dict) or not isinstance(body.get("instance_id"), str):
        return error_response(400, "DBS.200001", "Parameter error: instance_id", request_id)
    name, description = body.get("name"), body.get("description", "")
    if not isinstance(name, str) or not NAME_RE.match(name):
        return error_response(400, "DBS.280277", "Invalid backup name.", request_id)
    if not isinstance(description, str) or len(description) > 256 or FORBIDDEN & set(description):
        return error_response(400, "DBS.280127", "Invalid backup description.", request_id)
    declared = state.fleet.inventory().get(body["instance_id"])
    if declared is None:
        return error_response(404, "DBS.200022", "The DB instance does not exist.", request_id)
    status = str(declared.record.get("status", "")).upper()
    building = any(
        stored.record.get("status") == "BUILDING"
        and stored.record.get("instance_id") == body["instance_id"]
        for stored in state.fleet.backups
    )
    if status == "BACKING UP" or building:
        return error_response(409, "DBS.201205", "Backup is in progress.", request_id)
    if status not in READY:
        return error_response(
            409, "DBS.200011", "Another operation is being performed on the instance.", request_id
        )
    return None


async def _answer_create(
    state: SimulatorState, request: Request, raw: dict[str, str], request_id: str
) -> Response:
    early, _ = await admit(state, request, request_id, api="create")
    if early is not None:
        return early
    settle(state)
    try:
        body = json.loads(await request.body())
    except ValueError:
        body = None
    refused = _refused(body, state, request_id)
    if refused is not None:
        return refused
    declared = state.fleet.inventory()[body["instance_id"]]
    name = str(declared.record["name"])
    now = state.clock()
    record = backup_record(
        profile_name=name, begin=now, minutes=None, status="BUILDING", kind="manual",
        size_mb=0, serial=f"hand{uuid.uuid4().hex[:8]}", description=body.get("description", ""),
    )  # fmt: skip
    record["name"] = body["name"]
    record["id"] = uuid.uuid4().hex + "br07"
    lag = timedelta(seconds=state.knobs.listing_lag_seconds)
    if not lag:
        state.fleet.add(record)
    job_id = str(uuid.uuid4())
    state.manual[job_id] = ManualBackup(
        job_id=job_id, instance_id=body["instance_id"], instance_name=name, record=record,
        started=now, minutes=state.knobs.backup_minutes, fails=state.knobs.backup_fails,
        size_mb=round(1024.0 + 37.5 * len(state.manual), 2),
        listed_from=now + lag if lag else None,
    )  # fmt: skip
    _set_status(state, body["instance_id"], "BACKING UP")
    if state.knobs.lose_create_answers > 0:
        state.knobs.lose_create_answers -= 1
        return error_response(504, "APIGW.0201", "Gateway timeout", request_id)
    answer: dict[str, Any] = {
        "backup": {
            key: record[key]
            for key in ("id", "name", "description", "begin_time", "status", "type", "instance_id")
            if key in record
        },
        "job_id": job_id,
    }
    if state.knobs.garble_create_answers > 0:
        state.knobs.garble_create_answers -= 1
        del answer["job_id"]
    return JSONResponse(answer, status_code=201, headers={"X-Request-Id": request_id})


async def show_job(request: Request) -> Response:
    """GET /v3/{project_id}/jobs?id=JOB_ID (SDK show_gauss_my_sql_job_info)."""
    return await serve(request, _answer_job)


async def _answer_job(
    state: SimulatorState, request: Request, raw: dict[str, str], request_id: str
) -> Response:
    early, _ = await admit(state, request, request_id, api="jobs")
    if early is not None:
        return early
    settle(state)
    manual = state.manual.get(raw.get("id", ""))
    now = state.clock()
    if manual is None or now < manual.started + timedelta(seconds=state.knobs.job_unknown_seconds):
        status, code = state.knobs.job_unknown_answer
        return error_response(status, code, "Parameter error: job id", request_id)
    return JSONResponse({"job": job_of(manual, now)}, headers={"X-Request-Id": request_id})


def job_of(manual: ManualBackup, now: datetime) -> dict[str, Any]:
    """A job as the API serialises it (the SDK's GetJobInfoDetail)."""
    elapsed = (now - manual.started).total_seconds() / 60
    status = {"BUILDING": "Running", "COMPLETED": "Completed", "FAILED": "Failed"}[manual.status]
    done = manual.status != "BUILDING"
    percent = min(99, int(100 * elapsed / manual.minutes)) if manual.minutes else 99
    return {
        "id": manual.job_id,
        "name": "GaussDBV5BackupInstance",
        "status": status,
        "created": _api_time(manual.started),
        "ended": _api_time(manual.started + timedelta(minutes=manual.minutes)) if done else "",
        "process": "" if done else f"{percent}%",
        "instance": {"id": manual.instance_id, "name": manual.instance_name},
        "entities": {},
        "fail_reason": FAIL_REASON if manual.status == "FAILED" else "",
    }
