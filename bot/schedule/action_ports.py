"""What a backup taken by hand shows the rooms around it: the outbox it is told through
(a Protocol, as schedule/outbox.py is the scheduler's), its audit lines, and an instance
found ready for one. bot/schedule/backup_actions.py re-exports them all."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from bot import messages
from bot.core.backup import Backup
from bot.core.backup_action import READY_STATUSES, BackupRequest
from bot.core.health.instances import Instance
from bot.schedule.store import Action

audit = logging.getLogger("backupbot.audit")


def audit_action(change: str, request: BackupRequest, **more: Any) -> None:
    """One audit line for a step of an action: who, where, which instance, and what."""
    audit_asked(
        change, team=request.team, channel=request.channel, user=request.user,
        instance=request.instance_name, instance_id=request.instance_id, backup_name=request.name,
        confirmation=request.confirmation, **more,
    )  # fmt: skip


def audit_asked(change: str, *, user: str, channel: str, instance: str, **more: Any) -> None:
    """One audit line for a request for an action (or its refusal), before it has a name."""
    audit.info(
        "%s backup of %s", change, instance,
        extra={
            "event": "action", "action": "backup", "change": change, "user": user,
            "channel": channel, "instance": instance, **more,
        },
    )  # fmt: skip


@dataclass(frozen=True)
class Readiness:
    """An instance a backup may be taken of now: its row, and its last good backup."""

    instance: Instance
    last_good: Backup | None

    @property
    def status_words(self) -> str:
        """Its status as a person reads it ("normal (ACTIVE)" when it is)."""
        if self.instance.status.strip().upper() in READY_STATUSES:
            return messages.normal_status(self.instance.status)
        return self.instance.status_words


class ActionOutbox(Protocol):
    """Where an action is told: its one message in its channel (Slack's is
    bot/slack/slack_outbox.py's SlackActionOutbox). Raises DeliveryFailed to be retried, another
    DeliveryError when the message cannot be told at all."""

    async def action_post(self, action: Action) -> str:
        """Post the action's message in its channel; the message's id."""
        ...

    async def action_update(self, action: Action) -> None:
        """Show the action as it is now in its message."""
        ...


class NoChannel:
    """The outbox of requests that name no channel (the command line, tests): `_tell`
    never calls it."""

    async def action_post(self, action: Action) -> str:
        raise AssertionError("unreachable")

    async def action_update(self, action: Action) -> None:
        raise AssertionError("unreachable")
