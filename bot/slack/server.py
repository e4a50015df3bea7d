"""Running the Slack app: HTTP mode (Starlette + uvicorn) or Socket Mode."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import socket
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import (
    to_async_bolt_request,
    to_starlette_response,
)
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.access import load_rules
from bot.config import Settings
from bot.core.clock import Clock, utc_now
from bot.core.engine import Engines
from bot.errors import ConfigError, StorageError
from bot.metrics import CONTENT_TYPE, Metrics
from bot.schedule.config_file import load_declared_digests
from bot.schedule.migrate import MigrationRefused
from bot.schedule.scheduler import ScheduleConfig
from bot.schedule.store import Store
from bot.slack.bot import SlackBot
from bot.slack.intake import MAX_BODY_BYTES, Rejected, check_body
from bot.slack.state import ButtonCodec
from bot.slack.webapi import error_code, slack_session

log = logging.getLogger("backupbot.slack")
KEEPALIVE_SECONDS = 300.0


def web_client(settings: Settings) -> AsyncWebClient:
    """The Slack Web API client: the configured base URL, and 429s retried after Retry-After.

    Its `timeout` covers only sessions slack_sdk opens itself; SlackBot.start gives it a
    session with the same bound (bot.slack.webapi.slack_session).
    """
    if settings.slack_bot_token is None:
        raise ConfigError(
            "SLACK_BOT_TOKEN is not set",
            "copy the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page",
        )
    client = AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=max(1, round(settings.slack_timeout)),
    )
    # slack_sdk does not retry rate-limited calls unless asked to.
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=3))
    return client


def button_codec(settings: Settings) -> ButtonCodec:
    """Button values are authenticated with a key derived from this deployment's secrets."""
    secret = settings.slack_signing_secret or settings.slack_bot_token
    material = secret.get_secret_value() if secret is not None else ""
    return ButtonCodec(hashlib.sha256(b"backupbot buttons\0" + material.encode()).digest())


def build_bot(
    settings: Settings,
    engines: Engines,
    *,
    simulated: bool,
    http: bool,
    metrics: Metrics,
    clock: Clock = utc_now,
) -> SlackBot:
    """The SlackBot for `engine`; HTTP mode needs the signing secret to verify requests."""
    if http and settings.slack_signing_secret is None:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set",
            "copy the Signing Secret from the app's Basic Information page",
        )
    if settings.digests_file:
        load_declared_digests(settings.digests_file)  # a bad file stops start-up, not digests
    store = open_store(settings)
    return SlackBot(
        rules=load_rules(settings.access_file),
        store=store,
        metrics=metrics,
        schedule=ScheduleConfig(
            grace=timedelta(hours=settings.digest_grace_hours),
            lease=timedelta(seconds=settings.claim_lease_seconds),
            watch_interval=timedelta(minutes=settings.watch_interval_minutes),
            tick_seconds=settings.scheduler_tick_seconds,
        ),
        worker=f"{socket.gethostname()}:{os.getpid()}",
        engines=engines,
        client=web_client(settings),
        codec=button_codec(settings),
        clock=clock,
        signing_secret=(
            settings.slack_signing_secret.get_secret_value()
            if http and settings.slack_signing_secret is not None
            else None
        ),
        simulated=simulated,
        slack_timeout=settings.slack_timeout,
    )


def connect_store(settings: Settings) -> Store:
    """The state store the settings name (BACKUPBOT_DATABASE_URL, else BACKUPBOT_STATE)."""
    try:
        return Store.connect(settings.state_url())
    except ValueError as error:
        raise ConfigError(
            f"{_state_variable(settings)} is malformed: {error}",
            "see the configuration table in the README",
        ) from None


def open_store(settings: Settings) -> Store:
    """The state store, migrated to the current schema (once, whatever the replicas)."""
    store = connect_store(settings)
    try:
        migration = store.migrate()
    except (StorageError, MigrationRefused) as error:
        store.close()
        raise store_config_error(settings, store, error=error) from None
    if migration.before != migration.after:
        log.info("%s", migration.line(store.database))
    return store


def store_config_error(
    settings: Settings, store: Store, *, error: StorageError | MigrationRefused
) -> ConfigError:
    """One line for a store that cannot be used at all, naming it (never its password)."""
    variable = _state_variable(settings)
    if isinstance(error, MigrationRefused):
        return ConfigError(f"{variable}: {store.database} cannot be used: {error}", error.hint)
    hint = (
        f"make the file and its directory writable, with free disk space, or point {variable}"
        " elsewhere"
        if store.engine.dialect.name == "sqlite"
        else "check that the database server is up and that its user may create tables"
    )
    return ConfigError(f"{variable}: {store.database} cannot be used: {error.reason}", hint)


