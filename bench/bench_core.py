"""The pure core on a big listing: parse + plan + merge + summarise, and cache hits.

Run: `.venv/bin/python -m bench.bench_core`. Prints median and p95 over repeated runs
for 10,000 backups. Targets: the whole core path under 50 ms; a cache hit under 1 ms.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.app.memory import tune_garbage_collector
from bot.core.answering.answer import Ask
from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine
from bot.core.answering.plan import DEFAULT_MAX_WINDOW_ROWS, plan
from bot.core.answering.summary import summarise
from bot.core.answering.window import resolve
from bot.core.backup import Backup
from bot.core.backup_source import WHOLE, BackupListing, Rows
from bot.core.clock import utc_now
from bot.core.health.reports import HealthSettings
from bot.core.language.parse import parse_query
from bot.core.params import ListBackupsParams
from bot.huawei.simulator import Fleet

SIZE = 10_000
RUNS = 50
QUESTION = "failed building last 60d"


class MemorySource:
    """A source that already holds every backup: only the core is measured."""

    scope = "memory"

    def __init__(self, backups: tuple[Backup, ...]) -> None:
        self.backups = backups

    async def list_backups(self, params: ListBackupsParams, *, rows: Rows = WHOLE) -> BackupListing:
        read = self.backups[params.offset :]
        if isinstance(rows, int):
            read = read[:rows]
        return BackupListing(backups=read, total_count=len(self.backups), requests=1)


def measure(label: str, run: Callable[[], object], target_ms: float) -> None:
    """Time `run` RUNS times and print median, p95 and the ratio to the target."""
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    median = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=20)[-1]
    print(
        f"{label:<44} median {median:8.3f} ms   p95 {p95:8.3f} ms   "
        f"target {target_ms:g} ms   p95/target {p95 / target_ms:5.2f}"
    )


def sync(
    call: Callable[[], Awaitable[object]], loop: asyncio.AbstractEventLoop
) -> Callable[[], object]:
    """A synchronous runner for an async call on one event loop."""
    return lambda: loop.run_until_complete(call())


def main() -> None:
    """Build 10,000 backups, then time each stage and the whole path."""
    tune_garbage_collector()
    now = utc_now()
    backups = tuple(
        Backup.model_validate(stored.record) for stored in Fleet.bulk(SIZE, now).backups
    )
    print(f"{SIZE:,} backups, {RUNS} runs each, question: {QUESTION!r}")

    def core_path() -> None:
        query = parse_query(QUESTION)
        window = resolve(query.effective_window, now=now, zone=Ask(query).zone)
        plan(query, window, rows=DEFAULT_MAX_WINDOW_ROWS)
        matching = [b for b in backups if b.status in query.statuses]
        summarise(backups, covered_since=window.begin, complete=True)
        del matching

    measure("parse + plan + filter + summarise", core_path, 50)

    loop = asyncio.new_event_loop()
    engine = Engine.over(
        source=MemorySource(backups),
        cache=ListingCache(ttl=3600, maxsize=16, clock=utc_now),
        clock=utc_now,
        health_settings=HealthSettings(stale_after=timedelta(hours=26)),
    )
    ask = Ask(parse_query(QUESTION))
    loop.run_until_complete(engine.answer(ask))
    measure("engine.answer, listing cached", sync(lambda: engine.answer(ask), loop), 50)
    cache = ListingCache(ttl=3600, maxsize=16, clock=utc_now)
    listing = BackupListing(backups=backups, total_count=len(backups), requests=1)

    async def load() -> BackupListing:
        return listing

    loop.run_until_complete(cache.fetch("key", load))
    measure("cache hit (ListingCache.fetch)", sync(lambda: cache.fetch("key", load), loop), 1)
    loop.close()


if __name__ == "__main__":
    main()
