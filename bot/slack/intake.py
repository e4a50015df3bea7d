"""The gate in front of Bolt: requests that are too big or malformed never reach a listener.

Slack sends slash commands and clicks as form bodies (clicks as JSON in `payload`) and
events as JSON. Anything else, a body over the size limit, or a body missing what its
kind must carry is answered 4xx here, before signature checks and listeners.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from bot import messages
from bot.errors import RequestRejected

MAX_BODY_BYTES = 256 * 1024
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def _object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        raise RequestRejected(400, messages.not_json(what)) from None
    if not isinstance(value, dict):
        raise RequestRejected(400, messages.not_a_json_object(what))
    return value


def check_body(content_type: str, body: bytes) -> None:
    """Raise RequestRejected unless `body` is shaped like something Slack sends."""
    if len(body) > MAX_BODY_BYTES:
        raise RequestRejected(413, messages.body_over(MAX_BODY_BYTES))
    kind = content_type.split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestRejected(400, messages.BODY_NOT_UTF8) from None
    if kind == JSON:
        event = _object(text, "body")
        if event.get("type") == "url_verification":
            if not isinstance(event.get("challenge"), str):
                raise RequestRejected(400, messages.NO_CHALLENGE)
            return
        if event.get("type") != "event_callback" or not isinstance(event.get("event"), dict):
            raise RequestRejected(400, messages.NOT_AN_EVENT)
        if not isinstance(event["event"].get("type"), str):
            raise RequestRejected(400, messages.EVENT_WITHOUT_TYPE)
        return
    if kind != FORM:
        raise RequestRejected(415, messages.unsupported_content_type(kind or "(none)"))
    fields = parse_qs(text, keep_blank_values=True)
    if "payload" in fields:
        payload = _object(fields["payload"][0], "payload")
        if not isinstance(payload.get("type"), str):
            raise RequestRejected(400, messages.PAYLOAD_WITHOUT_TYPE)
        if payload["type"] == "block_actions" and not (
            isinstance(payload.get("actions"), list)
            and payload["actions"]
            and isinstance(payload["actions"][0], dict)
            and isinstance(payload.get("user"), dict)
        ):
            raise RequestRejected(400, messages.ACTIONS_WITHOUT_USER)
        return
    missing = [name for name in ("command", "user_id", "channel_id") if not fields.get(name)]
    if missing:
        raise RequestRejected(400, messages.command_without(", ".join(missing)))
