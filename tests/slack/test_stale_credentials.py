"""When the credential source is down, answers are still given on the last good
credentials while they are valid, and say so in one line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine, Engines
from bot.core.health.inventory_cache import InventoryCache
from bot.huawei.credentials import Refresher
from bot.huawei.credentials.metadata import MetadataSource
from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.server import IdentityServer, SimulatorServer
from tests.conftest import FakeTime, fixed_clock
from tests.fakes.slack import FakeSlack
from tests.huawei.identity import api_over
from tests.slack.conftest import Harness, start_bot

STALE = (
    ":information_source: Cloud credentials could not be refreshed from ECS metadata (the "
    "server's agency); the last ones are used, valid for 1 more min."
)


@pytest.fixture
def identity(state: SimulatorState) -> Iterator[IdentityServer]:
    with IdentityServer(state) as server:
        yield server


def answer_text(payload: dict[str, object]) -> str:
    return json.dumps(payload, ensure_ascii=False)


async def test_an_answer_on_the_last_good_credentials_says_so_in_one_line(
    simulator: SimulatorServer,
    identity: IdentityServer,
    state: SimulatorState,
    fake_slack: tuple[FakeSlack, str],
    fake_time: FakeTime,
    state_file: Path,
) -> None:
    # Credentials with half a minute left: each request wants fresh ones.
    state.issuer.lifetime = timedelta(seconds=30)
    http = httpx.AsyncClient()  # used in the bot's thread only, as start_bot's own
    refresher = Refresher(MetadataSource(identity.url), http=http, clock=fixed_clock)
    api = api_over(refresher, simulator.url, http, fixed_clock)
    engine = Engine.over(
        source=api,
        cache=ListingCache(ttl=60, maxsize=64, clock=fixed_clock),
        clock=fixed_clock,
        inventory=InventoryCache(api, ttl=600, clock=fixed_clock),
        credentials_notice=refresher.notice,
    )
    bot, server = start_bot(
        simulator, fake_slack, fake_time, state_file, engines=Engines.single(engine)
    )
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            harness = Harness(bot, server, fake_slack[0], fake_slack[1], client)
            await harness.command("orders-prod last 7d")
            (fresh,) = harness.slack.wait_for_method("response_url")
            assert "Cloud credentials" not in answer_text(fresh.payload)
            issued = state.issuer.count()
            state.identity.down = True
            await harness.command("payments-prod last 7d")
            stale = harness.slack.wait_for_method("response_url", 2)[1]
            await harness.idle()
    finally:
        server.stop()  # the client lives in the bot's own loop, and ends with it
    assert "payments-prod" in stale.payload["text"]
    assert answer_text(stale.payload).count(STALE) == 1
    assert state.issuer.count() == issued, "nothing issued while the source is down"
    assert all(request.status == 200 for request in state.requests)
