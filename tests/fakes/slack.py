"""A fake Slack Web API and response_url receiver on 127.0.0.1, recording every call, and
the token and signing secret it knows (`sign` signs a request as Slack would).

Every message it receives is validated as Block Kit; `problems` collects what Slack
would have refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import math
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from tests.fakes.blockkit import SURFACE_BLOCKS, block_problems

BOT_USER = "UBACKUPBOT"
SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-token"
RECHECK = 0.05  # seconds between asks of a wait_for predicate when no call arrives


def sign(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """Slack's v0 request signature headers for `body`."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


# Who is in a channel the fake was told nothing about: the users tests ask as.
EVERYONE = ["U0ASKER", "U0OTHER", "U0DBA", "U0PASSERBY", "U0BOSS", "U0OPS"]


@dataclass
class Call:
    """One request the fake received."""

    method: str
    payload: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    answer: dict[str, Any] | None = None  # what the fake answered, once it has


@dataclass
class Failure:
    """Make `method` fail `times` times: a Slack error, or HTTP 429 with Retry-After (after
    `hang` seconds, if both are given).

    `method` may also be "response_url" or "socket" (the websocket handshake).
    """

    method: str
    error: str | None = None
    retry_after: int | None = None
    times: int = 1
    hang: float = 0.0  # seconds to wait before answering; math.inf: until release_hangs()


@dataclass
class FakeSlack:
    """State of the fake: calls, injected failures, Block Kit problems."""

    calls: list[Call] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    user_zones: dict[str, str] = field(default_factory=dict)
    user_locales: dict[str, str] = field(default_factory=dict)  # users.info's, default en-US
    expired_response_urls: set[str] = field(default_factory=set)
    validate: bool = True  # benchmarks turn Block Kit checking off: it is slow
    socket_envelopes: list[dict[str, Any]] = field(default_factory=list)
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    # conversations.members: a channel's members (a channel not named here has EVERYONE),
    # answered `members_page` at a time with a cursor, as Slack pages them.
    channel_members: dict[str, list[str]] = field(default_factory=dict)
    members_page: int = 1000
    socket_url: str = ""
    hanging: int = 0  # requests held by a `hang` right now
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _holds: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = field(default_factory=list)
    _released: bool = False

    async def hang(self, seconds: float) -> None:
        """Hold a request for `seconds`, or (math.inf) until release_hangs()."""
        hold = (asyncio.get_running_loop(), asyncio.Event())
        with self._changed:
            if self._released:
                return
            self._holds.append(hold)
            self.hanging += 1
            self._changed.notify_all()
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(hold[1].wait(), None if math.isinf(seconds) else seconds)
        finally:
            with self._changed:
                self._holds.remove(hold)
                self.hanging -= 1
                self._changed.notify_all()

    def release_hangs(self) -> None:
        """Let every held request go, and hold no more (at the end of a test)."""
        with self._changed:
            self._released = True
            for loop, event in self._holds:
                loop.call_soon_threadsafe(event.set)

    def record(self, call: Call) -> None:
        if self.validate:
            self._check(call)
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _check(self, call: Call) -> None:
        blocks = call.payload.get("blocks")
        if blocks is not None:
            self.problems.extend(f"{call.method}: {p}" for p in block_problems(blocks))
        view = call.payload.get("view")
        if view is not None:
            view = json.loads(view) if isinstance(view, str) else view
            self.problems.extend(
                f"{call.method}: {p}" for p in block_problems(view["blocks"], limit=SURFACE_BLOCKS)
            )

    def calls_to(self, method: str) -> list[Call]:
        with self._changed:
            return [call for call in self.calls if call.method == method]

    def wait_for(
        self, predicate: Callable[[list[Call]], bool], timeout: float = 60.0
    ) -> list[Call]:
        """Block until `predicate(calls)` holds (a condition, not a sleep); fail on timeout.

        A call wakes the wait at once; a predicate on anything else (the store, a metric) is
        asked again every RECHECK seconds, so it need not wait for a call that never comes.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self.calls):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"timed out; calls so far: {[c.method for c in self.calls]}"
                    )
                self._changed.wait(min(remaining, RECHECK))
            return list(self.calls)

    def wait_for_method(self, method: str, count: int = 1, timeout: float = 60.0) -> list[Call]:
        """Wait until `method` was called `count` times; return those calls."""
        self.wait_for(lambda calls: sum(c.method == method for c in calls) >= count, timeout)
        return self.calls_to(method)

    def wait_for_hanging(self, count: int, timeout: float = 15.0) -> None:
        """Block until `count` requests are being held by a hang (a condition, not a sleep)."""
        self.wait_for(lambda _: self.hanging >= count, timeout)

    def take_failure(self, method: str) -> Failure | None:
        for failure in self.failures:
            if failure.method == method:
                failure.times -= 1
                if failure.times <= 0:
                    self.failures.remove(failure)
                return failure
        return None


async def _payload(request: Request) -> dict[str, Any]:
    body = await request.body()
    payload: dict[str, Any] = dict(request.query_params)
    if body:
        if request.headers.get("content-type", "").startswith("application/json"):
            payload.update(json.loads(body))
        else:
            payload.update(dict(parse_qsl(body.decode())))
    return payload


def create_fake_slack(fake: FakeSlack) -> Starlette:
    """The fake's ASGI app: `/api/{method}` and `/respond/{id}`."""

    async def api(request: Request) -> Response:
        method = request.path_params["method"]
        payload = await _payload(request)
        failure = fake.take_failure(method)
        call = Call(method, payload)
        fake.record(call)
        if failure is not None and failure.hang:
            await fake.hang(failure.hang)
            if failure.retry_after is None:
                call.answer = _answer(fake, method, payload)
                return JSONResponse(call.answer)
        if failure is not None and failure.retry_after is not None:
            return JSONResponse(
                {"ok": False, "error": "ratelimited"},
                status_code=429,
                headers={"Retry-After": str(failure.retry_after)},
            )
        if failure is not None:
            return JSONResponse({"ok": False, "error": failure.error})
        call.answer = _answer(fake, method, payload)
        return JSONResponse(call.answer)

    async def respond(request: Request) -> Response:
        url_id = request.path_params["url_id"]
        payload = await _payload(request)
        failure = fake.take_failure("response_url")
        fake.record(Call("response_url", {**payload, "url_id": url_id}))
        if failure is not None and failure.hang:
            await fake.hang(failure.hang)
        if url_id in fake.expired_response_urls:
            return PlainTextResponse("expired_url", status_code=404)
        return PlainTextResponse("ok")

    async def socket(websocket: WebSocket) -> None:
        """Socket Mode: say hello, deliver the queued envelopes, record the acks."""
        failure = fake.take_failure("socket")
        fake.record(Call("socket_attempt", {}))
        if failure is not None and failure.hang:
            await fake.hang(failure.hang)
            return
        await websocket.accept()
        fake.record(Call("socket_connected", {}))
        await websocket.send_json({"type": "hello", "num_connections": 1})
        for envelope in fake.socket_envelopes:
            await websocket.send_json(envelope)
        try:
            while True:
                fake.record(Call("socket_ack", json.loads(await websocket.receive_text())))
        except WebSocketDisconnect:
            return

    return Starlette(
        routes=[
            Route("/api/{method}", api, methods=["GET", "POST"]),
            Route("/respond/{url_id}", respond, methods=["POST"]),
            WebSocketRoute("/socket", socket),
        ]
    )


