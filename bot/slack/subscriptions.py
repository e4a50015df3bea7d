"""`/backups digest ...` and `/backups watch ...`: changes confirmed in the channel."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.clock import Clock
from bot.core.commands import (
    DEFAULT_DIGEST_TIME,
    DigestAdd,
    DigestNow,
    ListSubscriptions,
    RemoveSubscription,
    WatchAdd,
)
from bot.core.engine import Engines
from bot.core.query import Query
from bot.core.zones import zone_named
from bot.errors import UserError
from bot.schedule.publisher import ChannelGone
from bot.schedule.scheduler import Scheduler
from bot.schedule.store import Store, Subscription
from bot.schedule.timing import next_due
from bot.slack.blocks import View, code, date_token, mrkdwn_section
from bot.slack.delivery import Delivery

PLURALS = {"digest": "digests", "watch": "watches"}
audit = logging.getLogger("backupbot.audit")
SubscriptionCommand = DigestAdd | DigestNow | WatchAdd | ListSubscriptions | RemoveSubscription
Slot = Callable[[], AbstractAsyncContextManager[None]]


def _scope(subscription: Subscription) -> str:
    return code(subscription.scope) if subscription.scope else "every instance"


def _clock(subscription: Subscription) -> str:
    return f"{subscription.at_time or DEFAULT_DIGEST_TIME:%H:%M}"


def _user(body: dict[str, Any]) -> str:
    return str(body.get("user_id") or body.get("user", {}).get("id", ""))


def _channel(body: dict[str, Any]) -> str:
    return str(body.get("channel_id") or body.get("channel", {}).get("id", ""))


class SubscriptionCommands:
    """Adds, lists, removes and runs digests and watches for a channel.

    Reading backups takes a work `slot`; confirmations to Slack are sent outside it.
    """

    def __init__(
        self, *, store: Store, scheduler: Scheduler, engines: Engines, delivery: Delivery,
        clock: Clock, watch_minutes: int, slot: Slot,
    ) -> None:  # fmt: skip
        self.slot = slot
        self.store = store
        self.scheduler = scheduler
        self.engines = engines
        self.delivery = delivery
        self.clock = clock
        self.watch_minutes = watch_minutes

    async def handle(
        self, command: SubscriptionCommand, body: dict[str, Any], zone: ZoneInfo
    ) -> None:
        """Carry out `command` from the slash command `body`."""
        match command:
            case DigestAdd():
                await self._add_digest(command, body, zone)
            case WatchAdd():
                await self._add_watch(command, body)
            case DigestNow():
                await self._digest_now(command, body, zone)
            case ListSubscriptions(kind):
                await self._list(kind, body)
            case RemoveSubscription(kind, subscription_id):
                await self._remove(kind, subscription_id, body)

    async def _check_targets(self, targets: Query) -> None:
        # Unknown instance names are refused now, not discovered at 09:00 tomorrow; the
        # read is the one the digest and the watch will make (cached).
        async with self.slot():
            await self.engines.engine(targets.profile).health(targets.targets)

    @staticmethod
    def _audit(change: str, subscription: Subscription, body: dict[str, Any]) -> None:
        audit.info(
            "%s %s #%s", change, subscription.kind, subscription.id,
            extra={
                "event": "subscription", "change": change, "kind": subscription.kind,
                "id": subscription.id, "targets": subscription.scope,
                "team": str(body.get("team_id", "")), "channel": _channel(body),
                "user": _user(body), "outcome": "ok",
            },
        )  # fmt: skip

    async def _confirm(self, body: dict[str, Any], text: str, notice: str) -> None:
        await self.delivery.respond(body, View.of([mrkdwn_section(text)], notice), ephemeral=False)

    async def _add_digest(self, command: DigestAdd, body: dict[str, Any], zone: ZoneInfo) -> None:
        await self._check_targets(command.targets)
        at = command.at or DEFAULT_DIGEST_TIME
        zone_name = command.zone or zone.key
        now = self.clock()
        subscription = await self.store.add(
            kind="digest",
            team_id=str(body.get("team_id", "")),
            channel_id=_channel(body),
            created_by=_user(body),
            targets=command.targets.targets,
            profile=command.targets.profile,
            at_time=at,
            timezone=zone_name,
            created_at=now,
        )
        self._audit("added", subscription, body)
        first = next_due(now, at, zone_named(zone_name))
        await self._confirm(
            body,
            f":calendar: <@{_user(body)}> set up digest #{subscription.id}: "
            f"{_scope(subscription)} every day at {at:%H:%M} ({zone_name}). "
            f"First one {date_token(first)}.",
            f"Digest #{subscription.id} set up",
        )

    async def _add_watch(self, command: WatchAdd, body: dict[str, Any]) -> None:
        await self._check_targets(command.targets)
        subscription = await self.store.add(
            kind="watch",
            team_id=str(body.get("team_id", "")),
            channel_id=_channel(body),
            created_by=_user(body),
            targets=command.targets.targets,
            profile=command.targets.profile,
            created_at=self.clock(),
        )
        self._audit("added", subscription, body)
        hours = round(
            self.engines.engine(command.targets.profile).stale_after.total_seconds() / 3600
        )
        await self._confirm(
            body,
            f":eyes: <@{_user(body)}> set up watch #{subscription.id} on "
            f"{_scope(subscription)}: I will post each new failed backup, and when an "
            f"instance goes {hours} h without a good backup (and when it recovers). "
            f"Checked every {self.watch_minutes} min.",
            f"Watch #{subscription.id} set up",
        )

    async def _digest_now(self, command: DigestNow, body: dict[str, Any], zone: ZoneInfo) -> None:
        adhoc = Subscription(
            id=0, kind="digest", team_id=str(body.get("team_id", "")), channel_id=_channel(body),
            created_by=_user(body), targets=command.targets.targets,
            profile=command.targets.profile, at_time=None, timezone=zone.key, origin="slack",
            enabled=True, disabled_reason=None, created_at=self.clock(),
        )  # fmt: skip
        await self._check_targets(command.targets)
        try:
            async with self.slot():  # the digest's post to Slack is bounded by its timeout
                await self.scheduler.send_now(adhoc)
        except ChannelGone as gone:
            raise UserError(
                f"I cannot post in this channel: {gone.reason}",
                "invite me with /invite @backupbot, then try again",
            ) from None

    async def _list(self, kind: str, body: dict[str, Any]) -> None:
        found = [
            s for s in await self.store.subscriptions(channel_id=_channel(body)) if s.kind == kind
        ]
        plural = PLURALS[kind]
        if not found:
            text = f"No {plural} in this channel. Add one with `/backups {kind} add [TARGET ...]`."
        else:
            text = f"*{plural.capitalize()} in this channel*\n" + "\n".join(
                self._describe(s) for s in found
            )
        await self.delivery.respond(body, View.of([mrkdwn_section(text)], plural), ephemeral=True)

    def _describe(self, subscription: Subscription) -> str:
        when = (
            f" at {_clock(subscription)} ({subscription.timezone})"
            if subscription.kind == "digest"
            else ""
        )
        who = (
            "the config file"
            if subscription.origin == "config"
            else f"<@{subscription.created_by}>"
        )
        line = f"#{subscription.id} {_scope(subscription)}{when} · by {who}"
        if not subscription.enabled:
            line += f" · :no_entry: off: {subscription.disabled_reason}"
        return line

    async def _remove(self, kind: str, subscription_id: int, body: dict[str, Any]) -> None:
        subscription = await self.store.get(subscription_id)
        if (
            subscription is None
            or subscription.kind != kind
            or subscription.channel_id != _channel(body)
        ):
            raise UserError(
                f"there is no {kind} #{subscription_id} in this channel",
                f"see this channel's {kind}s with /backups {kind} list",
            )
        if subscription.origin == "config":
            raise UserError(
                f"{kind} #{subscription_id} is declared in the config file",
                "remove it there (BACKUPBOT_DIGESTS_FILE) and restart backupbot",
            )
        await self.store.remove(subscription_id)
        self._audit("removed", subscription, body)
        await self._confirm(
            body,
            f":wastebasket: <@{_user(body)}> removed {kind} #{subscription_id} "
            f"({_scope(subscription)}).",
            f"{kind.capitalize()} #{subscription_id} removed",
        )


def home_lines(subscriptions: list[Subscription]) -> list[str]:
    """Digests and watches for App Home, one line each."""
    lines = []
    for subscription in subscriptions:
        state = "" if subscription.enabled else f" · :no_entry: off: {subscription.disabled_reason}"
        when = (
            f" daily at {_clock(subscription)} ({subscription.timezone})"
            if subscription.kind == "digest"
            else " watching"
        )
        lines.append(
            f"{subscription.kind} #{subscription.id} in <#{subscription.channel_id}>: "
            f"{_scope(subscription)}{when}{state}"
        )
    return lines
