"""`backupbot backup INSTANCE [--description TEXT] [--yes] [--wait]`: a backup taken by
hand from the command line, by the same rules and the same exactly-once path as Slack's.

The command line has no click: what confirms is `--yes`. Without it the command shows
what would be done (the instance, its status, its last good backup, the new name) and
sends nothing, so a script never takes a backup by accident and a person reads before
repeating with `--yes`. No interactive prompt: the command behaves the same in a
terminal, a script and CI. The Slack access rules do not apply (they are about Slack
users); whoever runs it has the cloud credentials, and the audit log says who (the
login name). `--wait` follows the job to its end, printing each change.
"""

from __future__ import annotations

import asyncio
import getpass
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, timedelta

from bot import messages
from bot.app.engines import open_engines
from bot.app.state_store import open_store
from bot.config import Settings
from bot.core.answering.engine import Engines
from bot.core.backup_action import BackupRequest, Starter, backup_name, check_description
from bot.core.clock import utc_now
from bot.core.human import human_duration, human_size
from bot.core.language.commands import BackupCommand, parse_command
from bot.errors import QueryError, UserError
from bot.messages import catalogue
from bot.schedule.backup_actions import BackupActions, NoChannel, audit_action
from bot.schedule.store import Action, ActionRecords
from bot.schedule.store.actions import DONE, FAILED, LOST, UNKNOWN

Print = Callable[[str], None]
Confirm = Callable[[], Awaitable[bool]]


def _command(instance: str) -> BackupCommand:
    command = parse_command(f"backup {instance}")
    if not isinstance(command, BackupCommand) or command.description:
        raise QueryError(messages.BACKUP_ONE_INSTANCE, messages.BACKUP_EXAMPLE_HINT)
    return command


def who_started(starter: Starter) -> str:
    """Who started a backup, as the command line says it: plain text, never a mention."""
    if starter.in_slack:
        return messages.slack_user(starter.user)
    return messages.on_the_command_line(starter.user)


def _line(action: Action) -> str:
    """The action as it stands, in one line."""
    request = action.request
    if action.state == DONE:
        duration = human_duration(action.minutes)
        if action.size_mb is None:
            return messages.backup_completed_size_unknown(request.instance_name, duration)
        return messages.backup_completed(
            request.instance_name, duration, human_size(action.size_mb)
        )
    if action.state == FAILED:
        if not action.reason:
            return messages.backup_failed_without_reason(request.instance_name)
        return messages.backup_failed(request.instance_name, action.reason)
    if action.state == LOST:
        return messages.backup_lost_sight(request.instance_name, action.reason or "-")
    if action.state == UNKNOWN:
        return messages.backup_outcome_unknown(request.name)
    if action.reason:
        return messages.backup_lost_sight(request.instance_name, action.reason)
    if action.progress:
        return messages.backup_running(action.progress)
    return messages.backup_job_started(request.name, request.instance_name, action.job_id or "-")


async def take_backup(
    settings: Settings,
    *,
    instance: str,
    description: str,
    yes: bool,
    wait: bool,
    simulator: bool,
    out: Print = print,
    pause: float = 5.0,
) -> int:
    """Show what would be done; with `yes`, do it once (and with `wait`, follow it). The
    exit code: 0 taken (or shown), 1 when the backup failed or could not be followed."""
    command = _command(instance)

    async def confirmed() -> bool:
        if not yes:
            out(messages.ASKED_WITHOUT_CONFIRMING)
        return yes

    store = open_store(settings)
    try:
        async with open_engines(settings, simulator=simulator) as engines:
            asked = Asked(command=command, description=description, user=getpass.getuser())
            return await backup_once(
                engines, store.actions, asked=asked, confirm=confirmed, wait=wait, out=out,
                pause=pause, lease=timedelta(seconds=settings.claim_lease_seconds),
            )  # fmt: skip
    finally:
        store.close()


@dataclass(frozen=True)
class Asked:
    """A backup asked for without Slack: of what, described how, by which login."""

    command: BackupCommand
    description: str
    user: str


async def backup_once(
    engines: Engines,
    records: ActionRecords,
    *,
    asked: Asked,
    confirm: Confirm,
    wait: bool,
    out: Print,
    pause: float,
    lease: timedelta,
) -> int:
    """The command line's and the terminal demo's one path: what would be done shown, then,
    if `confirm` says so, done once (and with `wait`, followed to its end)."""
    description = check_description(asked.description)
    actions = BackupActions(
        records=records, engines=engines, outbox=NoChannel(), clock=utc_now,
        worker=f"cli:{socket.gethostname()}:{os.getpid()}", lease=lease,
    )  # fmt: skip
    ready = await actions.readiness(asked.command.targets, name_of=who_started)
    label = ready.instance.label
    now = utc_now()
    request = BackupRequest(
        confirmation=uuid.uuid4().hex, profile=asked.command.targets.profile,
        instance_id=ready.instance.id, instance_name=label, name=backup_name(label, now),
        description=description, team="", channel="", user=asked.user, asked_at=now,
        expires_at=now,
    )  # fmt: skip
    good = ready.last_good
    out(messages.confirm_title(label))
    out(messages.instance_status_line(ready.status_words))
    if good is None:
        when = messages.NO_GOOD_BACKUP
    else:
        at = catalogue.moment(good.begin_time.astimezone(UTC), messages.UTC_STAMP_OTHER_DAY)
        when = messages.last_good_at_utc(at)
    out(messages.last_good_line(when))
    out(messages.new_name_line(request.name))
    if description:
        out(messages.description_line(description))
    if not await confirm():
        return 0
    audit_action("requested", request)
    action = await actions.take(request)
    if action is None:  # a fresh confirmation cannot have been claimed
        raise UserError(messages.ALREADY_CONFIRMED)
    shown = _line(action)
    out(shown)
    while wait and not action.finished:
        await asyncio.sleep(pause)  # between two looks at the job, as a tick would
        await actions.follow(only=request.confirmation)
        action = await records.get(request.confirmation) or action
        if _line(action) != shown:
            shown = _line(action)
            out(shown)
    return 0 if action.state == DONE or not action.finished else 1
