"""Bolt's listeners: acknowledge at once, read who asked what where, hand the work over.

Who and where come from Bolt's context (team, user, channel); each listener turns its
payload into an Asker, a call and the reply its failures get, and starts the work as a
background task under the Guard. The answer then goes through `response_url` (or the
Web API for mentions, DMs and exhausted response URLs).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.asker import Asker, Click
from bot.slack.blocks import ACTIONS, View
from bot.slack.delivery import Delivery
from bot.slack.events import EventClaims
from bot.slack.guard import Guard, Reply
from bot.slack.home import Home
from bot.slack.questions import Questions
from bot.slack.tasks import BackgroundTasks


def bolt_app(*, client: AsyncWebClient) -> AsyncApp:
    """The Bolt app. It verifies no signature itself: over HTTP the route does, with every
    signing secret accepted during a rotation (`bot/slack/signing.py`); Socket Mode
    requests come over backupbot's own connection."""
    return AsyncApp(
        client=client,
        signing_secret="",  # not read from the environment: nothing here verifies with it
        request_verification_enabled=False,
        process_before_response=False,
        logger=logging.getLogger("backupbot.bolt"),
    )


def _asker(
    context: AsyncBoltContext, kind: str, text: str, *, response_url: str | None = None
) -> Asker:
    """Who asked, from Bolt's context (read from whichever payload it was)."""
    return Asker(
        kind=kind,
        team=str(context.team_id or ""),
        user=str(context.user_id or ""),
        channel=str(context.channel_id or ""),
        text=text,
        response_url=response_url,
    )


def strip_mention(text: str) -> str:
    """Drop the leading `<@U123>` of a mention."""
    words = text.split()
    while words and words[0].startswith("<@") and words[0].endswith(">"):
        words.pop(0)
    return " ".join(words)


@dataclass(frozen=True, kw_only=True)
class Listeners:
    """The listeners of one Bolt app, over the work they hand requests to."""

    questions: Questions
    home: Home
    events: EventClaims
    guard: Guard
    tasks: BackgroundTasks
    delivery: Delivery

    def register(self, app: AsyncApp) -> None:
        """Listen to /backups, mentions, DMs, App Home and every button of ours."""
        app.command("/backups")(self.command)
        app.event("app_mention")(self.mention)
        app.event("message")(self.message)
        app.event("app_home_opened")(self.home_opened)
        for action_id in ACTIONS:
            app.action(action_id)(self.action)

    async def command(
        self, ack: AsyncAck, command: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        """`/backups ...`: answered only to the asker, like its mistakes."""
        await ack()
        asker = _asker(
            context, "command", str(command.get("text", "")), response_url=context.response_url
        )
        self.tasks.spawn(
            self.guard.run(self.questions.command(asker), reply=self._privately(asker), asker=asker)
        )

    async def mention(
        self, body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        """@backupbot in a channel: answered in the thread; mistakes to the asker alone."""
        if await self.events.duplicate(str(body.get("event_id", ""))):
            return
        asker = _asker(context, "mention", strip_mention(str(event.get("text", ""))))
        thread_ts = str(event.get("thread_ts") or event.get("ts", ""))

        async def reply(view: View) -> None:
            await self.delivery.ephemeral(
                channel=asker.channel, user=asker.user, view=view, thread_ts=thread_ts
            )

        work = self.questions.mention(asker, thread_ts=thread_ts)
        self.tasks.spawn(self.guard.run(work, reply=reply, asker=asker))

    async def message(
        self, body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        """A direct message to backupbot (other messages are not ours): answered there."""
        if event.get("channel_type") != "im" or event.get("bot_id") or event.get("subtype"):
            return
        if await self.events.duplicate(str(body.get("event_id", ""))):
            return
        asker = _asker(context, "dm", strip_mention(str(event.get("text", ""))))

        async def reply(view: View) -> None:
            await self.delivery.post(asker.channel, view)

        work = self.questions.direct_message(asker)
        self.tasks.spawn(self.guard.run(work, reply=reply, asker=asker))

    async def home_opened(
        self, body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        """The App Home tab opened: published for this user."""
        if event.get("tab") not in (None, "home"):
            return
        if await self.events.duplicate(str(body.get("event_id", ""))):
            return
        self.tasks.spawn(self.home.publish(str(context.team_id or ""), str(context.user_id or "")))

    async def action(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        context: AsyncBoltContext,
    ) -> None:
        """One of our buttons: its answer, and its mistakes, to the clicker."""
        await ack()
        action_id = str(action.get("action_id", ""))
        asker = _asker(context, "click", action_id, response_url=context.response_url)
        container = body.get("container", {})
        ephemeral = bool(container.get("is_ephemeral"))
        click = Click(
            action_id=action_id,
            value=str(action.get("value", "")),
            ephemeral=ephemeral,
            message_ts=None if ephemeral else (str(container.get("message_ts") or "") or None),
        )
        work = self.questions.click(asker, click)
        self.tasks.spawn(self.guard.run(work, reply=self._privately(asker), asker=asker))

    def _privately(self, asker: Asker) -> Reply:
        async def reply(view: View) -> None:
            await self.delivery.respond(asker, view, ephemeral=True, replace=False)

        return reply
