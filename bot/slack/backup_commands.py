"""`/backups backup INSTANCE ["description"]` and its confirmation's two buttons.

Asked in words, confirmed by the asker's own click, allowed by an explicit rule (checked
at the command and again at the click), done once (bot/schedule/backup_actions.py),
audited at each step. The confirmation's buttons carry the whole request, sealed like
the paging buttons (bot/slack/button_state.py): any replica can act on the click, for
ten minutes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot import messages
from bot.core.answering.engine import Engines
from bot.core.backup_action import BackupRequest, backup_name, check_description
from bot.core.clock import Clock
from bot.core.language.commands import BackupCommand
from bot.core.query import Query, Target
from bot.errors import AccessDenied, StaleButton, UserError
from bot.messages.catalogue import english
from bot.schedule.backup_actions import BackupActions, audit_action, audit_asked
from bot.schedule.store.actions import CANCELLED
from bot.slack.access import AccessPolicy, Request
from bot.slack.asker import Asker, Click
from bot.slack.blocks import ACTION_CANCEL_BACKUP, View
from bot.slack.button_state import ButtonCodec
from bot.slack.delivery import Delivery
from bot.slack.views.backup_views import confirmation_view, note_view, who_started

SEALED = "backup1"  # the kind of a sealed confirmation (button_state.seal)
EXPIRES_AFTER = timedelta(minutes=10)
ACTION = "backup"  # the access rules' word for it
Slot = Callable[[], AbstractAsyncContextManager[None]]


def _unescaped(text: str) -> str:
    """What the user typed: Slack sends `&`, `<` and `>` as entities."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def sealed_fields(request: BackupRequest) -> dict[str, str | int]:
    """A request as its confirmation's buttons carry it."""
    return {
        "c": request.confirmation, "p": request.profile or "", "i": request.instance_id,
        "n": request.instance_name, "b": request.name, "d": request.description,
        "t": request.team, "h": request.channel, "u": request.user,
        "a": int(request.asked_at.timestamp()), "e": int(request.expires_at.timestamp()),
    }  # fmt: skip


def request_of(fields: dict[str, Any]) -> BackupRequest:
    """The request a confirmation's button carries; StaleButton if it is not one."""
    try:
        text = {key: fields[key] for key in "cpinbdthu"}
        if not all(isinstance(value, str) for value in text.values()):
            raise TypeError
        asked, expires = int(fields["a"]), int(fields["e"])
    except (KeyError, TypeError, ValueError):
        raise StaleButton(messages.STALE_BUTTON, messages.ASK_AGAIN) from None
    return BackupRequest(
        confirmation=text["c"], profile=text["p"] or None, instance_id=text["i"],
        instance_name=text["n"], name=text["b"], description=text["d"], team=text["t"],
        channel=text["h"], user=text["u"], asked_at=datetime.fromtimestamp(asked, UTC),
        expires_at=datetime.fromtimestamp(expires, UTC),
    )  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class BackupCommands:
    """Asks for a backup's confirmation, and acts on its buttons."""

    actions: BackupActions
    engines: Engines
    policy: AccessPolicy
    delivery: Delivery
    codec: ButtonCodec
    clock: Clock
    slot: Slot
    simulated: bool

    async def _allowed(self, asker: Asker, profile: str | None) -> None:
        """Refuse, unless a rule grants taking backups to this asker here."""
        request = Request(
            team=asker.team or self.policy.home_team,
            channel=asker.channel,
            user=asker.user,
            profile=profile or self.engines.default,
        )
        if not await self.policy.allows_action(request, ACTION):
            raise AccessDenied(messages.NOT_ALLOWED_TO_BACK_UP, messages.ASK_FOR_THE_BACKUP_RULE)

    async def ask(self, command: BackupCommand, asker: Asker, *, thread_ts: str | None) -> None:
        """The confirmation, to the asker alone; a refusal before it is raised (and audited)."""
        target = command.targets.targets[0].value
        try:
            await self._allowed(asker, command.targets.profile)
            description = check_description(_unescaped(command.description))
            async with self.slot():
                ready = await self.actions.readiness(command.targets, name_of=who_started)
        except UserError as refused:
            audit_asked("refused", user=asker.user, channel=asker.channel, instance=target,
                        reason=english(refused.said))  # fmt: skip
            raise
        now = self.clock()
        instance = ready.instance
        request = BackupRequest(
            confirmation=uuid.uuid4().hex, profile=command.targets.profile,
            instance_id=instance.id, instance_name=instance.label,
            name=backup_name(instance.label, now), description=description, team=asker.team,
            channel=asker.channel, user=asker.user, asked_at=now, expires_at=now + EXPIRES_AFTER,
        )  # fmt: skip
        audit_action("requested", request)
        view = confirmation_view(
            instance=instance.label,
            status=ready.status_words,
            last_good=ready.last_good,
            name=request.name,
            description=description,
            value=self.codec.seal(SEALED, sealed_fields(request)),
            simulated=self.simulated,
        )
        await self._privately(asker, view, thread_ts=thread_ts)

    async def _privately(self, asker: Asker, view: View, *, thread_ts: str | None) -> None:
        if thread_ts is None:
            await self.delivery.respond(asker, view, ephemeral=True)
        else:
            await self.delivery.ephemeral(
                channel=asker.channel, user=asker.user, view=view, thread_ts=thread_ts
            )

    async def click(self, asker: Asker, click: Click) -> None:
        """Take backup, or Cancel: only the asker's click counts, once, within 10 minutes."""
        request = request_of(self.codec.unseal(SEALED, click.value))
        if asker.user != request.user:
            audit_action("refused", request, clicked_by=asker.user, reason="not_the_asker")
            raise UserError(messages.NOT_YOUR_CONFIRMATION, messages.ASK_FOR_YOUR_OWN)
        if click.action_id == ACTION_CANCEL_BACKUP:
            await self._cancel(asker, request)
            return
        if request.expired(self.clock()):
            audit_action("refused", request, reason="expired")
            raise UserError(messages.CONFIRMATION_EXPIRED, messages.ASK_AGAIN_FOR_A_BACKUP)
        if await self._answered(asker, request):
            return
        targets = Query(targets=(Target("instance_id", request.instance_id),))
        try:
            await self._allowed(asker, request.profile)
            async with self.slot():
                await self.actions.readiness(
                    Query(targets.targets, profile=request.profile), name_of=who_started
                )
        except UserError as refused:
            # A double click can find the backup its first click started: that is no refusal.
            if await self._answered(asker, request):
                return
            audit_action("refused", request, reason=english(refused.said))
            raise
        await self.delivery.replace(asker, note_view(messages.BACKING_UP_NOW), message_ts=None)
        if await self.actions.take(request) is None:
            await self._answered(asker, request)

    async def _cancel(self, asker: Asker, request: BackupRequest) -> None:
        if await self.actions.cancel(request):
            await self.delivery.replace(asker, note_view(messages.CANCELLED_NOTE), message_ts=None)
            return
        await self._answered(asker, request)

    async def _answered(self, asker: Asker, request: BackupRequest) -> bool:
        """Tell the asker a confirmation was answered already (taken or cancelled)."""
        existing = await self.actions.records.get(request.confirmation)
        if existing is None:
            return False
        said = (
            messages.ALREADY_CANCELLED
            if existing.state == CANCELLED
            else messages.ALREADY_CONFIRMED
        )
        await self.delivery.respond(asker, note_view(said), ephemeral=True)
        return True
