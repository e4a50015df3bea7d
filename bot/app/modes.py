"""The two ways to run the Slack app, from the listening socket to shutdown.

HTTP mode (`serve`): Slack posts to `/slack/events`, beside the operator's routes.
Socket Mode (`socket`): backupbot opens a websocket to Slack; the operator's routes are
served on their own port. In both, the port is taken first (a taken port is one clear
line), the bot is started before anything is served (a refused token too), the
scheduler runs while it serves, and work under way is finished before it closes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route

from bot import messages
from bot.app.engines import cloud_settings, open_engines
from bot.app.http_server import listening_socket, server_config
from bot.app.logs import configure_logging
from bot.app.ops import ops_routes
from bot.app.slack_secrets import slack_secrets
from bot.app.wiring import App, Mode, build
from bot.config import Settings
from bot.errors import ConfigError
from bot.huawei.profiles import load_profiles
from bot.metrics import Metrics
from bot.slack.http import events_route
from bot.slack.socket_mode import connected, stay_connected
from bot.support.secretfile import Secret

Announce = Callable[[str], None]


def http_app(app: App, *, schedule: bool) -> Starlette:
    """`POST /slack/events` and the operator's routes; the lifespan starts the app, runs
    the scheduler (if `schedule`) and closes the app."""

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await app.start()
        async with app.scheduling(enabled=schedule):
            yield
        await app.close()

    if app.signatures is None:
        raise ConfigError(
            messages.not_set("SLACK_SIGNING_SECRET"), messages.COPY_THE_SIGNING_SECRET
        )
    routes = [events_route(app.bolt, app.tasks, app.signatures), *_ops(app)]
    return Starlette(routes=routes, lifespan=lifespan)


async def socket_mode(app: App, app_token: str | Callable[[], str], *, schedule: bool) -> None:
    """Serve over Socket Mode until cancelled, the scheduler running (if `schedule`); the
    app token is read again (`app_token()`) whenever the connection is checked."""
    token = app_token if callable(app_token) else (lambda: app_token)
    await app.start()
    timeout = app.settings.slack_timeout
    try:
        async with (
            connected(app.bolt, app.client, token(), slack_timeout=timeout) as handler,
            app.scheduling(enabled=schedule),
        ):
            await stay_connected(app.client, handler, app_token=token)
    finally:
        await app.close()


@contextlib.asynccontextmanager
async def _started(settings: Settings, *, mode: Mode, simulator: bool) -> AsyncIterator[App]:
    """The app built and started (a refused token is one clear line here, not a traceback
    later), until the block ends."""
    # The profiles are loaded once, here: their secrets are redacted from every log line,
    # and so is every secret read or fetched later (a rotated file, temporary credentials).
    profiles = None if simulator else load_profiles(cloud_settings(settings))
    redact = configure_logging(settings, secrets=profiles.secrets if profiles is not None else ())
    secrets = slack_secrets(settings, learn=redact.learn)
    metrics = Metrics()
    async with open_engines(
        settings, simulator=simulator, profiles=profiles, metrics=metrics, learn=redact.learn
    ) as engines:
        app = build(
            settings, engines, simulated=simulator, mode=mode, metrics=metrics, secrets=secrets
        )
        await app.start()
        yield app


async def serve_http(
    settings: Settings, *, host: str, port: int, simulator: bool, announce: Announce
) -> None:
    """`backupbot serve`: HTTP mode on host:port until interrupted."""
    with listening_socket(host, port) as listener:  # taken: one clear line
        async with _started(settings, mode="http", simulator=simulator) as app:
            config = server_config(
                http_app(app, schedule=True),
                host=host,
                port=port,
                read_timeout=settings.http_read_timeout,
            )
            announce(messages.listening_on(host, port))
            await uvicorn.Server(config).serve(sockets=[listener])


async def serve_socket_mode(settings: Settings, *, host: str, port: int, simulator: bool) -> None:
    """`backupbot socket`: Socket Mode until interrupted; the operator's routes on host:port."""
    _app_token(slack_secrets(settings).app_token)  # none: one line before anything starts
    with listening_socket(host, port) as listener:  # taken: one clear line
        async with _started(settings, mode="socket", simulator=simulator) as app:
            config = server_config(
                Starlette(routes=_ops(app)),
                host=host,
                port=port,
                read_timeout=settings.http_read_timeout,
                lifespan=False,
            )
            ops = uvicorn.Server(config)
            serving = asyncio.ensure_future(ops.serve(sockets=[listener]))
            app_token = _app_token(app.secrets.app_token)
            try:
                await socket_mode(app, app_token.current, schedule=True)
            finally:
                ops.should_exit = True
                await serving


async def demo_in_slack(settings: Settings, *, host: str, port: int, announce: Announce) -> None:
    """`backupbot demo --slack`: the bot in a real workspace, answering from the simulator,
    in Socket Mode if there is an app token, else in HTTP mode."""
    if _given(settings.slack_app_token, settings.slack_app_token_file):
        await serve_socket_mode(settings, host=host, port=port, simulator=True)
    elif _given(settings.slack_signing_secret, settings.slack_signing_secret_file):
        await serve_http(settings, host=host, port=port, simulator=True, announce=announce)
    else:
        raise ConfigError(messages.DEMO_NEEDS_SLACK, messages.CREATE_FROM_MANIFEST)


def _app_token(token: Secret | None) -> Secret:
    """Socket Mode's app token; ConfigError if there is none."""
    if token is None:
        raise ConfigError(messages.not_set("SLACK_APP_TOKEN"), messages.CREATE_AN_APP_TOKEN)
    return token


def _given(value: object, path: str | None) -> bool:
    """Whether a secret is given, as a value or as a file."""
    return value is not None or bool(path)


def _ops(app: App) -> list[Route]:
    return ops_routes(store=app.store, tasks=app.tasks, metrics=app.metrics)
