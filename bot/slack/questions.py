"""A command, a mention, a DM or a click, answered end to end: checked against the access
rules, worked out in a work slot, and delivered where it was asked.

Looking up the asker's time zone and delivering the answer happen outside the slot, so
a slow Slack holds back nobody else's answer (bot/slack/tasks.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.core.language.commands import (
    BackupCommand,
    Command,
    HealthCommand,
    HelpCommand,
    QueryCommand,
    RestoreCommand,
)
from bot.slack.answers import Answers, Outcome
from bot.slack.asker import Asker, Click
from bot.slack.backup_commands import BackupCommands
from bot.slack.blocks import ACTION_RUN, ACTION_SHARE, BACKUP_ACTIONS
from bot.slack.delivery import Delivery
from bot.slack.permissions import Permissions
from bot.slack.subscription_commands import SubscriptionCommands
from bot.slack.tasks import BackgroundTasks
from bot.slack.users import SlackUsers


@dataclass(frozen=True, kw_only=True)
class Questions:
    """What each kind of request gets, and where the answer goes."""

    answers: Answers
    permissions: Permissions
    users: SlackUsers
    tasks: BackgroundTasks
    delivery: Delivery
    subscriptions: SubscriptionCommands
    backups: BackupCommands

    async def command(self, asker: Asker) -> Outcome | None:
        """`/backups ...`: an answer only the asker sees (help, health, a question), or a
        digest or watch change."""
        command, zone = await self._checked(asker)
        if isinstance(command, BackupCommand):
            await self.backups.ask(command, asker, thread_ts=None)
            return None
        if not isinstance(command, HelpCommand | QueryCommand | HealthCommand | RestoreCommand):
            await self.subscriptions.handle(command, asker, zone)
            return None
        async with self.tasks.slot():
            outcome = await self.answers.for_command(command, zone=zone, shareable=True)
        await self.delivery.respond(asker, outcome.view, ephemeral=True)
        return outcome

    async def mention(self, asker: Asker, *, thread_ts: str) -> Outcome | None:
        """@backupbot in a channel: the answer in the thread, for everyone (a backup's
        confirmation there, for the asker alone)."""
        command, zone = await self._checked(asker)
        if isinstance(command, BackupCommand):
            await self.backups.ask(command, asker, thread_ts=thread_ts)
            return None
        async with self.tasks.slot():
            outcome = await self.answers.for_command(command, zone=zone, shareable=False)
        await self.delivery.post(asker.channel, outcome.view, thread_ts=thread_ts)
        return outcome

    async def direct_message(self, asker: Asker) -> Outcome | None:
        """A DM to backupbot: the answer in the DM (a backup's confirmation there too, as
        chat.postEphemeral takes an IM channel: the same path as the slash command's)."""
        command, zone = await self._checked(asker)
        if isinstance(command, BackupCommand):
            await self.backups.ask(command, asker, thread_ts=None)
            return None
        async with self.tasks.slot():
            outcome = await self.answers.for_command(command, zone=zone, shareable=False)
        await self.delivery.post(asker.channel, outcome.view)
        return outcome

    async def _checked(self, asker: Asker) -> tuple[Command, ZoneInfo]:
        """What was asked, once the access rules allow it, and the asker's time zone."""
        command = self.answers.parse(asker.text)
        await self.permissions.check(asker, await self.permissions.profile_of(command, asker))
        return command, await self.users.zone_of(asker.user)

    async def click(self, asker: Asker, click: Click) -> Outcome | None:
        """A button: the next page, a refresh, one backup, a share, a digest's question, a
        backup's confirmation."""
        action_id = click.action_id
        if action_id in BACKUP_ACTIONS:
            await self.backups.click(asker, click)
            return None
        await self.permissions.check(asker, self.answers.profile_of_button(click.value))
        zone = await self.users.zone_of(asker.user)
        shareable = action_id == ACTION_RUN or (action_id != ACTION_SHARE and click.ephemeral)
        async with self.tasks.slot():
            outcome = await self.answers.for_click(
                action_id,
                click.value,
                zone=zone,
                shareable=shareable,
                shared_by=asker.user if action_id == ACTION_SHARE else None,
            )
        if action_id == ACTION_SHARE:
            await self.delivery.share(asker, outcome.view)
        elif action_id == ACTION_RUN:  # from a digest: an answer for the clicker only
            await self.delivery.respond(asker, outcome.view, ephemeral=True)
        else:
            await self.delivery.replace(asker, outcome.view, message_ts=click.message_ts)
        return outcome
