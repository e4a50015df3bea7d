"""The engines: one per profile over the TaurusDB API (or one over the simulator), from
Settings, sharing one HTTP client and one listing cache; each profile's credentials are
fetched before anything is served and refreshed in the background while it runs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx

from bot import messages
from bot.config import Settings
from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine, Engines, Notice, no_notice
from bot.core.clock import Clock, utc_now
from bot.core.health.inventory_cache import InventoryCache
from bot.core.health.reports import HealthSettings
from bot.errors import ConfigError, CredentialsUnavailable
from bot.huawei.client import BackupsApi
from bot.huawei.cloud_settings import ApiSettings, CloudSettings, CredentialSettings
from bot.huawei.credentials import Refresher
from bot.huawei.profiles import DEFAULT_PROFILE, Profiles, api_for, load_profiles
from bot.huawei.transport import no_observer
from bot.metrics import Metrics

Learn = Callable[[Iterable[str]], None]


def _forget(secrets: Iterable[str]) -> None:
    """The default `learn`: no log redaction to tell."""


def cloud_settings(settings: Settings) -> CloudSettings:
    """What the Huawei room is told of the settings: credentials' sources, the API's
    tuning, and the account of the environment (or the profiles file)."""
    return CloudSettings(
        credentials=CredentialSettings(
            credentials_file=settings.credentials_path(),
            metadata_url=settings.metadata_url,
            access_key=settings.access_key,
            secret_key=settings.secret_key,
            security_token=settings.security_token,
            auth_token=settings.auth_token,
            access_key_file=settings.access_key_file,
            secret_key_file=settings.secret_key_file,
            idp_id=settings.idp_id,
            id_token_file=settings.id_token_file,
            iam_endpoint=settings.iam_endpoint,
            pod_identity_uri=settings.pod_identity_uri,
            pod_identity_token_file=settings.pod_identity_token_file,
            region=settings.region,
        ),
        api=api_settings(settings),
        profiles_file=settings.profiles_file,
        project_id=settings.project_id,
        region=settings.region,
        endpoint=settings.endpoint,
        credentials_source=settings.credentials_source,
    )


def api_settings(settings: Settings) -> ApiSettings:
    """How the API is asked, from the settings."""
    return ApiSettings(
        retry_attempts=settings.retry_attempts,
        retry_budget=settings.retry_budget,
        page_concurrency=settings.page_concurrency,
        request_timeout=settings.request_timeout,
        server_clock_lag=settings.server_clock_lag,
    )


def make_engine(
    settings: Settings,
    api: BackupsApi,
    *,
    cache: ListingCache,
    clock: Clock = utc_now,
    credentials_notice: Notice = no_notice,
) -> Engine:
    """The engine over `api`, with its own inventory cache (instances and policies are a
    project's), the staleness threshold and the bound on rows read for one answer; the
    listing cache is shared by profiles."""
    return Engine.over(  # one reader, handed to the engine and its health judge
        source=api,
        cache=cache,
        clock=clock,
        inventory=InventoryCache(api, ttl=settings.inventory_ttl, clock=clock),
        health_settings=HealthSettings(stale_after=timedelta(hours=settings.stale_after_hours)),
        max_window_rows=settings.max_window_rows,
        credentials_notice=credentials_notice,
        restores=api.restores,
    )


async def first_credentials(refreshers: Mapping[str, Refresher]) -> None:
    """Every profile's credentials, fetched once: none to be had is one ConfigError."""
    for name, refresher in refreshers.items():
        try:
            await refresher.current()
        except CredentialsUnavailable as error:
            message = error.said
            if name != DEFAULT_PROFILE:
                message = messages.for_profile(name, message)
            raise ConfigError(message, error.hint or "") from None


@asynccontextmanager
async def refreshing(refreshers: Iterable[Refresher]) -> AsyncIterator[None]:
    """Each refresher's background refresh runs until the block ends."""
    tasks = [asyncio.ensure_future(refresher.run()) for refresher in refreshers]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


@asynccontextmanager
async def open_engines(
    settings: Settings,
    *,
    simulator: bool,
    profiles: Profiles | None = None,
    clock: Clock = utc_now,
    metrics: Metrics | None = None,
    learn: Learn = _forget,
) -> AsyncIterator[Engines]:
    """An engine per profile over one HTTP client (or one over the built-in simulator).

    `profiles` are those already loaded (else they are loaded here). With `metrics`,
    upstream requests, cache use and credential refreshes are counted (the CLI counts
    nothing). Configuration problems, no credentials for a profile among them, surface as
    ConfigError before anything is served. `learn` is told every secret fetched (log
    redaction).
    """
    observer = metrics.upstream if metrics is not None else no_observer
    cache = ListingCache(ttl=settings.cache_ttl, maxsize=settings.cache_size, clock=clock)
    if metrics is not None:
        metrics.watch_cache(lambda: (cache.hits, cache.misses))
    if simulator:
        # Only when asked for: the production path never loads the simulator.
        from bot.huawei.simulator.inprocess import simulated_api

        async with simulated_api(api_settings(settings), observer=observer, clock=clock) as api:
            engine = make_engine(settings, api, cache=cache, clock=clock)
            yield Engines.single(engine, maker=api)
        return
    profiles = profiles or load_profiles(cloud_settings(settings))
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=32)) as http:
        refreshers = {
            name: Refresher(
                profile.credentials,
                http=http,
                clock=clock,
                observer=metrics.credential_refresh if metrics is not None else _uncounted,
                learn=learn,
            )
            for name, profile in profiles.by_name.items()
        }
        await first_credentials(refreshers)
        apis = {
            name: api_for(
                profile,
                settings=api_settings(settings),
                http=http,
                keyring=refreshers[name],
                observer=observer,
                clock=clock,
            )
            for name, profile in profiles.by_name.items()
        }
        engines = {
            name: make_engine(
                settings,
                api,
                cache=cache,
                clock=clock,
                credentials_notice=refreshers[name].notice,
            )
            for name, api in apis.items()
        }
        async with refreshing(refreshers.values()):
            yield Engines(profiles.default, engines, dict(apis))


def _uncounted(kind: str, ok: bool) -> None:
    """Credential refreshes, not counted (no metrics)."""
