"""Where temporary credentials come from, simulated: an ECS metadata service, a CCE Pod
Identity agent and IAM's OIDC federation, each answering as the official SDK expects
(`huaweicloudsdkcore/auth/internal.py`) and issuing credentials the gateway accepts.

Served on 127.0.0.1 only (tests, the demo): BACKUPBOT_METADATA_URL,
HC_CONTAINER_CREDENTIALS_FULL_URI and HUAWEICLOUD_SDK_IAM_ENDPOINT point here. Strict where
the real services are: the metadata token PUT needs its TTL header, the Pod Identity agent
the pod's token, IAM the identity provider, the id token and then the token it gave.
`IdentityKnobs` makes them misbehave (a token PUT answering 400, no agency, down, held).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.huawei.simulator.issuer import CREDENTIAL_TIME, random_token
from bot.huawei.simulator.state import SimulatorState

POD_IDENTITY_PATH = "/pod-identity/credentials"  # any path: CCE injects the full URI
TOKEN_TTL_MAX = 21_600  # seconds, the longest metadata session token
NO_AGENCY = "Please configure Cloud Service Agency first"
Handler = Callable[[SimulatorState, Request], Awaitable[Response]]


def _iam_error(status: int, message: str) -> JSONResponse:
    """IAM's error shape."""
    title = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden"}.get(status, "Error")
    return JSONResponse({"error": {"code": status, "message": message, "title": title}}, status)


def _served(name: str, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """An identity endpoint: noted in `seen`, held or down as the knobs say."""

    async def endpoint(request: Request) -> Response:
        state: SimulatorState = request.app.state.simulator
        knobs = state.identity
        knobs.seen.append(name)
        if knobs.held is not None:
            await asyncio.to_thread(knobs.held.wait, 60)
        if knobs.down:
            return PlainTextResponse("Service Unavailable", status_code=503)
        return await handler(state, request)

    return endpoint


async def _metadata_token(state: SimulatorState, request: Request) -> Response:
    """PUT /meta-data/latest/api/token: a session token for X-Metadata-Token."""
    knobs = state.identity
    if knobs.token_put_status != 200:
        return PlainTextResponse("token API unavailable", status_code=knobs.token_put_status)
    ttl = request.headers.get("x-metadata-token-ttl-seconds", "")
    if not ttl.isdigit() or not 1 <= int(ttl) <= TOKEN_TTL_MAX:
        return PlainTextResponse("X-Metadata-Token-Ttl-Seconds is invalid", status_code=400)
    token = random_token(48)
    state.issuer.metadata_tokens.add(token)
    return PlainTextResponse(token)


async def _security_key(state: SimulatorState, request: Request) -> Response:
    """GET /openstack/latest/securitykey: the agency's temporary credentials."""
    knobs = state.identity
    token = request.headers.get("x-metadata-token")
    if token is not None and token not in state.issuer.metadata_tokens:
        return PlainTextResponse("Unauthorized: invalid metadata token", status_code=401)
    if knobs.require_metadata_token and token is None:
        return PlainTextResponse("Unauthorized: a metadata token is required", status_code=401)
    if not knobs.agency:
        return PlainTextResponse(NO_AGENCY, status_code=401)
    return JSONResponse(state.issuer.issue("metadata").body())


async def _pod_identity(state: SimulatorState, request: Request) -> Response:
    """POST the Pod Identity URI with the pod's token: the pod's agency credentials."""
    if request.headers.get("authorization") != state.identity.pod_token:
        return JSONResponse({"error_code": "CCE.01400001", "error_msg": "invalid token"}, 401)
    if await _json(request) != {}:
        return JSONResponse({"error_code": "CCE.01400002", "error_msg": "body must be {}"}, 400)
    return JSONResponse(state.issuer.issue("pod-identity").body())


async def _id_token(state: SimulatorState, request: Request) -> Response:
    """POST /v3.0/OS-AUTH/id-token/tokens: an unscoped token for an IdP's id token."""
    knobs = state.identity
    body = await _json(request)
    id_token = _get(body, "auth", "id_token", "id")
    if request.headers.get("x-idp-id") != knobs.idp_id:
        return _iam_error(401, "The identity provider does not exist.")
    if id_token != knobs.id_token:
        return _iam_error(401, "The id_token is invalid.")
    token = random_token(96)
    expires = state.clock() + timedelta(hours=24)
    state.issuer.subject_tokens[token] = expires
    answer = {"token": {"expires_at": expires.strftime(CREDENTIAL_TIME), "methods": ["mapped"]}}
    return JSONResponse(answer, status_code=201, headers={"X-Subject-Token": token})


async def _security_tokens(state: SimulatorState, request: Request) -> Response:
    """POST /v3.0/OS-CREDENTIAL/securitytokens: temporary credentials for a token."""
    body = await _json(request)
    if _get(body, "auth", "identity", "methods") != ["token"]:
        return _iam_error(400, 'auth.identity.methods must be ["token"]')
    token = _get(body, "auth", "identity", "token", "id")
    duration = _get(body, "auth", "identity", "token", "duration_seconds")
    expires = state.issuer.subject_tokens.get(token) if isinstance(token, str) else None
    if expires is None or expires <= state.clock():
        return _iam_error(401, "The token is invalid or has expired.")
    if not isinstance(duration, int) or not 900 <= duration <= 86_400:
        return _iam_error(400, "duration_seconds must be from 900 to 86400")
    issued = state.issuer.issue("oidc", lifetime=timedelta(seconds=duration))
    return JSONResponse(issued.body(), status_code=201)


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError:
        return None


def _get(body: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(body, dict):
            return None
        body = body.get(key)
    return body


def create_identity_app(state: SimulatorState) -> Starlette:
    """The three identity services as one ASGI app, issuing from `state`'s issuer."""
    routes = [
        ("/meta-data/latest/api/token", "metadata-token", _metadata_token, "PUT"),
        ("/openstack/latest/securitykey", "metadata", _security_key, "GET"),
        (POD_IDENTITY_PATH, "pod-identity", _pod_identity, "POST"),
        ("/v3.0/OS-AUTH/id-token/tokens", "id-token", _id_token, "POST"),
        ("/v3.0/OS-CREDENTIAL/securitytokens", "securitytokens", _security_tokens, "POST"),
    ]
    app = Starlette(
        routes=[
            Route(path, _served(name, handler), methods=[method])
            for path, name, handler, method in routes
        ]
    )
    app.state.simulator = state
    return app
