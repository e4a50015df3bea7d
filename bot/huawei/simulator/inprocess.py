"""The simulator inside this process, for `--simulator` and the demo: no socket, no account.

Imported only when the simulator is asked for; the production path never loads it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from pydantic import SecretStr

from bot import messages
from bot.core.clock import Clock, utc_now
from bot.huawei.auth import AccessKeys
from bot.huawei.client import BackupsApi
from bot.huawei.cloud_settings import ApiSettings
from bot.huawei.credentials import FixedSource
from bot.huawei.profiles import DEFAULT_PROFILE, Profile, api_for
from bot.huawei.simulator.app import create_app
from bot.huawei.simulator.fleet import Fleet
from bot.huawei.simulator.records import (
    SIMULATOR_ACCESS_KEY,
    SIMULATOR_PROJECT_ID,
    SIMULATOR_SECRET_KEY,
)
from bot.huawei.simulator.state import SimulatorState
from bot.huawei.transport import Observer, no_observer

SIMULATOR_ORIGIN = "http://taurusdb-simulator.local"
# A backup taken by hand in the demo (`backup --simulator --yes --wait`, `demo --slack`)
# ends within a minute: nobody watches a demo for the six minutes of the real thing.
DEMO_BACKUP_MINUTES = 0.5


def simulator_profile(endpoint: str = SIMULATOR_ORIGIN) -> Profile:
    """The simulator as a cloud account, with its public demo key pair."""
    keys = AccessKeys(SecretStr(SIMULATOR_ACCESS_KEY), SecretStr(SIMULATOR_SECRET_KEY))
    source = FixedSource(keys, messages.SIMULATOR_KEYS)
    return Profile(DEFAULT_PROFILE, SIMULATOR_PROJECT_ID, endpoint, source)


def simulator_api(
    settings: ApiSettings,
    http: httpx.AsyncClient,
    endpoint: str = SIMULATOR_ORIGIN,
    *,
    observer: Observer = no_observer,
    clock: Clock = utc_now,
) -> BackupsApi:
    """The API of the built-in simulator at `endpoint`.

    `clock` is the simulator's own, so that a simulator at a fixed moment (the docs'
    picture) accepts the signatures of requests made at that moment.
    """
    profile = simulator_profile(endpoint)
    return api_for(profile, settings=settings, http=http, observer=observer, clock=clock)


@asynccontextmanager
async def simulated_api(
    settings: ApiSettings, *, observer: Observer = no_observer, clock: Clock = utc_now
) -> AsyncIterator[BackupsApi]:
    """The API of a simulator holding the demo fleet as of `clock()`, served in-process."""
    state = SimulatorState(fleet=Fleet.demo(clock()), clock=clock)
    state.knobs.backup_minutes = DEMO_BACKUP_MINUTES
    transport = httpx.ASGITransport(app=create_app(state))
    async with httpx.AsyncClient(transport=transport) as http:
        yield simulator_api(settings, http, observer=observer, clock=clock)
