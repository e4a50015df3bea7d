"""The engines: one per profile over the TaurusDB API (or one over the simulator), from
Settings, sharing one HTTP client and one listing cache."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx

from bot.config import Settings
from bot.core.cache import ListingCache
from bot.core.clock import Clock, utc_now
from bot.core.engine import Engine, Engines
from bot.core.health import HealthSettings
from bot.core.inventory import InventoryCache
from bot.huawei.client import BackupsApi
from bot.huawei.profiles import Profiles, api_for, load_profiles
from bot.huawei.transport import no_observer
from bot.metrics import Metrics


def make_engine(
    settings: Settings, api: BackupsApi, *, cache: ListingCache, clock: Clock = utc_now
) -> Engine:
    """The engine over `api`, with its own inventory cache (instances and policies are a
    project's), the staleness threshold and the bound on rows read for one answer; the
    listing cache is shared by profiles."""
    return Engine(
        source=api,
        cache=cache,
        clock=clock,
        inventory=InventoryCache(api, ttl=settings.inventory_ttl, clock=clock),
        health_settings=HealthSettings(stale_after=timedelta(hours=settings.stale_after_hours)),
        max_window_rows=settings.max_window_rows,
    )


@asynccontextmanager
async def open_engines(
    settings: Settings,
    *,
    simulator: bool,
    profiles: Profiles | None = None,
    clock: Clock = utc_now,
    metrics: Metrics | None = None,
) -> AsyncIterator[Engines]:
    """An engine per profile over one HTTP client (or one over the built-in simulator).

    `profiles` are those already loaded (else they are loaded here). With `metrics`,
    upstream requests and cache use are counted (the CLI counts nothing). Configuration
    problems surface as ConfigError before anything is opened.
    """
    observer = metrics.upstream if metrics is not None else no_observer
    cache = ListingCache(ttl=settings.cache_ttl, maxsize=settings.cache_size, clock=clock)
    if metrics is not None:
        metrics.watch_cache(lambda: (cache.hits, cache.misses))
    if simulator:
        # Only when asked for: the production path never loads the simulator.
        from bot.huawei.simulator.inprocess import simulated_api

        async with simulated_api(settings, observer=observer, clock=clock) as api:
            yield Engines.single(make_engine(settings, api, cache=cache, clock=clock))
        return
    profiles = profiles or load_profiles(settings)
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=32)) as http:
        engines = {
            name: make_engine(
                settings,
                api_for(profile, settings=settings, http=http, observer=observer),
                cache=cache,
                clock=clock,
            )
            for name, profile in profiles.by_name.items()
        }
        yield Engines(profiles.default, engines)
