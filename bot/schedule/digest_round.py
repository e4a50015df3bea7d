"""The digest round: each digest posted once on its local day, retried if abandoned, and
recorded as missed when it could not be sent within the grace window."""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, time
from functools import partial
from zoneinfo import ZoneInfo

from bot import messages
from bot.core.answering.engine import Engines
from bot.core.clock import Clock
from bot.core.health.digest import build_digest
from bot.core.language.commands import DEFAULT_DIGEST_TIME
from bot.errors import BackupbotError, ChannelGone, DeliveryFailed
from bot.messages.catalogue import english, reader_locale, speaking
from bot.schedule.outbox import DigestContent, Outbox
from bot.schedule.rounds import Allowed, Isolation, ScheduleConfig, Stopping, TickReport
from bot.schedule.store import (
    DigestSend,
    DigestSendRecords,
    Hold,
    Subscription,
    SubscriptionRecords,
)
from bot.schedule.timing import candidate_days, scheduled_at
from bot.support.zones import zone_named

log = logging.getLogger("backupbot.schedule")


class DigestRound:
    """Posts the digests that are due, each exactly once."""

    def __init__(
        self,
        *,
        subscriptions: SubscriptionRecords,
        sends: DigestSendRecords,
        engines: Engines,
        outbox: Outbox,
        stopping: Stopping,
        isolation: Isolation,
        clock: Clock,
        worker: str,
        config: ScheduleConfig,
        allowed: Allowed,
    ) -> None:
        self._subscriptions = subscriptions
        self._sends = sends
        self._engines = engines
        self._outbox = outbox
        self._stopping = stopping
        self._isolation = isolation
        self._clock = clock
        self._worker = worker
        self._config = config
        self._allowed = allowed

    @staticmethod
    def zone_of(subscription: Subscription) -> ZoneInfo:
        """The subscription's time zone (UTC if none was recorded)."""
        return zone_named(subscription.timezone or "UTC")

    @staticmethod
    def time_of(subscription: Subscription) -> time:
        """The subscription's time of day."""
        return subscription.at_time or DEFAULT_DIGEST_TIME

    async def if_due(self, subscription: Subscription, now: datetime, report: TickReport) -> None:
        """Post `subscription`'s digest if one is due (or record it missed, past the grace)."""
        zone = self.zone_of(subscription)
        at = self.time_of(subscription)
        done = {send.local_date for send in await self._sends.of(subscription.id)}
        for day in candidate_days(now, zone, back=self._config.catch_up_days):
            due = scheduled_at(day, at, zone)
            if due > now or due < subscription.created_at or day in done:
                continue
            if now - due > self._config.grace:
                if await self._sends.record_missed(
                    subscription.id, day, worker=self._worker, now=now
                ):
                    log.warning("digest %s of %s missed (due %s)", subscription.id, day, due)
                    report.missed.append((subscription.id, day))
                continue
            if await self._sends.claim_send(subscription.id, day, worker=self._worker, now=now):
                await self._send_digest(subscription, day, Hold(self._worker, now), report)

    async def retry_abandoned(self, now: datetime, report: TickReport) -> None:
        """Claims whose owner crashed between claiming and posting: post them now."""
        for send in await self._sends.stale_claims(claimed_before=now - self._config.lease):
            subscription = await self._subscriptions.get(send.subscription_id)
            if subscription is None or not subscription.enabled:
                continue
            retry = partial(self._retry, subscription, send, now, report)
            await self._isolation.run(subscription, retry, report)

    async def _retry(
        self, subscription: Subscription, send: DigestSend, now: datetime, report: TickReport
    ) -> None:
        day = send.local_date
        due = scheduled_at(day, self.time_of(subscription), self.zone_of(subscription))
        if now - due > self._config.grace:
            if await self._sends.finish_send(
                subscription.id, day, hold=send.hold, status="missed", now=now
            ):
                report.missed.append((subscription.id, day))
            return
        if await self._sends.reclaim_stale_send(
            subscription.id,
            day,
            worker=self._worker,
            now=now,
            claimed_before=now - self._config.lease,
        ):
            log.info(
                "retrying digest %s of %s abandoned by %s", subscription.id, day, send.claimed_by
            )
            await self._send_digest(subscription, day, Hold(self._worker, now), report)

    async def send_now(self, subscription: Subscription) -> str:
        """Post a digest at once (`digest now`): the same content as the scheduled one.

        `subscription` may be a stored one or an unsaved one (id 0) for ad-hoc targets.
        """
        day = self._clock().astimezone(self.zone_of(subscription)).date()
        with speaking(subscription.language or reader_locale()):  # the channel's, if set
            return await self._outbox.digest(await self._content(subscription, day))

    async def _content(self, subscription: Subscription, day: date) -> DigestContent:
        zone = self.zone_of(subscription)
        misses = await self._sends.unreported_misses(subscription.id)
        query = subscription.query
        now = self._clock()
        try:
            fleet = await self._engines.engine(query.profile).health(query.targets, zone=zone)
            digest = build_digest(fleet, now=now, missed=misses)
        except BackupbotError as error:  # the API's refusal, an unknown name: said in words
            problem = messages.said_then_hint(error.said, error.hint or messages.TRY_AGAIN_TOMORROW)
            return DigestContent(subscription, day, zone, None, problem, now)
        except Exception:
            # A bug: the channel still gets its digest, saying so, with an id to quote.
            incident = uuid.uuid4().hex[:10]
            log.exception(
                "digest #%s of %s: unexpected error, incident %s", subscription.id, day, incident
            )
            problem = messages.said_then_hint(
                messages.apology_summary(incident), messages.TRY_AGAIN_TOMORROW
            )
            return DigestContent(subscription, day, zone, None, problem, now)
        return DigestContent(subscription, day, zone, digest, None, fleet.as_of or now)

    async def _send_digest(
        self, subscription: Subscription, day: date, hold: Hold, report: TickReport
    ) -> None:
        """Make and post a digest this replica claimed (`hold`), and record it, if the claim
        is still its own by then."""
        if not await self._allowed(subscription):
            reason = messages.ACCESS_NO_LONGER_ALLOWS
            await self._stopping.disable(subscription, reason, report)
            await self._sends.finish_send(
                subscription.id, day, hold=hold, status="failed", now=self._clock(),
                error=english(reason),
            )  # fmt: skip
            return
        content = await self._content(subscription, day)
        # Reading the backups may have taken long: the post gets a whole lease of its own.
        renewed = await self._sends.renew_send(subscription.id, day, hold, now=self._clock())
        if renewed is None:
            log.warning("digest %s of %s: taken over by another replica", subscription.id, day)
            return
        try:
            message = await self._outbox.digest(content)
        except ChannelGone as gone:
            await self._stopping.disable(subscription, gone.said, report)
            await self._sends.finish_send(
                subscription.id, day, hold=renewed, status="failed", now=self._clock(),
                error=english(gone.said),
            )  # fmt: skip
            return
        except DeliveryFailed as failure:
            # Left claimed: after the lease, the next tick (here or on a replica) retries.
            log.warning(
                "digest %s of %s not delivered (%s): will retry", subscription.id, day, failure
            )
            return
        # The time it was recorded, not the tick's: between Slack accepting the message and
        # this row saying so, a crash means a repeat (the window tests/test_replicas.py measures).
        if not await self._sends.finish_send(
            subscription.id, day, hold=renewed, status="posted", now=self._clock(),
            message_ts=message,
        ):  # fmt: skip
            what = f"digest #{subscription.id} of {day}"
            await self._stopping.withdraw(subscription.channel_id, message, what=what)
            return
        if content.digest is not None and content.digest.missed:
            await self._sends.mark_misses_reported(subscription.id, content.digest.missed)
        report.posted.append((subscription.id, day))
