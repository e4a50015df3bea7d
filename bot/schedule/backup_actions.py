"""Backups taken by hand, done exactly once and followed to their end by one replica.

The protocol (STYLE.md, "Actions"): a confirmed request is claimed in the store (a row
under the confirmation's key) before the API is called; the holder marks it 'calling'
(one conditional UPDATE) and calls once. An answer lost (OutcomeUnknown) is never
repeated: the backup is looked for by its name, now and at each round, until it shows
up or `patience` runs out. A replica that dies between the claim and the call leaves a
'claimed' row, which another takes over after the lease and calls (nobody had); one
that dies after marking it 'calling' leaves a row whose outcome is looked up, never
called again.

Following is a round of the scheduler: each open action's lease is taken (renewed by
its holder, taken over once its holder went quiet), its job (or, without a job id, its
backup's row) read (bot/schedule/backup_sightings.py), and its one channel message
posted or updated in place through an ActionOutbox. A Slack that refuses or does not
answer leaves the action to be told at the next round: the final update is delayed, never
lost.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from bot import messages
from bot.core.answering.engine import Engines
from bot.core.backup import BackupStatus
from bot.core.backup_action import (
    BackupRequest,
    Namer,
    refusal,
)
from bot.core.clock import Clock
from bot.core.query import Query
from bot.errors import (
    BackupbotError,
    DeliveryError,
    DeliveryFailed,
    OutcomeUnknown,
    UpstreamError,
    UserError,
)
from bot.messages.catalogue import english, reader_locale, speaking
from bot.schedule.action_ports import (
    ActionOutbox,
    NoChannel,
    Readiness,
    audit_action,
    audit_asked,
)
from bot.schedule.backup_sightings import Sightings
from bot.schedule.store import Action, ActionRecords
from bot.schedule.store.actions import CALLING, CLAIMED, FAILED, STARTED, UNKNOWN
from bot.schedule.store.holds import Hold

log = logging.getLogger("backupbot.actions")
__all__ = [
    "ActionOutbox", "BackupActions", "NoChannel", "Readiness", "audit_action", "audit_asked",
]  # fmt: skip
PATIENCE = timedelta(minutes=10)  # to wait for a backup whose create answer was lost
Hook = Callable[[BackupRequest], Awaitable[None]]


async def _nothing(request: BackupRequest) -> None:
    """The default moment between claim and call: nothing happens there."""


@dataclass(frozen=True, kw_only=True)
class BackupActions:
    """Takes confirmed backups once and follows them (see the module's docstring).

    `before_call` runs between the claim and the call: the moment a crash is worst, so
    the replicas test stops a process there.
    """

    records: ActionRecords
    engines: Engines
    outbox: ActionOutbox
    clock: Clock
    worker: str
    lease: timedelta
    patience: timedelta = PATIENCE
    before_call: Hook = field(default=_nothing)

    @property
    def _sightings(self) -> Sightings:
        return Sightings(
            records=self.records, engines=self.engines, clock=self.clock, patience=self.patience
        )

    async def take(self, request: BackupRequest) -> Action | None:
        """Claim `request` and call the API once; the action as it then stands, told in its
        channel. None if it was claimed (or cancelled) already: nothing was done. A refusal
        of the API is recorded, audited and raised (the asker is told)."""
        now = self.clock()
        language = reader_locale()  # the clicker's: the channel's message keeps it
        if not await self.records.claim(request, worker=self.worker, now=now, language=language):
            return None
        audit_action("confirmed", request)
        await self._call(request, Hold(self.worker, now))
        action = await self.records.get(request.confirmation)
        if action is not None and action.hold.worker == self.worker:
            await self._tell(action, action.hold, changed=True)
        return action

    async def readiness(self, targets: Query, *, name_of: Namer) -> Readiness:
        """The one instance `targets` names, if a backup may be taken of it now; else the
        refusal (UserError): not normal, or a backup of it already running (who started it,
        in the asking surface's words `name_of`, and when, if backupbot did)."""
        engine = self.engines.engine(targets.profile)
        maker = self.engines.maker(targets.profile)
        reports = (await engine.health(targets.targets, refresh=True)).reports
        if len(reports) != 1:
            raise UserError(messages.SEVERAL_NAMED, messages.NAME_IT_BY_ID)
        instance = reports[0].instance
        rows = await maker.find_backups(instance_id=instance.id)
        building = [row for row in rows if row.status is BackupStatus.BUILDING]
        starters = await self.records.started_by(instance.id, [row.name for row in building])
        starter = starters.get(building[0].name) if building else None
        by = name_of(starter) if starter is not None else None
        problem = refusal(status=instance.status, building=building, busy_by=by)
        if problem is not None:
            raise problem
        return Readiness(instance, reports[0].last_good)

    async def cancel(self, request: BackupRequest) -> bool:
        """Record a Cancel; False if the confirmation was taken (or cancelled) already."""
        cancelled = await self.records.cancel(request, worker=self.worker, now=self.clock())
        if cancelled:
            audit_action("cancelled", request)
        return cancelled

    async def _call(self, request: BackupRequest, hold: Hold) -> None:
        await self.before_call(request)
        if not await self.records.calling(request.confirmation, hold):
            return  # taken over meanwhile: the new holder calls, or has
        maker = self.engines.maker(request.profile)
        try:
            started = await maker.create_backup(
                instance_id=request.instance_id, name=request.name, description=request.description
            )
        except OutcomeUnknown as lost:
            await self.records.record(request.confirmation, hold, state=UNKNOWN)
            audit_action("unknown", request, reason=str(lost))
            await self._sightings.look_up(request, hold, state=UNKNOWN, called_at=hold.since)
            return
        except UserError as refused:
            await self._refused(request, hold, refused.said)
            raise
        except UpstreamError as failed:  # any other answer of the API: a definite refusal
            await self._refused(request, hold, str(failed))
            raise
        await self.records.record(
            request.confirmation, hold, state=STARTED, backup_id=started.backup_id,
            job_id=started.job_id,
        )  # fmt: skip
        audit_action("started", request, backup_id=started.backup_id, job_id=started.job_id)

    async def _refused(self, request: BackupRequest, hold: Hold, reason: str) -> None:
        await self.records.record(
            request.confirmation, hold, state=FAILED, reason=reason, told=True,
            ended_at=self.clock(),
        )  # fmt: skip
        audit_action("refused", request, reason=reason)

    # -- following -----------------------------------------------------------------------

    async def follow(self, *, only: str | None = None) -> int:
        """One round: every open action this replica may hold moved on and told (or, with
        `only`, that confirmation's alone: the command line follows its own); how many."""
        now = self.clock()
        followed = 0
        for action in await self.records.to_follow():
            if only is not None and action.request.confirmation != only:
                continue
            # A claim, a call in flight or a first message not yet posted is its clicker's
            # until its lease lapses: renewing it here would post that message twice.
            unposted = bool(action.request.channel) and action.message_ts is None
            own = action.state not in (CLAIMED, CALLING) and not unposted
            hold = await self.records.take(
                action, worker=self.worker, now=now, stale_before=now - self.lease, own=own
            )
            if hold is None:
                continue
            followed += 1
            try:
                # Told in the clicker's language, whichever replica follows it.
                with speaking(action.language or reader_locale()):
                    await self._advance(action, hold)
            except DeliveryFailed as error:
                log.warning("backup %s not told yet: %s", action.request.name, error)
            except BackupbotError as error:  # the API refused, or could not be read: said
                log.warning("following backup %s: %s", action.request.name, english(error.said))
            except Exception:
                log.exception("following backup %s failed", action.request.name)
        return followed

    async def _advance(self, action: Action, hold: Hold) -> None:
        request = action.request
        if action.state == CLAIMED:  # its clicker died before calling: nobody called
            await self._call(request, hold)
        elif action.state in (CALLING, UNKNOWN):  # called, answer unknown: look, never call
            await self._sightings.look_up(
                request, hold, state=action.state, called_at=action.clicked_at
            )
        elif action.state == STARTED:
            await self._sightings.progress(action, hold)
        current = await self.records.get(request.confirmation)
        if current is not None and current.hold == hold:
            changed = (current.state, current.progress, current.reason) != (
                action.state, action.progress, action.reason,
            )  # fmt: skip
            await self._tell(current, hold, changed=changed)

    async def _tell(self, action: Action, hold: Hold, *, changed: bool) -> None:
        """Post the action's message, or update it; then, once it ended, say it was told."""
        if not action.request.channel or (action.state == FAILED and action.told):
            if action.finished and not action.told:
                await self.records.record(action.request.confirmation, hold, told=True)
            return
        try:
            if action.message_ts is None:
                ts = await self.outbox.action_post(action)
                await self.records.record(action.request.confirmation, hold, message_ts=ts)
            elif changed or (action.finished and not action.told):
                await self.outbox.action_update(action)
        except DeliveryFailed:
            raise  # told at the next round
        except DeliveryError as error:  # the channel or message is gone: nobody to tell
            log.warning("backup %s cannot be told: %s", action.request.name, error)
        if action.finished:
            await self.records.record(action.request.confirmation, hold, told=True)
