"""The scheduler's outbox in Slack: digests and incidents posted through Delivery, whose
failures the scheduler tells apart by class: a channel that is gone (turn the subscription
off), a message that cannot be updated (go on without it), a failure worth a retry; and
the one message of each backup taken by hand (SlackActionOutbox)."""

from __future__ import annotations

from dataclasses import dataclass

from bot import messages
from bot.core.clock import Clock
from bot.errors import MessageGone
from bot.schedule.outbox import DigestContent, Incident, Transition
from bot.schedule.store import Action, Subscription
from bot.slack.blocks import View
from bot.slack.button_state import ButtonCodec
from bot.slack.delivery import Delivery
from bot.slack.views.alerts import (
    incident_view,
    transition_view,
    turned_off_view,
    unwatched_view,
)
from bot.slack.views.backup_views import action_view
from bot.slack.views.digests import digest_view


@dataclass(frozen=True, kw_only=True)
class SlackOutbox:
    """Posts what the scheduler sends through Delivery (chat.postMessage, 429s retried)."""

    delivery: Delivery
    codec: ButtonCodec
    clock: Clock
    simulated: bool

    async def _post(self, channel: str, view: View, *, thread_ts: str | None = None) -> str:
        return await self.delivery.post(channel, view, thread_ts=thread_ts)

    async def digest(self, content: DigestContent) -> str:
        """Post a digest to its channel."""
        view = digest_view(content, codec=self.codec, now=self.clock(), simulated=self.simulated)
        return await self._post(content.subscription.channel_id, view)

    async def incident(self, subscription: Subscription, incident: Incident) -> str:
        """Post an incident's first message to the watch's channel; its ts."""
        view = incident_view(subscription, incident, simulated=self.simulated)
        return await self._post(incident.channel_id or subscription.channel_id, view)

    async def incident_update(self, subscription: Subscription, incident: Incident) -> None:
        """Show an incident's state now in its first message (chat.update)."""
        if incident.message_ts is None:
            raise MessageGone(messages.NO_MESSAGE_YET)
        view = incident_view(subscription, incident, simulated=self.simulated)
        channel = incident.channel_id or subscription.channel_id
        await self.delivery.update(channel, incident.message_ts, view)

    async def incident_unwatched(
        self, subscription: Subscription, incident: Incident, why: str
    ) -> None:
        """Say in an incident's first message that no watch follows it any more (chat.update)."""
        if incident.message_ts is None:
            raise MessageGone(messages.NO_MESSAGE_YET)
        view = unwatched_view(incident, why, simulated=self.simulated)
        channel = incident.channel_id or subscription.channel_id
        await self.delivery.update(channel, incident.message_ts, view)

    async def incident_change(
        self, subscription: Subscription, incident: Incident, transition: Transition
    ) -> str:
        """Post one change of an incident as a reply in its first message's thread; its ts."""
        view = transition_view(subscription, incident, transition, simulated=self.simulated)
        channel = incident.channel_id or subscription.channel_id
        return await self._post(channel, view, thread_ts=incident.message_ts)

    async def withdraw(self, channel: str, message: str) -> None:
        """Delete a message backupbot posted (chat.delete)."""
        await self.delivery.delete(channel, message)

    async def disabled(self, subscription: Subscription, reason: str) -> None:
        """DM the creator that their digest or watch was turned off."""
        if not subscription.created_by.startswith(("U", "W")):
            return  # declared in the config file: nobody to tell but the logs
        await self._post(subscription.created_by, turned_off_view(subscription, reason))


@dataclass(frozen=True, kw_only=True)
class SlackActionOutbox:
    """Tells backups taken by hand in their channel: one message, updated in place."""

    delivery: Delivery
    codec: ButtonCodec
    clock: Clock
    simulated: bool

    def _view(self, action: Action) -> View:
        return action_view(action, codec=self.codec, now=self.clock(), simulated=self.simulated)

    async def action_post(self, action: Action) -> str:
        """Post the backup's message in the channel it was asked in; its ts."""
        return await self.delivery.post(action.request.channel, self._view(action))

    async def action_update(self, action: Action) -> None:
        """Show the backup as it is now in its message (chat.update)."""
        if action.message_ts is None:
            raise MessageGone(messages.NO_MESSAGE_YET)
        await self.delivery.update(action.request.channel, action.message_ts, self._view(action))
