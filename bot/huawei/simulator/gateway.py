"""What every API request meets first, as at the real gateway: latency, injected faults,
authentication (AK/SK signatures, tokens, security tokens), the project, and permission;
and the error bodies the API answers with."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.errors import SignatureRejected
from bot.huawei.signer import verify
from bot.huawei.simulator.records import backup_record
from bot.huawei.simulator.state import Fault, RecordedRequest, SimulatorState


def error_response(status: int, code: str, message: str, request_id: str) -> JSONResponse:
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


def _authenticate(
    state: SimulatorState, request: Request, request_id: str, *, body: bytes
) -> JSONResponse | None:
    headers = _wire_headers(request)
    token = headers.get("x-auth-token")
    if token is not None:
        expiry = state.tokens.get(token)
        if expiry is None:
            return error_response(
                401,
                "APIGW.0301",
                "Incorrect IAM authentication information: token invalid",
                request_id,
            )
        if expiry <= state.clock():
            return error_response(401, "APIGW.0307", "The token must be updated.", request_id)
        return None

    def secret_for(access_key: str) -> str | None:
        issued = state.issuer.find(access_key)
        return issued.secret if issued is not None else state.credentials.get(access_key)

    try:
        access_key = verify(
            method=request.method,
            path=request.scope.get("raw_path", b"").decode("latin-1") or request.url.path,
            query=list(request.query_params.multi_items()),
            headers=headers,
            body=body,
            secret_for=secret_for,
            now=state.clock(),
        )
    except SignatureRejected as exc:
        return error_response(
            401, "APIGW.0301", f"Incorrect IAM authentication information: {exc}", request_id
        )
    expected_token = state.security_tokens.get(access_key)
    signed = re.search(r"SignedHeaders=([^,]*)", headers.get("authorization", ""))
    token_signed = signed is not None and "x-security-token" in signed.group(1).split(";")
    if expected_token is not None and (
        headers.get("x-security-token") != expected_token or not token_signed
    ):
        return error_response(
            401,
            "APIGW.0301",
            "Incorrect IAM authentication information: security token",
            request_id,
        )
    temporary = state.issuer.refusal(
        access_key, headers.get("x-security-token"), signed=token_signed
    )
    if temporary is not None:
        return error_response(
            401, "APIGW.0301", f"Incorrect IAM authentication information: {temporary}", request_id
        )
    project_header = headers.get("x-project-id")
    if project_header is not None and project_header != state.project_id:
        return error_response(
            401, "APIGW.0301", "Incorrect IAM authentication information: project", request_id
        )
    return None


async def _misbehave(state: SimulatorState, fault: Fault, request_id: str) -> Response | None:
    if fault.kind == "hang":
        await asyncio.sleep(fault.seconds)
        return error_response(504, "APIGW.0201", "Gateway timeout", request_id)
    if fault.kind == "error":
        return error_response(fault.status, fault.error_code, "Internal service error.", request_id)
    if fault.kind == "throttle":
        response = error_response(
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


LANGUAGES = ("en-us", "zh-cn")
Answer = Callable[[SimulatorState, Request, dict[str, str], str], Awaitable[Response]]


async def serve(request: Request, answer: Answer) -> Response:
    """Record an API request, answer it, and note the status it got."""
    state: SimulatorState = request.app.state.simulator
    raw = dict(request.query_params)
    language = request.headers.get("x-language", "en-us")
    record = RecordedRequest(path=request.url.path, params=raw, language=language)
    state.requests.append(record)
    response: Response
    if language not in LANGUAGES:  # the API documents these two values, no other
        response = error_response(
            400, "DBS.200001", "Parameter error: X-Language", uuid.uuid4().hex
        )
    else:
        response = await answer(state, request, raw, uuid.uuid4().hex)
    record.status = response.status_code
    return response


async def admit(
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
    denied = _authenticate(state, request, request_id, body=await request.body())
    if denied is not None:
        return denied, 0
    if request.path_params["project_id"] != state.project_id:
        return error_response(
            401, "APIGW.0301", "Incorrect IAM authentication information: project", request_id
        ), 0
    if api in state.knobs.denied:
        return error_response(
            403, "APIGW.0302", "The IAM policy does not allow this request.", request_id
        ), 0
    return None, repeat


async def not_found(request: Request, exc: Exception) -> Response:
    """Unknown paths answer as the API gateway does."""
    return error_response(
        404,
        "APIGW.0101",
        "The API does not exist or has not been published in the environment",
        uuid.uuid4().hex,
    )
