"""The listing cache: TTL on an injected clock, single flight, anchors, refresh."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.core.answering.cache import ListingCache
from bot.core.backup_source import BackupListing
from tests.conftest import NOW, SettableClock


class Loader:
    """Counts loads; each returns a listing tagged with the load number."""

    def __init__(self, gate: asyncio.Event | None = None, fail: bool = False) -> None:
        self.calls = 0
        self.gate = gate
        self.fail = fail

    async def __call__(self) -> BackupListing:
        self.calls += 1
        if self.gate is not None:
            await self.gate.wait()
        if self.fail:
            raise RuntimeError("upstream down")
        return BackupListing(backups=(), total_count=self.calls, requests=1)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


async def test_a_second_ask_within_the_ttl_is_a_hit(clock: SettableClock) -> None:
    cache = ListingCache(ttl=60, maxsize=8, clock=clock)
    load = Loader()
    first = await cache.fetch("k", load)
    clock.advance(59)
    second = await cache.fetch("k", load)
    assert load.calls == 1
    assert (first.hit, second.hit) == (False, True)
    assert second.fetched_at == first.fetched_at == NOW
    assert cache.hits == 1


async def test_entries_expire_after_the_ttl(clock: SettableClock) -> None:
    cache = ListingCache(ttl=60, maxsize=8, clock=clock)
    load = Loader()
    await cache.fetch("k", load)
    clock.advance(61)
    again = await cache.fetch("k", load)
    assert load.calls == 2
    assert not again.hit
    assert again.fetched_at == NOW + timedelta(seconds=61)


async def test_ttl_zero_stores_nothing(clock: SettableClock) -> None:
    cache = ListingCache(ttl=0, maxsize=8, clock=clock)
    load = Loader()
    await cache.fetch("k", load)
    await cache.fetch("k", load)
    assert load.calls == 2


async def test_concurrent_identical_asks_share_one_load(clock: SettableClock) -> None:
    for ttl in (60, 0):
        cache = ListingCache(ttl=ttl, maxsize=8, clock=clock)
        gate = asyncio.Event()
        load = Loader(gate)
        asks = [asyncio.ensure_future(cache.fetch("k", load)) for _ in range(20)]
        await asyncio.sleep(0)
        gate.set()
        results = await asyncio.gather(*asks)
        assert load.calls == 1
        assert sum(not result.hit for result in results) == 1
        assert {result.listing.total_count for result in results} == {1}


async def test_a_failed_load_reaches_every_waiter_and_is_not_cached(clock: SettableClock) -> None:
    cache = ListingCache(ttl=60, maxsize=8, clock=clock)
    gate = asyncio.Event()
    failing = Loader(gate, fail=True)
    asks = [asyncio.ensure_future(cache.fetch("k", failing)) for _ in range(3)]
    await asyncio.sleep(0)
    gate.set()
    outcomes = await asyncio.gather(*asks, return_exceptions=True)
    assert all(isinstance(outcome, RuntimeError) for outcome in outcomes)
    working = Loader()
    assert (await cache.fetch("k", working)).listing.total_count == 1


async def test_a_cancelled_waiter_does_not_cancel_the_shared_load(clock: SettableClock) -> None:
    cache = ListingCache(ttl=60, maxsize=8, clock=clock)
    gate = asyncio.Event()
    load = Loader(gate)
    impatient = asyncio.ensure_future(cache.fetch("k", load))
    patient = asyncio.ensure_future(cache.fetch("k", load))
    await asyncio.sleep(0)
    impatient.cancel()
    gate.set()
    assert (await patient).listing.total_count == 1
    assert load.calls == 1


async def test_refresh_bypasses_and_refills(clock: SettableClock) -> None:
    cache = ListingCache(ttl=60, maxsize=8, clock=clock)
    load = Loader()
    await cache.fetch("k", load)
    clock.advance(5)
    fresh = await cache.fetch("k", load, refresh=True)
    assert not fresh.hit
    assert fresh.listing.total_count == 2
    later = await cache.fetch("k", load)
    assert later.hit
    assert later.listing.total_count == 2
    assert later.fetched_at == NOW + timedelta(seconds=5)


async def test_the_cache_is_bounded(clock: SettableClock) -> None:
    cache = ListingCache(ttl=60, maxsize=2, clock=clock)
    load = Loader()
    for key in ("a", "b", "c"):
        await cache.fetch(key, load)
    await cache.fetch("a", load)
    assert load.calls == 4


def test_anchors_hold_within_the_ttl_and_move_after_it_or_on_refresh(clock: SettableClock) -> None:
    cache = ListingCache(ttl=60, maxsize=8, clock=clock)
    first = cache.anchor("last 7d")
    clock.advance(10)
    assert cache.anchor("last 7d") == first
    assert cache.anchor("today") == first + timedelta(seconds=10)
    clock.advance(55)
    assert cache.anchor("last 7d") == NOW + timedelta(seconds=65)
    clock.advance(1)
    assert cache.anchor("last 7d", refresh=True) == NOW + timedelta(seconds=66)


def test_without_a_ttl_anchors_are_always_now(clock: SettableClock) -> None:
    cache = ListingCache(ttl=0, maxsize=8, clock=clock)
    cache.anchor("last 7d")
    clock.advance(1)
    assert cache.anchor("last 7d") == NOW + timedelta(seconds=1)
