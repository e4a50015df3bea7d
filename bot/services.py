"""Assembling the running parts (HTTP client, API or simulator, cache, engine) from Settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx

from bot.config import Settings
from bot.core.cache import ListingCache
from bot.core.clock import Clock, utc_now
from bot.core.engine import Engine
from bot.huawei.client import BackupsApi, no_observer
from bot.huawei.factory import api_from_settings, simulator_api, simulator_client
from bot.huawei.simulator import Fleet, SimulatorState
from bot.metrics import Metrics


def make_engine(settings: Settings, api: BackupsApi, *, clock: Clock = utc_now) -> Engine:
    """The engine over `api`, with the configured cache and staleness threshold."""
    return Engine(
        source=api,
        cache=ListingCache(ttl=settings.cache_ttl, maxsize=settings.cache_size, clock=clock),
        clock=clock,
        stale_after=timedelta(hours=settings.stale_after_hours),
    )


@asynccontextmanager
async def open_engine(
    settings: Settings, *, simulator: bool, clock: Clock = utc_now, metrics: Metrics | None = None
) -> AsyncIterator[Engine]:
    """An engine over the configured API, or over the built-in simulator, and its HTTP client.

    With `metrics`, upstream requests and cache use are counted (the CLI counts nothing).
    Configuration problems surface as ConfigError before anything is opened.
    """
    observer = metrics.upstream if metrics is not None else no_observer
    if simulator:
        state = SimulatorState(fleet=Fleet.demo(clock()), clock=clock)
        async with simulator_client(state) as http:
            api = simulator_api(settings, http, observer=observer)
            yield _counted(make_engine(settings, api, clock=clock), metrics)
        return
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=32)) as http:
        api = api_from_settings(settings, http, observer=observer)
        yield _counted(make_engine(settings, api, clock=clock), metrics)


def _counted(engine: Engine, metrics: Metrics | None) -> Engine:
    if metrics is not None:
        cache = engine.cache
        metrics.watch_cache(lambda: (cache.hits, cache.misses))
    return engine
