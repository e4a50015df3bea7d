"""Slack over Socket Mode: a websocket backupbot opens, so no public URL is needed.

After idle reconnects Slack can silently stop delivering events; a periodic `auth.test`
and an explicit reconnect when the socket is down keep it honest.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import DeliveryError, PlatformUnreachable
from bot.slack.webapi import slack_errors, slack_session

log = logging.getLogger("backupbot.slack")
KEEPALIVE_SECONDS = 300.0


@contextlib.asynccontextmanager
async def connected(
    app: AsyncApp, client: AsyncWebClient, app_token: str, *, slack_timeout: float
) -> AsyncIterator[AsyncSocketModeHandler]:
    """A Socket Mode connection for `app`, open until the block ends."""
    handler = AsyncSocketModeHandler(app, app_token, web_client=client)
    # The websocket's own session: bounded while connecting, like every call to Slack.
    await handler.client.aiohttp_client_session.close()
    handler.client.aiohttp_client_session = slack_session(slack_timeout)
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]  # untyped in slack_bolt
        log.info("connected to Slack over Socket Mode")
        yield handler
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]  # untyped in slack_bolt


async def stay_connected(
    client: AsyncWebClient, handler: AsyncSocketModeHandler, *, app_token: Callable[[], str]
) -> None:
    """Check the connection every few minutes, until cancelled; each reconnection (ours,
    or the client's own) uses the app token as `app_token()` reads it then."""
    while True:
        await asyncio.sleep(KEEPALIVE_SECONDS)
        await keep_alive(client, handler, app_token=app_token)


async def keep_alive(
    client: AsyncWebClient,
    handler: AsyncSocketModeHandler,
    *,
    app_token: Callable[[], str] | None = None,
) -> None:
    """One health check: the token still works, and the socket is connected (reconnected
    with the app token as `app_token()` reads it now: a rotated SLACK_APP_TOKEN_FILE)."""
    if app_token is not None:
        handler.client.app_token = app_token()
    try:
        with slack_errors():
            await client.auth_test()
    except PlatformUnreachable as error:
        log.error("auth.test did not reach Slack: %r", error.__cause__)
    except DeliveryError as refused:
        log.error("auth.test failed: %s", refused.code)
    if not await handler.client.is_connected():
        log.warning("Socket Mode connection lost: reconnecting with a new URL")
        await handler.client.connect_to_new_endpoint(force=True)
