"""Slack over HTTP: `POST /slack/events` for commands, events and clicks.

Bodies too big, of the wrong type or malformed are answered 4xx here (bot/slack/intake.py);
then the signature is checked (with every signing secret accepted now, `signing.py`)
before Bolt dispatches to a listener.
"""

from __future__ import annotations

import logging

from slack_bolt.adapter.starlette.async_handler import (
    to_async_bolt_request,
    to_starlette_response,
)
from slack_bolt.async_app import AsyncApp
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot import messages
from bot.errors import RequestRejected
from bot.messages.catalogue import english
from bot.slack.intake import MAX_BODY_BYTES, check_body
from bot.slack.signing import RequestSignatures
from bot.slack.tasks import BackgroundTasks

log = logging.getLogger("backupbot.slack")


def events_route(app: AsyncApp, tasks: BackgroundTasks, signatures: RequestSignatures) -> Route:
    """The route Slack's request URL points at; `tasks` learns while acks are under way."""

    async def events(request: Request) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            return PlainTextResponse(messages.BODY_TOO_LARGE, status_code=413)
        body = b""
        try:
            async for chunk in request.stream():
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    return PlainTextResponse(messages.BODY_TOO_LARGE, status_code=413)
        except ClientDisconnect:  # gone, or cut off for sending too slowly: nobody to answer
            return Response(status_code=400)
        try:
            check_body(request.headers.get("content-type", ""), body)
        except RequestRejected as rejected:
            log.info("rejected a request to /slack/events: %s", english(rejected.said))
            return PlainTextResponse(rejected.said, status_code=rejected.status)
        if not signatures.valid(body, request.headers):
            log.info("rejected a request to /slack/events: no valid Slack signature")
            return JSONResponse({"error": "invalid request"}, status_code=401)
        tasks.acking(+1)
        try:
            response = await app.async_dispatch(to_async_bolt_request(request, body))
        finally:
            tasks.acking(-1)
        return to_starlette_response(response)

    return Route("/slack/events", events, methods=["POST"])
