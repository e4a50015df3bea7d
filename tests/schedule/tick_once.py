"""One scheduler tick in its own process, for the two-process exactly-once test.

python -m tests.schedule.tick_once DATABASE_URL SIMULATOR_URL SLACK_URL NOW WORKER
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

import httpx

from bot.app.wiring import slack_client
from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine, Engines
from bot.metrics import Metrics
from bot.schedule.scheduler import Scheduler
from bot.schedule.store import Store
from bot.slack.button_state import ButtonCodec
from bot.slack.delivery import Delivery
from bot.slack.slack_outbox import SlackOutbox
from tests.conftest import FakeTime, fixed_clock, make_api
from tests.slack.conftest import slack_settings


async def tick(url: str, simulator_url: str, slack_url: str, now: datetime, worker: str) -> None:
    """Run one tick at `now` as `worker`."""
    async with httpx.AsyncClient() as http:
        engine = Engine.over(
            source=make_api(http, simulator_url, FakeTime()),
            cache=ListingCache(ttl=60, maxsize=8, clock=fixed_clock),
            clock=lambda: now,
        )
        client = slack_client(slack_settings(slack_url, "unused.sqlite3"))
        outbox = SlackOutbox(
            delivery=Delivery(client=client, clock=lambda: now, metrics=Metrics()),
            codec=ButtonCodec(b"k"),
            clock=lambda: now,
            simulated=False,
        )
        scheduler = Scheduler(
            store=Store.connect(url),
            engines=Engines.single(engine),
            outbox=outbox,
            clock=lambda: now,
            worker=worker,
        )
        await scheduler.tick()


if __name__ == "__main__":
    database, simulator, slack, moment, name = sys.argv[1:6]
    asyncio.run(tick(database, simulator, slack, datetime.fromisoformat(moment), name))
