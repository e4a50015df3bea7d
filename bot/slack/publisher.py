"""Posting digests and alerts to Slack, and telling apart errors to give up on from retries."""

from __future__ import annotations

import logging
from datetime import datetime

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.clock import Clock
from bot.metrics import Metrics
from bot.schedule.publisher import Alert, ChannelGone, DeliveryFailed, DigestContent
from bot.schedule.store import Subscription
from bot.slack.blocks import View, code, mrkdwn_section
from bot.slack.digest_view import alert_view, digest_view
from bot.slack.state import ButtonCodec
from bot.slack.webapi import error_code

log = logging.getLogger("backupbot.slack")
GONE = {
    "channel_not_found": "the channel no longer exists or backupbot cannot see it",
    "not_in_channel": "backupbot is not a member of the channel",
    "is_archived": "the channel was archived",
}


class SlackPublisher:
    """The scheduler's way into Slack: chat.postMessage, with 429s retried by the client."""

    def __init__(
        self, *, client: AsyncWebClient, codec: ButtonCodec, clock: Clock, simulated: bool,
        metrics: Metrics,
    ) -> None:  # fmt: skip
        self.client = client
        self.codec = codec
        self.clock = clock
        self.simulated = simulated
        self.metrics = metrics

    async def _post(self, channel: str, view: View) -> str:
        try:
            response = await self.client.chat_postMessage(
                channel=channel, text=view.text, blocks=view.blocks
            )
        except SlackApiError as error:
            code_ = error_code(error)
            self.metrics.slack_errors.labels("chat.postMessage", code_).inc()
            if code_ in GONE:
                raise ChannelGone(f"{GONE[code_]} ({code_})") from error
            raise DeliveryFailed(f"Slack refused the message: {code_}") from error
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DeliveryFailed(f"could not reach Slack: {error}") from error
        return str(response.get("ts", ""))

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
        kind = subscription.kind
        scope = code(subscription.scope or "every instance")
        view = View.of(
            [
                mrkdwn_section(
                    f":no_entry: I turned off {kind} #{subscription.id} ({scope}) "
                    f"in <#{subscription.channel_id}>: "
                    f"{reason}. Invite me back with `/invite @backupbot` and add it again with "
                    f"`/backups {kind} add ...`."
                )
            ],
            f"Your {kind} #{subscription.id} was turned off: {reason}",
        )
        await self._post(subscription.created_by, view)
