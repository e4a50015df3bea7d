"""What the digest and watch rounds share: the scheduler's settings, what a tick did, each
subscription's work isolated from the others', and turning off what can no longer be
delivered."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot import messages
from bot.core.clock import Clock
from bot.errors import DeliveryError, StorageError
from bot.messages.catalogue import SOURCE, english, speaking
from bot.schedule.incidents import Incident
from bot.schedule.outbox import Outbox
from bot.schedule.store import ReplicaRecords, Subscription, SubscriptionRecords, WatchRecords

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
    language: str = SOURCE  # the workspace's: posts of subscriptions that name none


@dataclass
class TickReport:
    """What one tick did, for logs and tests; `failed`: the subscriptions whose work broke
    (a bug, or a row of theirs the database refused), each logged with its id."""

    posted: list[tuple[int, date]] = field(default_factory=list)
    missed: list[tuple[int, date]] = field(default_factory=list)
    alerts: list[tuple[int, str]] = field(default_factory=list)
    disabled: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


Allowed = Callable[[Subscription], Awaitable[bool]]


async def always(subscription: Subscription) -> bool:
    """No access rules: every subscription may be delivered."""
    return True


class Isolation:
    """Runs one digest's or watch's work, in its language, so that nothing it raises
    reaches the others."""

    def __init__(
        self, *, replicas: ReplicaRecords, worker: str, clock: Clock, language: str = SOURCE
    ) -> None:
        self._language = language
        self._replicas = replicas
        self._worker = worker
        self._clock = clock

    async def run(
        self, subscription: Subscription, work: Callable[[], Awaitable[None]], report: TickReport
    ) -> None:
        """Run `work`; whatever it raises is logged with the subscription's id.

        A bug is logged with the subscription's id and its traceback; the tick goes on. A
        StorageError ends the tick only when the store is down for everyone: a write of this
        replica's heartbeat is tried at once, and if it fails too, every later subscription
        would fail alike (each after its own timeout), so the error goes up, the tick ends
        with one line in the log and the next one retries; nothing is lost, since whatever
        was claimed is taken over after the lease. If the heartbeat is written, the failure
        was this subscription's own (a value of its rows the database refuses): it is
        logged with its id, and the others go on.
        """
        try:
            with speaking(subscription.language or self._language):  # the channel's language
                await work()
        except StorageError as error:
            if not await self._store_works():
                raise
            report.failed.append(subscription.id)
            log.error(
                "%s #%s: the state store refused its work (%s); the others go on",
                subscription.kind,
                subscription.id,
                error,
            )
        except Exception:
            report.failed.append(subscription.id)
            log.exception(
                "%s #%s failed: an unexpected error; the others go on",
                subscription.kind,
                subscription.id,
            )

    async def _store_works(self) -> bool:
        """Whether the store can be written right now (this replica's heartbeat)."""
        try:
            await self._replicas.heartbeat(self._worker, now=self._clock())
        except StorageError:
            return False
        return True


class Stopping:
    """Turning off what can no longer be delivered and saying so, and taking back a post
    made after its claim was taken over."""

    def __init__(
        self,
        *,
        subscriptions: SubscriptionRecords,
        watches: WatchRecords,
        outbox: Outbox,
        clock: Clock,
        default_profile: str,
    ) -> None:
        self._subscriptions = subscriptions
        self._watches = watches
        self._outbox = outbox
        self._clock = clock
        self._default_profile = default_profile

    async def disable(
        self,
        subscription: Subscription,
        reason: str,
        report: TickReport,
        *,
        channel_gone: bool = False,
    ) -> None:
        """Turn off a subscription that cannot be delivered, and tell its creator; a watch
        hands its open incidents over, or says in each message that it stopped (unless its
        channel is gone)."""
        if subscription.kind == "watch":
            closed = await self._watches.disable_watch(
                subscription, reason, default_profile=self._default_profile, now=self._clock()
            )
            if not channel_gone:
                why = messages.watch_turned_off(subscription.id, reason)
                await self.unwatched(subscription, closed, why=why)
        else:
            await self._subscriptions.disable(subscription.id, reason)
        report.disabled.append(subscription.id)
        log.warning("subscription %s disabled: %s", subscription.id, english(reason))
        try:
            await self._outbox.disabled(subscription, reason)
        except DeliveryError as error:
            log.warning("could not tell %s about it: %s", subscription.created_by, error)

    async def unwatched(
        self, subscription: Subscription, incidents: Sequence[Incident], *, why: str
    ) -> None:
        """Say in each incident's first message that no watch follows it any more, and why:
        otherwise it would show its last state ("failed") forever."""
        for incident in incidents:
            if incident.message_ts is None:
                continue  # never posted: nothing to correct
            try:
                await self._outbox.incident_unwatched(subscription, incident, why)
            except DeliveryError as error:
                log.warning(
                    "incident %s of watch %s: could not say it is no longer watched (%s)",
                    incident.id,
                    subscription.id,
                    error,
                )

    async def withdraw(self, channel: str, message: str, *, what: str) -> None:
        """Take back a post made after its claim was taken over: its new owner posts it."""
        log.warning("%s was posted after another replica took its claim over: taken back", what)
        try:
            await self._outbox.withdraw(channel, message)
        except DeliveryError as error:
            log.warning("could not take back %s: %s", what, error)
