"""`/backups digest ...` and `/backups watch ...`: changes confirmed in the channel."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot import messages
from bot.core.answering.engine import Engines
from bot.core.clock import Clock
from bot.core.language.commands import (
    DEFAULT_DIGEST_TIME,
    DigestAdd,
    DigestNow,
    ListSubscriptions,
    RemoveSubscription,
    WatchAdd,
)
from bot.core.query import Query
from bot.errors import ChannelGone, UserError
from bot.messages.catalogue import reader_locale, speaking
from bot.schedule.outbox import Incident
from bot.schedule.scheduler import Scheduler
from bot.schedule.store import Subscription, SubscriptionKind, SubscriptionRecords, WatchRecords
from bot.schedule.timing import next_due
from bot.slack.asker import Asker
from bot.slack.delivery import Delivery
from bot.slack.views.subscription_lines import (
    channel_list_view,
    digest_added_view,
    removed_view,
    watch_added_view,
)
from bot.support.zones import zone_named

audit = logging.getLogger("backupbot.audit")
SubscriptionCommand = DigestAdd | DigestNow | WatchAdd | ListSubscriptions | RemoveSubscription
Slot = Callable[[], AbstractAsyncContextManager[None]]


@dataclass(frozen=True, kw_only=True)
class SubscriptionCommands:
    """Adds, lists, removes and runs digests and watches for a channel.

    Reading backups takes a work `slot`; confirmations to Slack are sent outside it.
    """

    subscriptions: SubscriptionRecords
    watches: WatchRecords
    scheduler: Scheduler
    engines: Engines
    delivery: Delivery
    clock: Clock
    watch_minutes: int
    slot: Slot

    async def handle(self, command: SubscriptionCommand, asker: Asker, zone: ZoneInfo) -> None:
        """Carry out `command`, typed by `asker` in their channel."""
        match command:
            case DigestAdd():
                await self._add_digest(command, asker, zone)
            case WatchAdd():
                await self._add_watch(command, asker)
            case DigestNow():
                await self._digest_now(command, asker, zone)
            case ListSubscriptions(kind):
                found = await self.subscriptions.find(channel_id=asker.channel)
                view = channel_list_view(kind, [s for s in found if s.kind == kind])
                await self.delivery.respond(asker, view, ephemeral=True)
            case RemoveSubscription(kind, subscription_id):
                await self._remove(kind, subscription_id, asker)

    async def _check_targets(self, targets: Query) -> None:
        # Unknown instance names are refused now, not discovered at 09:00 tomorrow; the
        # read is the one the digest and the watch will make (cached).
        async with self.slot():
            await self.engines.engine(targets.profile).health(targets.targets)

    @staticmethod
    def _audit(change: str, subscription: Subscription, asker: Asker) -> None:
        audit.info(
            "%s %s #%s", change, subscription.kind, subscription.id,
            extra={
                "event": "subscription", "change": change, "kind": subscription.kind,
                "id": subscription.id, "targets": subscription.scope,
                "team": asker.team, "channel": asker.channel,
                "user": asker.user, "outcome": "ok",
            },
        )  # fmt: skip

    async def _add(
        self,
        kind: SubscriptionKind,
        targets: Query,
        asker: Asker,
        *,
        now: datetime,
        at_time: time | None = None,
        timezone: str | None = None,
        language: str | None = None,
    ) -> Subscription:
        """Store a new digest or watch in the asker's channel, and audit it."""
        subscription = await self.subscriptions.add(
            kind=kind,
            team_id=asker.team,
            channel_id=asker.channel,
            created_by=asker.user,
            targets=targets.targets,
            profile=targets.profile,
            at_time=at_time,
            timezone=timezone,
            language=language,
            created_at=now,
        )
        self._audit("added", subscription, asker)
        return subscription

    async def _add_digest(self, command: DigestAdd, asker: Asker, zone: ZoneInfo) -> None:
        await self._check_targets(command.targets)
        at = command.at or DEFAULT_DIGEST_TIME
        zone_name = command.zone or zone.key
        now = self.clock()
        subscription = await self._add(
            "digest", command.targets, asker, now=now, at_time=at, timezone=zone_name,
            language=command.language,
        )  # fmt: skip
        first = next_due(now, at, zone_named(zone_name))
        with speaking(command.language or reader_locale()):  # said in the channel's language
            view = digest_added_view(
                subscription, user=asker.user, at=at, zone=zone_name, first=first
            )
        await self.delivery.respond(asker, view, ephemeral=False)

    async def _add_watch(self, command: WatchAdd, asker: Asker) -> None:
        await self._refuse_a_copy(command.targets, asker)
        await self._check_targets(command.targets)
        subscription = await self._add(
            "watch", command.targets, asker, now=self.clock(), language=command.language
        )
        with speaking(command.language or reader_locale()):  # said in the channel's language
            view = watch_added_view(subscription, user=asker.user, every_minutes=self.watch_minutes)
        await self.delivery.respond(asker, view, ephemeral=False)

    async def _refuse_a_copy(self, targets: Query, asker: Asker) -> None:
        """A watch the channel has already (the same instances, the same profile) is refused
        with that one's number. Overlapping watches are fine: each instance's incident in a
        channel is posted once whichever watches cover it, so this is a courtesy, not what
        keeps posts single (two replicas may each store the same watch at one moment)."""
        same = await self.subscriptions.same_watch(
            asker.channel, targets.targets, targets.profile, default_profile=self.engines.default
        )
        if same is not None:
            raise UserError(
                messages.watch_exists(same.id, same.scope or messages.EVERY_INSTANCE),
                messages.see_the_subscriptions("watch"),
            )

    async def _digest_now(self, command: DigestNow, asker: Asker, zone: ZoneInfo) -> None:
        adhoc = Subscription(
            id=0,
            kind="digest",
            team_id=asker.team,
            channel_id=asker.channel,
            created_by=asker.user,
            targets=command.targets.targets,
            profile=command.targets.profile,
            at_time=None,
            timezone=zone.key,
            origin="slack",
            enabled=True,
            disabled_reason=None,
            created_at=self.clock(),
        )
        await self._check_targets(command.targets)
        try:
            async with self.slot():  # the digest's post to Slack is bounded by its timeout
                await self.scheduler.send_now(adhoc)
        except ChannelGone as gone:
            raise UserError(
                messages.cannot_post_here(gone.said), messages.INVITE_ME_AND_RETRY
            ) from None

    async def _remove(self, kind: str, subscription_id: int, asker: Asker) -> None:
        subscription = await self.subscriptions.get(subscription_id)
        if (
            subscription is None
            or subscription.kind != kind
            or subscription.channel_id != asker.channel
        ):
            raise UserError(
                messages.no_such_subscription(kind, subscription_id),
                messages.see_the_subscriptions(kind),
            )
        if subscription.origin == "config":
            raise UserError(
                messages.declared_in_the_file(kind, subscription_id),
                messages.REMOVE_FROM_THE_FILE,
            )
        closed: list[Incident] = []  # open incidents no other watch of the channel covers
        if subscription.kind == "watch":
            released = await self.watches.remove_watch(
                subscription_id, default_profile=self.engines.default, now=self.clock()
            )
            closed = released or []
        else:
            await self.subscriptions.remove(subscription_id)
        self._audit("removed", subscription, asker)
        await self.delivery.respond(
            asker, removed_view(subscription, user=asker.user), ephemeral=False
        )
        why = messages.watch_removed_by(subscription.id, asker.user)
        await self.scheduler.unwatched(subscription, closed, why=why)
