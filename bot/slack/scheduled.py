"""The scheduler's outbox in Slack: digests and alerts posted, and delivery failures told
apart: a channel that is gone (turn the subscription off) from a failure worth a retry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.core.clock import Clock
from bot.errors import ChannelGone, DeliveryFailed
from bot.schedule.outbox import Alert, DigestContent
from bot.schedule.store import Subscription
from bot.slack.blocks import View
from bot.slack.delivery import Delivery
from bot.slack.state import ButtonCodec
from bot.slack.views.alerts import alert_view, turned_off_view
from bot.slack.views.digests import digest_view
from bot.slack.webapi import error_code

GONE = {
    "channel_not_found": "the channel no longer exists or backupbot cannot see it",
    "not_in_channel": "backupbot is not a member of the channel",
    "is_archived": "the channel was archived",
}


@dataclass(frozen=True, kw_only=True)
class SlackOutbox:
    """Posts what the scheduler sends through Delivery (chat.postMessage, 429s retried)."""

    delivery: Delivery
    codec: ButtonCodec
    clock: Clock
    simulated: bool

    async def _post(self, channel: str, view: View) -> str:
        try:
            return await self.delivery.post(channel, view)
        except SlackApiError as error:
            code_ = error_code(error)
            if code_ in GONE:
                raise ChannelGone(f"{GONE[code_]} ({code_})") from error
            raise DeliveryFailed(f"Slack refused the message: {code_}") from error
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DeliveryFailed(f"could not reach Slack: {error}") from error

    async def digest(self, content: DigestContent) -> str:
        """Post a digest to its channel."""
        view = digest_view(content, codec=self.codec, now=self.clock(), simulated=self.simulated)
        return await self._post(content.subscription.channel_id, view)

    async def alert(self, subscription: Subscription, alert: Alert, *, now: datetime) -> None:
        """Post an alert to the watch's channel."""
        await self._post(
            subscription.channel_id,
            alert_view(subscription, alert, now=now, simulated=self.simulated),
        )

    async def disabled(self, subscription: Subscription, reason: str) -> None:
        """DM the creator that their digest or watch was turned off."""
        if not subscription.created_by.startswith(("U", "W")):
            return  # declared in the config file: nobody to tell but the logs
        await self._post(subscription.created_by, turned_off_view(subscription, reason))
