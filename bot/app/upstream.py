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
from bot.huawei.client import BackupsApi, no_observer
from bot.huawei.factory import api_for, simulator_api, simulator_client
from bot.huawei.simulator import Fleet, SimulatorState
from bot.metrics import Metrics
from bot.profiles import load_profiles


def make_engine(
    settings: Settings, api: BackupsApi, *, cache: ListingCache, clock: Clock = utc_now
) -> Engine:
    """The engine over `api`, with the staleness threshold and the bound on rows read for
    one answer; caches are shared by profiles."""
    return Engine(
        source=api,
        cache=cache,
        clock=clock,
        stale_after=timedelta(hours=settings.stale_after_hours),
        max_window_rows=settings.max_window_rows,
    )


@asynccontextmanager
async def open_engines(
    settings: Settings, *, simulator: bool, clock: Clock = utc_now, metrics: Metrics | None = None
) -> AsyncIterator[Engines]:
    """An engine per profile over one HTTP client (or one over the built-in simulator).

    With `metrics`, upstream requests and cache use are counted (the CLI counts nothing).
    Configuration problems surface as ConfigError before anything is opened.
    """
    observer = metrics.upstream if metrics is not None else no_observer
    cache = ListingCache(ttl=settings.cache_ttl, maxsize=settings.cache_size, clock=clock)
    if metrics is not None:
        metrics.watch_cache(lambda: (cache.hits, cache.misses))
    if simulator:
        state = SimulatorState(fleet=Fleet.demo(clock()), clock=clock)
        async with simulator_client(state) as http:
            api = simulator_api(settings, http, observer=observer, clock=clock)
            yield Engines.single(make_engine(settings, api, cache=cache, clock=clock))
        return
    profiles = load_profiles(settings)
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=32)) as http:
        engines = {
            name: make_engine(
                settings,
                api_for(
                    settings,
                    http,
                    project_id=profile.project_id,
                    endpoint=profile.endpoint,
                    auth=profile.auth,
                    observer=observer,
                ),
                cache=cache,
                clock=clock,
            )
            for name, profile in profiles.by_name.items()
        }
        yield Engines(profiles.default, engines)
