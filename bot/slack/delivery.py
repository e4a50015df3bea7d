"""Getting a view in front of people: response_url first, the Web API when it cannot.

A `response_url` may be used 5 times within 30 minutes; past that (or when Slack refuses
it, or does not answer within BACKUPBOT_SLACK_TIMEOUT) answers go through the bot token:
`chat.postEphemeral`, `chat.postMessage` or `chat.update`. The Web API client retries 429s
after `Retry-After`, within BACKUPBOT_SLACK_TIMEOUT (bot/slack/webapi.py). Every message
backupbot posts, answers and scheduled ones alike, goes through here, and Slack's refusals
are counted here; whatever fails raises the delivery group of the error tree
(`webapi.slack_errors`): a ChannelGone, a MessageGone, a DeliveryFailed.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from cachetools import TTLCache
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.core.clock import Clock
from bot.errors import DeliveryError, PlatformUnreachable
from bot.metrics import Metrics
from bot.slack.asker import Asker
from bot.slack.blocks import View
from bot.slack.webapi import slack_errors

log = logging.getLogger("backupbot.slack")
RESPONSE_URL_USES = 5
RESPONSE_URL_LIFETIME = timedelta(minutes=30)
# Uses are counted for this many recent response URLs (under 400 B each). One forgotten
# early costs nothing worse than Slack refusing a sixth use: then the Web API answers.
RESPONSE_URL_ENTRIES = 10_000


class Delivery:
    """Sends views, counting response_url uses and falling back to the Web API."""

    def __init__(self, *, client: AsyncWebClient, clock: Clock, metrics: Metrics) -> None:
        self.client = client
        self.metrics = metrics
        self._clock = clock
        self._uses: TTLCache[str, tuple[Any, int]] = TTLCache(
            maxsize=RESPONSE_URL_ENTRIES, ttl=RESPONSE_URL_LIFETIME.total_seconds()
        )

    def _take_use(self, url: str) -> bool:
        """Count one use of `url`; False once it is spent or too old."""
        now = self._clock()
        first, count = self._uses.get(url, (now, 0))
        if count >= RESPONSE_URL_USES or now - first >= RESPONSE_URL_LIFETIME:
            return False
        self._uses[url] = (first, count + 1)
        return True

    @contextlib.contextmanager
    def _calling(self, method: str, *, updating: bool = False) -> Iterator[None]:
        """A Web API call: its failures translated (`slack_errors`), its refusals counted."""
        try:
            with slack_errors(updating=updating):
                yield
        except PlatformUnreachable:
            raise
        except DeliveryError as refused:
            self.metrics.slack_errors.labels(method, refused.code).inc()
            raise

    def _webhook(self, url: str) -> AsyncWebhookClient:
        # The Web API client's session: bounded by BACKUPBOT_SLACK_TIMEOUT once started.
        return AsyncWebhookClient(url, session=self.client.session)

    async def _respond(self, asker: Asker, view: View, **options: Any) -> bool:
        url = asker.response_url
        if not url or not self._take_use(url):
            return False
        try:
            with slack_errors():
                response = await self._webhook(url).send(
                    text=view.text, blocks=view.blocks, **options
                )
        except PlatformUnreachable as error:
            log.warning("response_url failed (%r): using the Web API", error.__cause__)
            return False
        if response.status_code == 200:
            return True
        log.warning(
            "response_url refused (%s %s): using the Web API", response.status_code, response.body
        )
        return False

    async def respond(
        self, asker: Asker, view: View, *, ephemeral: bool, replace: bool = False
    ) -> None:
        """Answer `asker`, visibly to them only if `ephemeral`."""
        options: dict[str, Any] = {
            "response_type": "ephemeral" if ephemeral else "in_channel",
            "replace_original": replace,
        }
        if await self._respond(asker, view, **options):
            return
        if ephemeral:
            await self.ephemeral(channel=asker.channel, user=asker.user, view=view)
        else:
            await self.post(asker.channel, view)

    async def replace(self, asker: Asker, view: View, *, message_ts: str | None) -> None:
        """Replace the message whose button was clicked (`message_ts`; None: ephemeral)."""
        if await self._respond(asker, view, replace_original=True):
            return
        if message_ts is None:
            await self.ephemeral(channel=asker.channel, user=asker.user, view=view)
            return
        await self.update(asker.channel, message_ts, view)

    async def share(self, asker: Asker, view: View) -> None:
        """Post an answer for everyone in the channel, then remove the private copy."""
        if await self._respond(asker, view, response_type="in_channel", replace_original=False):
            url = asker.response_url
            if url and self._take_use(url):
                try:
                    with slack_errors():
                        await self._webhook(url).send(delete_original=True)
                except PlatformUnreachable as error:
                    # shared already: a private copy left behind is not worth an error
                    log.warning("could not remove the private copy (%r)", error.__cause__)
            return
        await self.post(asker.channel, view)

    async def post(self, channel: str, view: View, *, thread_ts: str | None = None) -> str:
        """A message for everyone in `channel` (in a thread if `thread_ts`); its ts."""
        with self._calling("chat.postMessage"):
            response = await self.client.chat_postMessage(
                channel=channel, text=view.text, blocks=view.blocks, thread_ts=thread_ts
            )
        return str(response.get("ts", ""))

    async def update(self, channel: str, ts: str, view: View) -> None:
        """Replace the message `ts` of `channel` with `view` (chat.update)."""
        with self._calling("chat.update", updating=True):
            await self.client.chat_update(
                channel=channel, ts=ts, text=view.text, blocks=view.blocks
            )

    async def delete(self, channel: str, ts: str) -> None:
        """Delete the message `ts` of `channel` (chat.delete: the bot's own messages only)."""
        with self._calling("chat.delete", updating=True):
            await self.client.chat_delete(channel=channel, ts=ts)

    async def ephemeral(
        self, *, channel: str, user: str, view: View, thread_ts: str | None = None
    ) -> None:
        """A message only `user` sees; in a DM-less context, log if Slack refuses."""
        try:
            with self._calling("chat.postEphemeral"):
                await self.client.chat_postEphemeral(
                    channel=channel, user=user, text=view.text, blocks=view.blocks,
                    thread_ts=thread_ts,
                )  # fmt: skip
        except PlatformUnreachable:
            raise
        except DeliveryError as refused:
            log.warning("chat.postEphemeral failed: %s", refused.code)
            raise

    async def publish_home(self, user: str, view: dict[str, Any]) -> None:
        """Publish `user`'s App Home (views.publish)."""
        with slack_errors():
            await self.client.views_publish(user_id=user, view=view)
