"""Talking to Slack over HTTP: one timeout for every call, and Slack's errors in words.

slack_sdk applies its own `timeout` only to sessions it creates itself; a session handed
to it keeps aiohttp's default of 300 s. So every session backupbot opens for Slack (the
Web API, response_url, Socket Mode) is opened here, with BACKUPBOT_SLACK_TIMEOUT.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot import messages
from bot.errors import ConfigError


class RotatingTokenClient(AsyncWebClient):
    """A Web API client that reads its token at every call: a rotated token file
    (SLACK_BOT_TOKEN_FILE) is used from the next call on, without a restart."""

    def __init__(self, *, token: Callable[[], str], **options: Any) -> None:
        self._read_token = token
        super().__init__(token=token(), **options)

    @property
    def token(self) -> str:
        """The token as of now."""
        return self._read_token()

    @token.setter
    def token(self, value: str | None) -> None:
        """slack_sdk's constructor sets it: the token function stays the source."""


def web_client(*, token: Callable[[], str], base_url: str, timeout: float) -> AsyncWebClient:
    """The Slack Web API client: the given base URL, the token of the moment, and 429s
    retried after Retry-After.

    Its `timeout` covers only sessions slack_sdk opens itself; `connect` gives it a
    session with the same bound.
    """
    client = RotatingTokenClient(token=token, base_url=base_url, timeout=max(1, round(timeout)))
    # slack_sdk does not retry rate-limited calls unless asked to.
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=3))
    return client


def slack_session(timeout: float) -> aiohttp.ClientSession:
    """An HTTP session whose every request, connection included, ends within `timeout` s.

    A websocket opened on it is bounded only while connecting: aiohttp's total timeout
    ends with the handshake.
    """
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout))


async def connect(client: AsyncWebClient, *, slack_timeout: float) -> str:
    """Open the HTTP session shared by every Slack call (one per call is slow), and learn
    which workspace installed the bot: its team id.

    If Slack cannot be asked, the session is closed again and a ConfigError says why.
    """
    if client.session is None or client.session.closed:
        client.session = slack_session(slack_timeout)
    try:
        identity = await client.auth_test()
    except SlackApiError as error:
        await client.session.close()
        raise _refused(error, client.base_url) from None
    except (aiohttp.ClientError, TimeoutError) as error:
        await client.session.close()
        raise ConfigError(
            messages.slack_unreachable_at(client.base_url, _reason(error, slack_timeout)),
            messages.CHECK_SLACK_SETTINGS,
        ) from None
    return str(identity.get("team_id", ""))


def _refused(error: SlackApiError, url: str) -> ConfigError:
    """Why auth.test failed at start-up, in words."""
    if answered_json(error):
        return ConfigError(
            messages.token_refused(error_code(error)),
            messages.COPY_THE_TOKEN,
        )
    return ConfigError(
        messages.not_slack(url, error_code(error)),
        messages.CHECK_SLACK_API_URL,
    )


def _reason(error: BaseException, timeout: float) -> str:
    if isinstance(error, TimeoutError):
        return messages.no_answer_within(timeout)
    return str(error) or type(error).__name__


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
