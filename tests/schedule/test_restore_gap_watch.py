"""A watch opens an incident when a new restore gap appears, like any alarming state: the
engine reads each watched instance's restorable ranges, and the simulator's log backups
fail (a new gap) between two polls. Injected clocks, no sleeping."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import httpx

from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine
from bot.core.health.inventory_cache import InventoryCache
from bot.core.health.reports import HealthSettings
from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.server import SimulatorServer
from tests.conftest import NOW, FakeTime, make_api
from tests.schedule.conftest import World
from tests.schedule.watches import CHANNEL, POLL, backup, text_of, watch


async def test_a_new_restore_gap_opens_an_incident(
    world: World, state: SimulatorState, simulator: SimulatorServer
) -> None:
    state.clock = world.clock  # the simulator's log backups move on with the polls
    async with httpx.AsyncClient() as http:
        api = make_api(http, simulator.url, FakeTime())
        engine = Engine.over(
            source=api,
            cache=ListingCache(ttl=60, maxsize=64, clock=world.clock),
            inventory=InventoryCache(api, ttl=600, clock=world.clock),
            clock=world.clock,
            health_settings=HealthSettings(stale_after=timedelta(hours=26)),
            restores=api.restores,
        )
        world = replace(world, engine=engine)
        await watch(world, "orders-prod")
        scheduler = world.scheduler()
        world.at(NOW)
        assert (await scheduler.tick()).alerts == [], "no gap on orders-prod yet"
        # Its log backups failed six hours ago; a full backup three hours ago resumed them.
        state.fleet.log_failures["orders-prod"] = NOW - timedelta(hours=6)
        state.fleet.add(
            backup("orders-prod", ago=timedelta(hours=3), status="COMPLETED", serial="full")
        )
        world.at(NOW + POLL)
        assert len((await scheduler.tick()).alerts) == 1
        (post,) = world.posts_to(CHANNEL)
        text = text_of(post)
        assert "orders-prod" in text
        assert "restore gap" in text
        world.at(NOW + 2 * POLL)
        assert (await scheduler.tick()).alerts == [], "the same gap is the same incident"
