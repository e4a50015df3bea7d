"""Building a BackupsApi from Settings, or over the in-process simulator."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from pydantic import SecretStr

from bot.config import Settings
from bot.core.clock import Clock, utc_now
from bot.errors import ConfigError
from bot.huawei.auth import AkSkAuth, Auth, TokenAuth
from bot.huawei.client import BackupsApi, RetryPolicy, no_observer
from bot.huawei.simulator import (
    SIMULATOR_ACCESS_KEY,
    SIMULATOR_PROJECT_ID,
    SIMULATOR_SECRET_KEY,
    SimulatorState,
    create_app,
)

SIMULATOR_ORIGIN = "http://taurusdb-simulator.local"


def auth_from(settings: Settings) -> Auth:
    """The configured credentials: a token if given, else the AK/SK pair."""
    if settings.auth_token is not None:
        return TokenAuth(settings.auth_token)
    if settings.access_key is None or settings.secret_key is None:
        missing = "CLOUD_SDK_AK" if settings.access_key is None else "CLOUD_SDK_SK"
        raise ConfigError(
            f"{missing} is not set",
            "set CLOUD_SDK_AK and CLOUD_SDK_SK (or HUAWEICLOUD_AUTH_TOKEN), "
            "or add --simulator to try the built-in simulator",
        )
    return AkSkAuth(settings.access_key, settings.secret_key, settings.security_token)


Observer = Callable[[int | None, float], None]


def api_for(
    settings: Settings,
    http: httpx.AsyncClient,
    *,
    project_id: str,
    endpoint: str,
    auth: Auth,
    observer: Observer = no_observer,
) -> BackupsApi:
    """The API of one project (a profile), tuned by the settings."""
    return _build(
        settings, http=http, endpoint=endpoint, project_id=project_id, auth=auth, observer=observer
    )


def simulator_client(state: SimulatorState) -> httpx.AsyncClient:
    """An httpx client whose requests go straight into the simulator app, no sockets."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(state)))


def simulator_api(
    settings: Settings,
    http: httpx.AsyncClient,
    endpoint: str = SIMULATOR_ORIGIN,
    *,
    observer: Observer = no_observer,
    clock: Clock = utc_now,
) -> BackupsApi:
    """The API of the built-in simulator, signing with its public demo key pair.

    `clock` is the simulator's own, so that a simulator at a fixed moment (the docs'
    picture) accepts the signatures of requests made at that moment.
    """
    return _build(
        settings,
        http=http,
        endpoint=endpoint,
        project_id=SIMULATOR_PROJECT_ID,
        auth=AkSkAuth(SecretStr(SIMULATOR_ACCESS_KEY), SecretStr(SIMULATOR_SECRET_KEY)),
        observer=observer,
        clock=clock,
    )


def _build(
    settings: Settings,
    *,
    http: httpx.AsyncClient,
    endpoint: str,
    project_id: str,
    auth: Auth,
    observer: Observer,
    clock: Clock = utc_now,
) -> BackupsApi:
    return BackupsApi(
        http=http,
        endpoint=endpoint,
        project_id=project_id,
        auth=auth,
        language=settings.language,
        retry=RetryPolicy(attempts=settings.retry_attempts, budget=settings.retry_budget),
        page_concurrency=settings.page_concurrency,
        timeout=settings.request_timeout,
        server_clock_lag=settings.server_clock_lag,
        observer=observer,
        clock=clock,
    )
