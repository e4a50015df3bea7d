"""Talking to Slack over HTTP: one timeout for every call, and Slack's errors in words.

slack_sdk applies its own `timeout` only to sessions it creates itself; a session handed
to it keeps aiohttp's default of 300 s. So every session backupbot opens for Slack (the
Web API, response_url, Socket Mode) is opened here, with BACKUPBOT_SLACK_TIMEOUT.
"""

from __future__ import annotations

import aiohttp
from slack_sdk.errors import SlackApiError


def slack_session(timeout: float) -> aiohttp.ClientSession:
    """An HTTP session whose every request, connection included, ends within `timeout` s.

    A websocket opened on it is bounded only while connecting: aiohttp's total timeout
    ends with the handshake.
    """
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout))


def error_code(error: SlackApiError) -> str:
    """Slack's `error` code, or the HTTP status when the answer was not Slack's JSON."""
    data = error.response.data
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"HTTP {error.response.status_code}"


def answered_json(error: SlackApiError) -> bool:
    """Whether Slack itself refused (JSON with an error code), rather than something else
    at that address (a proxy's 404 page, a wrong SLACK_API_URL)."""
    return isinstance(error.response.data, dict)
