"""Digests that are never lost and never doubled; alerts that fire once.

Every send is claimed in the store before it is posted: a row keyed by (subscription,
local date) for digests, (subscription, alert key) for alerts, inserted under a unique
constraint. Of several schedulers sharing the store exactly one wins each claim. A
claim whose owner went quiet (a crash between claim and post) is taken over after the
lease and posted then: retried, not lost. A digest that could not be sent within the
grace window is recorded as missed, and the next digest says so.

`tick()` does everything due at the injected clock's "now"; `run()` calls it in a loop.
Each tick also writes this replica's heartbeat (which proves the store writable) and,
now and then, forgets expired Slack event claims.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.backup import BackupStatus
from bot.core.clock import Clock
from bot.core.commands import DEFAULT_DIGEST_TIME
from bot.core.digest import build_digest
from bot.core.engine import Engines
from bot.core.zones import zone_named
from bot.errors import StorageError, UpstreamError, UserError
from bot.schedule.publisher import (
    Alert,
    ChannelGone,
    DeliveryFailed,
    DigestContent,
    FailureAlert,
    Publisher,
    RecoveredAlert,
    StaleAlert,
)
from bot.schedule.store import Store, Subscription
from bot.schedule.timing import candidate_days, scheduled_at

log = logging.getLogger("backupbot.schedule")
BASELINE_KEY = "watch:baseline"
PRUNE_EVERY = timedelta(hours=1)


async def _always(subscription: Subscription) -> bool:
    """No access rules: every subscription may be delivered."""
    return True


@dataclass(frozen=True)
class ScheduleConfig:
    """How the scheduler behaves; defaults suit one bot posting daily digests."""

    grace: timedelta = timedelta(hours=6)
    lease: timedelta = timedelta(minutes=2)
    watch_interval: timedelta = timedelta(minutes=10)
    catch_up_days: int = 7
    tick_seconds: float = 30.0


@dataclass
class TickReport:
    """What one tick did, for logs and tests."""

    posted: list[tuple[int, date]] = field(default_factory=list)
    missed: list[tuple[int, date]] = field(default_factory=list)
    alerts: list[tuple[int, str]] = field(default_factory=list)
    disabled: list[int] = field(default_factory=list)


class Scheduler:
    """Runs the digests and watches of one store against one engine."""

    def __init__(
        self,
        *,
        store: Store,
        engines: Engines,
        publisher: Publisher,
        clock: Clock,
        worker: str,
        config: ScheduleConfig | None = None,
        on_report: Callable[[TickReport], None] = lambda report: None,
        allowed: Callable[[Subscription], Awaitable[bool]] = _always,
    ) -> None:
        self.store = store
        self.on_report = on_report
        self.allowed = allowed
        self.engines = engines
        self.publisher = publisher
        self.clock = clock
        self.worker = worker
        self.config = config or ScheduleConfig()
        self._last_poll: dict[int, datetime] = {}
        self._last_prune: datetime | None = None

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
        await self.store.heartbeat(self.worker, now=now)
        if self._last_prune is None or now - self._last_prune >= PRUNE_EVERY:
            self._last_prune = now
            await self.store.prune(now=now)
        await self._retry_abandoned(now, report)
        for subscription in await self.store.subscriptions(kind="digest", enabled_only=True):
            await self._digest_if_due(subscription, now, report)
        # A watch whose alert claims were abandoned (a crash mid-post) is polled again now,
        # not an interval later: its poll takes them over.
        abandoned = await self.store.watches_with_abandoned_alerts(
            claimed_before=now - self.config.lease
        )
        for subscription in await self.store.subscriptions(kind="watch", enabled_only=True):
            last = self._last_poll.get(subscription.id)
            interval_over = last is None or now - last >= self.config.watch_interval
            if interval_over or subscription.id in abandoned:
                self._last_poll[subscription.id] = now
                await self._poll_watch(subscription, now, report)
        return report

    # -- digests -----------------------------------------------------------------------

    @staticmethod
    def zone_of(subscription: Subscription) -> ZoneInfo:
        """The subscription's time zone (UTC if none was recorded)."""
        return zone_named(subscription.timezone or "UTC")

    @staticmethod
    def time_of(subscription: Subscription) -> time:
        """The subscription's time of day."""
        return subscription.at_time or DEFAULT_DIGEST_TIME

    async def _digest_if_due(
        self, subscription: Subscription, now: datetime, report: TickReport
    ) -> None:
        zone = self.zone_of(subscription)
        at = self.time_of(subscription)
        done = {send.local_date for send in await self.store.sends(subscription.id)}
        for day in candidate_days(now, zone, back=self.config.catch_up_days):
            due = scheduled_at(day, at, zone)
            if due > now or due < subscription.created_at or day in done:
                continue
            if now - due > self.config.grace:
                if await self.store.record_missed(
                    subscription.id, day, worker=self.worker, now=now
                ):
                    log.warning("digest %s of %s missed (due %s)", subscription.id, day, due)
                    report.missed.append((subscription.id, day))
                continue
            if await self.store.claim_send(subscription.id, day, worker=self.worker, now=now):
                await self._send_digest(subscription, day, now, report)

    async def _retry_abandoned(self, now: datetime, report: TickReport) -> None:
        """Claims whose owner crashed between claiming and posting: post them now."""
        for send in await self.store.stale_claims(claimed_before=now - self.config.lease):
            subscription = await self.store.get(send.subscription_id)
            if subscription is None or not subscription.enabled:
                continue
            day = send.local_date
            due = scheduled_at(day, self.time_of(subscription), self.zone_of(subscription))
            if now - due > self.config.grace:
                await self.store.finish_send(subscription.id, day, status="missed", now=now)
                report.missed.append((subscription.id, day))
                continue
            if await self.store.reclaim_stale_send(
                subscription.id, day, worker=self.worker, now=now,
                claimed_before=now - self.config.lease,
            ):  # fmt: skip
                log.info(
                    "retrying digest %s of %s abandoned by %s",
                    subscription.id,
                    day,
                    send.claimed_by,
                )
                await self._send_digest(subscription, day, now, report)

    async def send_now(self, subscription: Subscription) -> str:
        """Post a digest at once (`digest now`): the same content as the scheduled one.

        `subscription` may be a stored one or an unsaved one (id 0) for ad-hoc targets.
        """
        day = self.clock().astimezone(self.zone_of(subscription)).date()
        return await self.publisher.digest(await self._content(subscription, day))

    async def _content(self, subscription: Subscription, day: date) -> DigestContent:
        zone = self.zone_of(subscription)
        misses = [
            missed.isoformat() for missed in await self.store.unreported_misses(subscription.id)
        ]
        query = subscription.query
        now = self.clock()
        try:
            fleet = await self.engines.engine(query.profile).health(query.targets)
        except (UpstreamError, UserError) as error:
            problem = error.summary if isinstance(error, UpstreamError) else error.message
            return DigestContent(
                subscription, day, zone, None, f"{problem}. {_explain(error)}", now
            )
        digest = build_digest(fleet, now=now, missed=misses)
        return DigestContent(subscription, day, zone, digest, None, fleet.as_of)

    async def _send_digest(
        self, subscription: Subscription, day: date, now: datetime, report: TickReport
    ) -> None:
        if not await self.allowed(subscription):
            reason = "the access rules no longer allow it"
            await self._disable(subscription, reason, report)
            await self.store.finish_send(
                subscription.id, day, status="failed", now=now, error=reason
            )
            return
        content = await self._content(subscription, day)
        try:
            message = await self.publisher.digest(content)
        except ChannelGone as gone:
            await self._disable(subscription, gone.reason, report)
            await self.store.finish_send(
                subscription.id, day, status="failed", now=now, error=gone.reason
            )
            return
        except DeliveryFailed as failure:
            # Left claimed: after the lease, the next tick (here or on a replica) retries.
            log.warning(
                "digest %s of %s not delivered (%s): will retry", subscription.id, day, failure
            )
            return
        # The time it was recorded, not the tick's: between Slack accepting the message and
        # this row saying so, a crash means a repeat (the window tests/test_replicas.py measures).
        await self.store.finish_send(
            subscription.id, day, status="posted", now=self.clock(), message_ts=message
        )
        if content.digest is not None and content.digest.missed:
            reported = [date.fromisoformat(text) for text in content.digest.missed]
            await self.store.mark_misses_reported(subscription.id, reported)
        report.posted.append((subscription.id, day))

    async def _disable(self, subscription: Subscription, reason: str, report: TickReport) -> None:
        await self.store.disable(subscription.id, reason)
        report.disabled.append(subscription.id)
        log.warning("subscription %s disabled: %s", subscription.id, reason)
        try:
            await self.publisher.disabled(subscription, reason)
        except (ChannelGone, DeliveryFailed) as error:
            log.warning("could not tell %s about it: %s", subscription.created_by, error)

    # -- watches -----------------------------------------------------------------------

    async def _poll_watch(
        self, subscription: Subscription, now: datetime, report: TickReport
    ) -> None:
        query = subscription.query
        try:
            fleet = await self.engines.engine(query.profile).health(query.targets)
        except (UpstreamError, UserError) as error:
            log.warning("watch %s could not read backups: %s", subscription.id, error)
            return
        health = await self.store.health(subscription.id)
        # A new watch reports only what happens from now on: its first poll records what
        # it found as a silent baseline (the marker row says the baseline exists).
        baseline = await self.store.claim_alert(
            subscription.id, BASELINE_KEY, worker=self.worker, now=now, status="baseline"
        )
        due: list[tuple[str, Alert]] = []
        for backup in reversed(fleet.backups):  # oldest first, so alerts read in order
            if backup.status is BackupStatus.FAILED:
                due.append((f"failed:{backup.id}", FailureAlert(backup)))
        for instance in fleet.instances:
            was_stale = health.get(instance.name)
            if instance.stale and not was_stale:
                marker = instance.last_good.id if instance.last_good else "none"
                due.append((f"stale:{instance.name}:{marker}", StaleAlert(instance)))
            elif not instance.stale and was_stale and instance.last_good is not None:
                due.append(
                    (f"recovered:{instance.name}:{instance.last_good.id}", RecoveredAlert(instance))
                )
            if was_stale is None or was_stale != instance.stale:
                await self.store.set_health(
                    subscription.id, instance.name, stale=instance.stale, now=now
                )
        retry = set(
            await self.store.reclaim_stale_alerts(
                subscription.id, worker=self.worker, now=now, claimed_before=now - self.config.lease
            )
        )
        for key, alert in due:
            if baseline:
                await self.store.claim_alert(
                    subscription.id, key, worker=self.worker, now=now, status="baseline"
                )
                continue
            claimed = key in retry or await self.store.claim_alert(
                subscription.id, key, worker=self.worker, now=now
            )
            if claimed and not await self._post_alert(subscription, key, alert, now, report):
                return

    async def _post_alert(
        self, subscription: Subscription, key: str, alert: Alert, now: datetime, report: TickReport
    ) -> bool:
        try:
            await self.publisher.alert(subscription, alert, now=now)
        except ChannelGone as gone:
            await self._disable(subscription, gone.reason, report)
            await self.store.finish_alert(subscription.id, key, status="failed", now=now)
            return False
        except DeliveryFailed as failure:
            log.warning(
                "alert %s of watch %s not delivered (%s): will retry", key, subscription.id, failure
            )
            return False
        await self.store.finish_alert(subscription.id, key, status="posted", now=self.clock())
        report.alerts.append((subscription.id, key))
        return True


def _explain(error: UpstreamError | UserError) -> str:
    if isinstance(error, UpstreamError):
        return error.explanation or "backupbot will try again tomorrow"
    return error.hint
