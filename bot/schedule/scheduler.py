"""Digests that are never lost and never doubled; watch incidents whose every change is
posted once.

Every send is claimed in the store before it is posted: a row keyed by (subscription,
local date) for digests, (subscription, "incident:ID:N") for each change of a watch's
incident, inserted under a unique constraint. Of several schedulers sharing the store
exactly one wins each claim. A claim whose owner went quiet (a crash between claim and
post) is taken over after the lease and posted then: retried, not lost. A digest that
could not be sent within the grace window is recorded as missed, and the next digest
says so.

`tick()` does everything due at the injected clock's "now"; `run()` calls it in a loop.
Each digest's and watch's work is isolated: whatever one raises is logged with its id and
the tick goes on with the others (see `Isolation.run`, also for why a store that is
down ends the tick). Each tick also writes this replica's heartbeat (which proves the
store writable) and, now and then, forgets expired Slack event claims.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from functools import partial

from bot.core.answering.engine import Engines
from bot.core.clock import Clock
from bot.errors import StorageError
from bot.schedule.digest_round import DigestRound
from bot.schedule.incidents import Incident
from bot.schedule.outbox import Outbox
from bot.schedule.rounds import Allowed, Isolation, ScheduleConfig, Stopping, TickReport, always
from bot.schedule.store import Store, Subscription
from bot.schedule.watch_round import WatchRound

log = logging.getLogger("backupbot.schedule")
PRUNE_EVERY = timedelta(hours=1)
Follow = Callable[[], Awaitable[int]]


class Scheduler:
    """Runs the digests and watches of one store against the engines, posting through an
    outbox (the scheduler knows no chat platform): a digest round and a watch round, each
    handed the parts of the store it works with."""

    def __init__(
        self,
        *,
        store: Store,
        engines: Engines,
        outbox: Outbox,
        clock: Clock,
        worker: str,
        config: ScheduleConfig | None = None,
        on_report: Callable[[TickReport], None] = lambda report: None,
        allowed: Allowed = always,
        follow: Follow | None = None,
    ) -> None:
        """`follow` is a round of backups taken by hand (BackupActions.follow), run each
        tick after the digests and watches."""
        self.on_report = on_report
        self._follow = follow
        self.clock = clock
        self.worker = worker
        self.config = config or ScheduleConfig()
        self._subscriptions = store.subscriptions
        self._watch_claims = store.watches
        self._replicas = store.replicas
        self._events = store.events
        self.stopping = Stopping(
            subscriptions=store.subscriptions,
            watches=store.watches,
            outbox=outbox,
            clock=clock,
            default_profile=engines.default,
        )
        self._isolation = Isolation(
            replicas=store.replicas, worker=worker, clock=clock, language=self.config.language
        )
        self.digests = DigestRound(
            subscriptions=store.subscriptions, sends=store.sends, engines=engines, outbox=outbox,
            stopping=self.stopping, isolation=self._isolation, clock=clock, worker=worker,
            config=self.config, allowed=allowed,
        )  # fmt: skip
        self.watches = WatchRound(
            watches=store.watches, incidents=store.incidents, engines=engines, outbox=outbox,
            stopping=self.stopping, clock=clock, worker=worker, config=self.config,
            allowed=allowed,
        )  # fmt: skip
        self._last_poll: dict[int, datetime] = {}
        self._last_prune: datetime | None = None

    async def send_now(self, subscription: Subscription) -> str:
        """Post a digest at once (`digest now`): the same content as the scheduled one."""
        return await self.digests.send_now(subscription)

    async def unwatched(
        self, subscription: Subscription, incidents: Sequence[Incident], *, why: str
    ) -> None:
        """Say in each incident's first message that no watch follows it any more, and why."""
        await self.stopping.unwatched(subscription, incidents, why=why)

    # -- the loop ----------------------------------------------------------------------

    async def run(
        self,
        stop: asyncio.Event,
        *,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        """Tick until `stop` is set; a failing tick is logged, never fatal."""
        while not stop.is_set():
            try:
                self.on_report(await self.tick())
            except StorageError as error:  # the store said what is wrong, once
                log.warning("scheduler tick skipped: %s", error)
            except Exception:
                log.exception("scheduler tick failed; trying again next tick")
            if sleep is not None:
                await sleep(self.config.tick_seconds)
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.config.tick_seconds)

    async def tick(self) -> TickReport:
        """Do everything due now: digests, retries of abandoned claims, watch polls."""
        report = TickReport()
        now = self.clock()
        await self._replicas.heartbeat(self.worker, now=now)
        if self._last_prune is None or now - self._last_prune >= PRUNE_EVERY:
            self._last_prune = now
            await self._events.prune(now=now)
            await self._replicas.prune(now=now)
        await self.digests.retry_abandoned(now, report)
        for subscription in await self._subscriptions.find(kind="digest", enabled_only=True):
            due = partial(self.digests.if_due, subscription, now, report)
            await self._isolation.run(subscription, due, report)
        # A watch whose post claims were abandoned (a crash mid-post) is polled again now,
        # not an interval later: its poll takes them over.
        abandoned = await self._watch_claims.watches_with_abandoned_alerts(
            claimed_before=now - self.config.lease
        )
        for subscription in await self._subscriptions.find(kind="watch", enabled_only=True):
            last = self._last_poll.get(subscription.id)
            interval_over = last is None or now - last >= self.config.watch_interval
            if interval_over or subscription.id in abandoned:
                self._last_poll[subscription.id] = now
                poll = partial(self.watches.poll, subscription, now, report)
                await self._isolation.run(subscription, poll, report)
        if self._follow is not None:
            await self._follow()  # each action isolated inside
        return report
