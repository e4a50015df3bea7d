"""The simulator's control endpoints, `/_simulator/...`: what tests and benchmarks in
another process use to inspect it and make it misbehave."""

from __future__ import annotations

import json
from datetime import datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.huawei.simulator.oddities import check
from bot.huawei.simulator.records import backup_record
from bot.huawei.simulator.state import APIS, Fault, SimulatorState


async def stats(request: Request) -> Response:
    """GET /_simulator/stats: requests seen so far, for benchmarks in another process."""
    state: SimulatorState = request.app.state.simulator
    return JSONResponse({"requests": state.request_count, "backups": len(state.fleet.backups)})


async def requests_seen(request: Request) -> Response:
    """GET /_simulator/requests: each API request since the last reset, its path and query,
    for benchmarks that replay exactly what backupbot asked."""
    state: SimulatorState = request.app.state.simulator
    seen = [{"path": seen.path, "params": seen.params} for seen in state.requests]
    return JSONResponse({"requests": seen})


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


async def named(request: Request) -> Response:
    """GET /_simulator/named?name=NAME: how many backups of that name the fleet holds (the
    ground truth of tests that take backups, read without the API)."""
    state: SimulatorState = request.app.state.simulator
    name = request.query_params.get("name", "")
    count = sum(1 for stored in state.fleet.backups if stored.record.get("name") == name)
    return JSONResponse({"name": name, "count": count})


MANUAL_KNOBS = (
    "backup_minutes", "backup_fails", "job_unknown_seconds", "job_unknown_answer",
    "lose_create_answers", "garble_create_answers", "listing_lag_seconds", "rows_stay_building",
)  # fmt: skip


async def manual_knobs(request: Request) -> Response:
    """POST /_simulator/manual with {"backup_minutes": 0.1, "backup_fails": true, ...}: how
    backups taken by hand behave from now on."""
    state: SimulatorState = request.app.state.simulator
    values = json.loads(await request.body())
    unknown = sorted(set(values) - set(MANUAL_KNOBS))
    if unknown:
        return JSONResponse({"error": f"unknown knobs {unknown}; known: {list(MANUAL_KNOBS)}"}, 400)
    for key, value in values.items():
        setattr(state.knobs, key, value)
    return JSONResponse({key: getattr(state.knobs, key) for key in MANUAL_KNOBS})


async def odd(request: Request) -> Response:
    """POST /_simulator/oddities with {"status_null": ["orders-prod"], "no_total_count": []}:
    the odd values the listing and the policies serve from now on ({} ends them)."""
    state: SimulatorState = request.app.state.simulator
    try:
        state.knobs.odd = check(json.loads(await request.body()))
    except ValueError as exc:
        return JSONResponse({"error": str(exc)}, 400)
    return JSONResponse({"oddities": {k: sorted(v) for k, v in state.knobs.odd.items()}})


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
    """POST /_simulator/reset: forget faults, denials, odd values and counted requests."""
    state: SimulatorState = request.app.state.simulator
    state.faults.clear()
    state.requests.clear()
    state.knobs.denied.clear()
    state.knobs.odd.clear()
    return JSONResponse({"ok": True})