def _state_variable(settings: Settings) -> str:
    return "BACKUPBOT_DATABASE_URL" if settings.database_url is not None else "BACKUPBOT_STATE"


async def start_scheduler(bot: SlackBot, settings: Settings, stop: asyncio.Event) -> None:
    """Load the config-file digests, then run digests and watches until `stop` is set."""
    if settings.digests_file:
        declared = load_declared_digests(settings.digests_file)
        try:
            await bot.store.sync_config(declared, created_at=bot.clock())
            log.info("%d digests declared in %s", len(declared), settings.digests_file)
        except StorageError as error:
            log.error("the digests of %s are not synced: %s", settings.digests_file, error)
    await bot.scheduler.run(stop)


def ops_routes(bot: SlackBot) -> list[Route]:
    """`GET /healthz`, `GET /livez` and `GET /metrics` (Prometheus), in both modes.

    A state store that cannot be written makes /healthz answer 503 with the reason, for
    the operator and their monitoring. Questions are still answered then, so /livez (what
    an orchestrator probes before sending traffic or restarting a replica) stays 200:
    a database outage must not take every replica out of service.
    """

    async def livez(request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def healthz(request: Request) -> Response:
        problem = bot.store.problem
        health: dict[str, object] = {
            "ok": problem is None,
            "background_tasks": len(bot.tasks),
            "store": "ok" if problem is None else str(problem),
        }
        return JSONResponse(health, status_code=200 if problem is None else 503)

    async def metrics(request: Request) -> Response:
        return Response(bot.metrics.render(), media_type=CONTENT_TYPE)

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/livez", livez, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]


def http_app(bot: SlackBot, settings: Settings | None = None) -> Starlette:
    """`POST /slack/events` for commands, events and clicks, plus the ops routes."""

    async def events(request: Request) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            return PlainTextResponse("body too large", status_code=413)
        body = b""
        try:
            async for chunk in request.stream():
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    return PlainTextResponse("body too large", status_code=413)
        except ClientDisconnect:  # gone, or cut off for sending too slowly: nobody to answer
            return Response(status_code=400)
        try:
            check_body(request.headers.get("content-type", ""), body)
        except Rejected as rejected:
            log.info("rejected a request to /slack/events: %s", rejected.reason)
            return PlainTextResponse(rejected.reason, status_code=rejected.status)
        bot.tasks.acking(+1)
        try:
            response = await bot.app.async_dispatch(to_async_bolt_request(request, body))
        finally:
            bot.tasks.acking(-1)
        return to_starlette_response(response)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await bot.start()
        stop = asyncio.Event()
        scheduling = (
            asyncio.ensure_future(start_scheduler(bot, settings, stop)) if settings else None
        )
        yield
        stop.set()
        if scheduling is not None:
            await scheduling
        await bot.close()  # answers under way still reach their askers

    return Starlette(
        routes=[Route("/slack/events", events, methods=["POST"]), *ops_routes(bot)],
        lifespan=lifespan,
    )


async def run_socket_mode(bot: SlackBot, app_token: str, settings: Settings | None = None) -> None:
    """Serve over Socket Mode until cancelled, checking the connection every few minutes.

    After idle reconnects Slack can silently stop delivering events; a periodic
    `auth.test` and an explicit reconnect when the socket is down keep it honest.
    """
    await bot.start()
    handler = AsyncSocketModeHandler(bot.app, app_token, web_client=bot.client)
    # The websocket's own session: bounded while connecting, like every call to Slack.
    await handler.client.aiohttp_client_session.close()
    handler.client.aiohttp_client_session = slack_session(bot.slack_timeout)
    stop = asyncio.Event()
    scheduling: asyncio.Future[None] | None = None
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]  # untyped in slack_bolt
        log.info("connected to Slack over Socket Mode")
        if settings is not None:
            scheduling = asyncio.ensure_future(start_scheduler(bot, settings, stop))
        while True:
            await asyncio.sleep(KEEPALIVE_SECONDS)
            await keep_alive(bot.client, handler)
    finally:
        stop.set()
        if scheduling is not None:
            await scheduling
        await handler.close_async()  # type: ignore[no-untyped-call]  # untyped in slack_bolt
        await bot.close()


async def keep_alive(client: AsyncWebClient, handler: AsyncSocketModeHandler) -> None:
    """One health check: the token still works, and the socket is connected."""
    try:
        await client.auth_test()
    except SlackApiError as error:
        log.error("auth.test failed: %s", error_code(error))
    except (aiohttp.ClientError, TimeoutError) as error:
        log.error("auth.test did not reach Slack: %r", error)
    if not await handler.client.is_connected():
        log.warning("Socket Mode connection lost: reconnecting with a new URL")
        await handler.client.connect_to_new_endpoint(force=True)