def _answer(fake: FakeSlack, method: str, payload: dict[str, Any]) -> dict[str, Any]:
    ts = f"{time.time():.6f}"
    if method == "auth.test":
        return {
            "ok": True,
            "user_id": BOT_USER,
            "bot_id": "BBACKUP",
            "team_id": "T0001",
            "team": "Acme",
        }
    if method == "users.info":
        user = payload.get("user", "")
        person = {"id": user, "tz": fake.user_zones.get(user, "Europe/Paris")}
        if str(payload.get("include_locale", "")).lower() in ("true", "1"):  # as Slack: asked
            person["locale"] = fake.user_locales.get(user, "en-US")
        return {"ok": True, "user": person}
    if method == "chat.postMessage":
        return {"ok": True, "channel": payload.get("channel"), "ts": ts, "message": {"ts": ts}}
    if method == "chat.postEphemeral":
        return {"ok": True, "message_ts": ts}
    if method == "conversations.members":
        members = fake.channel_members.get(payload.get("channel", ""), EVERYONE)
        start = int(payload.get("cursor") or 0)
        page = members[start : start + fake.members_page]
        more = start + fake.members_page < len(members)
        cursor = str(start + fake.members_page) if more else ""
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": cursor}}
    if method == "usergroups.users.list":
        return {"ok": True, "users": fake.usergroups.get(payload.get("usergroup", ""), [])}
    if method == "apps.connections.open":
        return {"ok": True, "url": fake.socket_url}
    if method == "chat.update":
        return {"ok": True, "channel": payload.get("channel"), "ts": payload.get("ts")}
    return {"ok": True, "id": uuid.uuid4().hex}
