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
from bot.huawei.client import BackupsApi
from bot.huawei.factory import api_from_settings, simulator_api, simulator_client
from bot.huawei.simulator import Fleet, SimulatorState


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
    settings: Settings, *, simulator: bool, clock: Clock = utc_now
) -> AsyncIterator[Engine]:
    """An engine over the configured API, or over the built-in simulator, and its HTTP client.

    Configuration problems surface as ConfigError before anything is opened.
    """
    if simulator:
        state = SimulatorState(fleet=Fleet.demo(clock()), clock=clock)
        async with simulator_client(state) as http:
            yield make_engine(settings, simulator_api(settings, http), clock=clock)
        return
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=32)) as http:
        yield make_engine(settings, api_from_settings(settings, http), clock=clock)
