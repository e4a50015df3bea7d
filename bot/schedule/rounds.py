"""What the digest and watch rounds share: the scheduler's settings, what a tick did, the
parts both work with, and turning off what can no longer be delivered."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.core.clock import Clock
from bot.core.engine import Engines
from bot.errors import ChannelGone, DeliveryFailed
from bot.schedule.outbox import Outbox
from bot.schedule.store import Store, Subscription

log = logging.getLogger("backupbot.schedule")


@dataclass(frozen=True)
class ScheduleConfig:
    """How the scheduler behaves; defaults suit one bot posting daily digests.

    `health_age` is how old the health a watch reads may be (the engine's cache TTL): an
    incident only changes on health read at least that long after its last change.
    """

    grace: timedelta = timedelta(hours=6)
    lease: timedelta = timedelta(minutes=2)
    watch_interval: timedelta = timedelta(minutes=10)
    health_age: timedelta = timedelta(seconds=60)
    catch_up_days: int = 7
    tick_seconds: float = 30.0


@dataclass
class TickReport:
    """What one tick did, for logs and tests."""

    posted: list[tuple[int, date]] = field(default_factory=list)
    missed: list[tuple[int, date]] = field(default_factory=list)
    alerts: list[tuple[int, str]] = field(default_factory=list)
    disabled: list[int] = field(default_factory=list)


class Round:
    """The parts a round works with; the Scheduler sets them."""

    store: Store
    engines: Engines
    outbox: Outbox
    clock: Clock
    worker: str
    config: ScheduleConfig
    allowed: Callable[[Subscription], Awaitable[bool]]

    async def _disable(self, subscription: Subscription, reason: str, report: TickReport) -> None:
        """Turn off a subscription that cannot be delivered, and tell its creator."""
        await self.store.disable(subscription.id, reason)
        report.disabled.append(subscription.id)
        log.warning("subscription %s disabled: %s", subscription.id, reason)
        try:
            await self.outbox.disabled(subscription, reason)
        except (ChannelGone, DeliveryFailed) as error:
            log.warning("could not tell %s about it: %s", subscription.created_by, error)
