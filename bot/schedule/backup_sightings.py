"""What following a backup taken by hand learns at each round, and records: its job, its
own row in the listing, or (after a create whose answer was lost) a backup of its name.

Nothing here depends on a guess about the API: a job it will not show is followed by the
backup's row, a listing it cannot read decides nothing, and a backup seen neither way
for FOLLOW_FOR (bot/core/backup_action.py) is no longer followed: it ends as LOST, in
words. Everything recorded is one conditional write on the holder's lease
(bot/schedule/store/actions.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from bot import messages
from bot.core.answering.engine import Engines
from bot.core.backup import Backup, BackupStatus
from bot.core.backup_action import FOLLOW_FOR, BackupRequest, JobStatus, lost_sight, past_grace
from bot.core.clock import Clock
from bot.errors import UpstreamError
from bot.schedule.action_ports import audit_action
from bot.schedule.store import Action, ActionRecords
from bot.schedule.store.actions import CALLING, DONE, FAILED, LOST, STARTED, UNKNOWN
from bot.schedule.store.holds import Hold

log = logging.getLogger("backupbot.actions")
T = TypeVar("T")
FOLLOW_MINUTES = int(FOLLOW_FOR.total_seconds() // 60)


async def _read(call: Awaitable[T]) -> T | None:
    """What the API answers, or None when it cannot be read now (said in the log): following
    goes on from what else can be read."""
    try:
        return await call
    except UpstreamError as error:
        log.warning("following a backup: %s", error)
        return None


@dataclass(frozen=True, kw_only=True)
class Sightings:
    """One look at a backup being followed, recorded under the holder's lease."""

    records: ActionRecords
    engines: Engines
    clock: Clock
    patience: timedelta

    async def look_up(
        self, request: BackupRequest, hold: Hold, *, state: str, called_at: datetime
    ) -> None:
        """Find the backup a call whose answer was lost may have made, by its name, for
        `patience` after the call; a listing that cannot be read decides nothing (but is
        not waited on for longer than FOLLOW_FOR)."""
        maker = self.engines.maker(request.profile)
        found = await _read(maker.find_backups(instance_id=request.instance_id, name=request.name))
        now = self.clock()
        if found:
            await self.records.record(request.confirmation, hold, state=STARTED,
                                      backup_id=found[0].id, seen_at=now)  # fmt: skip
            audit_action("found", request, backup_id=found[0].id)
            return
        if found is None and lost_sight(last_seen=called_at, now=now):
            reason = messages.could_not_follow(request.name, FOLLOW_MINUTES)
            await self.records.record(
                request.confirmation, hold, state=LOST, reason=reason, ended_at=now
            )
            audit_action(LOST, request, reason=reason)
        elif found is not None and now - called_at > self.patience:
            reason = messages.never_appeared(request.name)
            await self.records.record(
                request.confirmation, hold, state=FAILED, reason=reason, ended_at=now
            )
            audit_action("failed", request, reason=reason)
        elif state == CALLING:
            await self.records.record(request.confirmation, hold, state=UNKNOWN)

    async def progress(self, action: Action, hold: Hold) -> None:
        """Read the job and the backup's own row, and record how far it got: the job says
        how far, the row how big and how long, and either alone is enough to follow it.
        Neither seen for FOLLOW_FOR, following ends in words."""
        request = action.request
        maker = self.engines.maker(request.profile)
        job = await _read(maker.show_job(action.job_id)) if action.job_id else None
        if job is not None and not job.finished:
            await self._seen(action, hold, progress=job.process, note=None)
            return
        rows = await _read(maker.find_backups(instance_id=request.instance_id, name=request.name))
        backup = next((row for row in rows or [] if row.id == action.backup_id), None)
        if job is not None and job.status == JobStatus.FAILED:
            await self._ended(action, hold, FAILED, backup, job.fail_reason)
        elif job is not None and (backup is None or backup.status is not BackupStatus.BUILDING):
            await self._ended(action, hold, DONE, backup, "")  # the job completed
        elif backup is None and job is None:
            await self._unseen(action, hold)
        elif backup is not None and backup.status is BackupStatus.FAILED:
            await self._ended(action, hold, FAILED, backup, backup.description or "")
        elif backup is not None and backup.status in (
            BackupStatus.COMPLETED, BackupStatus.AVAILABLE,
        ):  # fmt: skip
            await self._ended(action, hold, DONE, backup, "")
        elif job is not None:  # completed, its row still BUILDING: waited on for its size
            last_running = action.seen_at or action.clicked_at
            if past_grace(since=last_running, now=self.clock()):
                await self._ended(action, hold, DONE, None, "")
        else:  # still building, its job unreadable (or none known)
            overdue = action.job_id is not None
            overdue = overdue and past_grace(since=action.clicked_at, now=self.clock())
            note = messages.JOB_UNREADABLE if overdue else None
            await self._seen(action, hold, progress=action.progress, note=note)

    async def _seen(self, action: Action, hold: Hold, *, progress: str, note: str | None) -> None:
        await self.records.record(
            action.request.confirmation, hold, seen_at=self.clock(), progress=progress,
            reason=note,
        )  # fmt: skip

    async def _unseen(self, action: Action, hold: Hold) -> None:
        """Neither job nor row could be read: said in words, and after FOLLOW_FOR, the end."""
        now = self.clock()
        if lost_sight(last_seen=action.seen_at or action.clicked_at, now=now):
            reason = messages.could_not_follow(action.request.name, FOLLOW_MINUTES)
            await self._ended(action, hold, LOST, None, reason)
        elif action.reason != messages.NEITHER_READABLE:
            await self.records.record(
                action.request.confirmation, hold, reason=messages.NEITHER_READABLE
            )

    async def _ended(
        self, action: Action, hold: Hold, state: str, backup: Backup | None, reason: str
    ) -> None:
        size = backup.size if backup is not None and state == DONE else None
        minutes = backup.take_up_time if backup is not None else None
        await self.records.record(
            action.request.confirmation, hold, state=state, size_mb=size, minutes=minutes,
            reason=reason or None, ended_at=self.clock(), progress="",
        )  # fmt: skip
        audit_action(
            state, action.request, backup_id=action.backup_id, job_id=action.job_id,
            reason=reason,
        )  # fmt: skip
