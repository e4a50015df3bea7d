"""Backups taken by hand: each confirmation claimed once, then followed by one replica.

Exactly once rests on the confirmation's row (the table's primary key):

- a click inserts it ('claimed', held by the clicker); a double click, Slack's retry or
  another replica finds it there and calls nothing. A Cancel inserts it 'cancelled', so
  a later Take finds it too;
- the holder moves it to 'calling' in one conditional UPDATE (still 'claimed', still its
  hold) just before the API call: of a clicker that went quiet and the replica that took
  its lease over, one moves it, and only that one calls;
- a row left 'calling' (a crash, or a call whose answer was lost) is never called again:
  whoever holds it looks for a backup of its name;
- following it takes its lease (one conditional UPDATE re-checking that it is the
  holder's, or that the holder went quiet), and whatever the holder records is one
  conditional UPDATE on that hold (as store/holds.py explains for posts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, update
from sqlalchemy.engine import Connection, RowMapping

from bot.core.backup_action import BackupRequest, Starter
from bot.schedule.database import insert_new
from bot.schedule.schema import actions
from bot.schedule.store.holds import Hold
from bot.schedule.store.transactions import Part

CLAIMED, CALLING, STARTED, UNKNOWN = "claimed", "calling", "started", "unknown"
DONE, FAILED, CANCELLED = "done", "failed", "cancelled"
LOST = "lost"  # neither its job nor its backup could be read for long: no longer followed
OPEN = (CLAIMED, CALLING, STARTED, UNKNOWN)
FINISHED = (DONE, FAILED, LOST)


@dataclass(frozen=True)
class Action:
    """A confirmation's row: the request, how far it got, and who holds it."""

    request: BackupRequest
    state: str
    backup_id: str | None
    job_id: str | None
    progress: str
    size_mb: float | None
    minutes: int | None
    reason: str | None
    message_ts: str | None
    told: bool
    hold: Hold
    clicked_at: datetime
    ended_at: datetime | None
    seen_at: datetime | None  # its job or its backup last read (None: not yet)
    language: str | None = None  # the asker's locale at the click (none: the workspace's)

    @property
    def finished(self) -> bool:
        """Whether the action ended (done, failed, or lost sight of): nothing more to follow
        but telling."""
        return self.state in FINISHED


def _row(
    request: BackupRequest,
    *,
    state: str,
    worker: str,
    now: datetime,
    language: str | None = None,
) -> dict[str, Any]:
    return {
        "confirmation": request.confirmation, "state": state,
        "profile": request.profile or "", "instance_id": request.instance_id,
        "instance_name": request.instance_name, "name": request.name,
        "description": request.description, "team_id": request.team,
        "channel_id": request.channel, "user_id": request.user,
        "claimed_by": worker, "claimed_at": now, "asked_at": request.asked_at,
        "clicked_at": now, "language": language,
    }  # fmt: skip


def _action(row: RowMapping) -> Action:
    request = BackupRequest(
        confirmation=row["confirmation"],
        profile=row["profile"] or None,
        instance_id=row["instance_id"],
        instance_name=row["instance_name"],
        name=row["name"],
        description=row["description"],
        team=row["team_id"],
        channel=row["channel_id"],
        user=row["user_id"],
        asked_at=row["asked_at"],
        expires_at=row["asked_at"],  # a claimed confirmation is past asking
    )
    return Action(
        request=request,
        state=row["state"],
        backup_id=row["backup_id"],
        job_id=row["job_id"],
        progress=row["progress"],
        size_mb=row["size_mb"],
        minutes=row["minutes"],
        reason=row["reason"],
        message_ts=row["message_ts"],
        told=bool(row["told"]),
        hold=Hold(row["claimed_by"], row["claimed_at"]),
        clicked_at=row["clicked_at"],
        ended_at=row["ended_at"],
        seen_at=row["seen_at"],
        language=row["language"],
    )


def _held(confirmation: str, hold: Hold) -> ColumnElement[bool]:
    return and_(
        actions.c.confirmation == confirmation,
        actions.c.claimed_by == hold.worker,
        actions.c.claimed_at == hold.since,
    )


class ActionRecords(Part):
    """Confirmations claimed, cancelled, called and followed: one row each."""

    async def claim(
        self, request: BackupRequest, *, worker: str, now: datetime, language: str | None = None
    ) -> bool:
        """Claim a confirmation before calling the API: True for exactly one clicker.
        `language`: the clicker's, which the channel's message keeps to the end."""
        values = _row(request, state=CLAIMED, worker=worker, now=now, language=language)
        return await self._db.claim(lambda c: insert_new(c, actions, values=values))

    async def cancel(self, request: BackupRequest, *, worker: str, now: datetime) -> bool:
        """Record a Cancel: True unless the confirmation was claimed (or cancelled) already."""
        values = _row(request, state=CANCELLED, worker=worker, now=now)
        values.update(told=True, ended_at=now)
        return await self._db.claim(lambda c: insert_new(c, actions, values=values))

    async def get(self, confirmation: str) -> Action | None:
        """The confirmation's row, if it was clicked."""
        statement = select(actions).where(actions.c.confirmation == confirmation)

        def read(connection: Connection) -> Action | None:
            row = connection.execute(statement).mappings().first()
            return None if row is None else _action(row)

        return await self._db.read(read)

    async def calling(self, confirmation: str, hold: Hold) -> bool:
        """Mark the API call as about to go out, if still 'claimed' and held as `hold`: True
        for the one caller there will ever be."""
        statement = (
            update(actions)
            .where(_held(confirmation, hold), actions.c.state == CLAIMED)
            .values(state=CALLING)
        )
        return bool(await self._db.write(lambda c: c.execute(statement).rowcount))

    async def record(self, confirmation: str, hold: Hold, **values: Any) -> bool:
        """Record what the holder learnt (state, ids, progress, message, ...), if the row is
        still held as `hold`; False if another replica took it over meanwhile."""
        statement = update(actions).where(_held(confirmation, hold)).values(**values)
        return bool(await self._db.write(lambda c: c.execute(statement).rowcount))

    async def to_follow(self) -> list[Action]:
        """Every action not yet ended or not yet told, oldest first."""
        statement = (
            select(actions)
            .where(or_(actions.c.state.in_(OPEN), actions.c.told.is_(False)))
            .order_by(actions.c.clicked_at)
        )
        return await self._db.read(
            lambda c: [_action(row) for row in c.execute(statement).mappings()]
        )

    async def take(
        self, action: Action, *, worker: str, now: datetime, stale_before: datetime, own: bool
    ) -> Hold | None:
        """Hold `action` for a lease from `now`: renewed if `worker` holds it (and `own`
        allows), taken over if its holder went quiet (its hold older than `stale_before`).
        None if another holds it (or moved it on since it was read)."""
        mine = actions.c.claimed_by == worker if own else false()
        statement = (
            update(actions)
            .where(
                _held(action.request.confirmation, action.hold),
                actions.c.state == action.state,
                or_(mine, actions.c.claimed_at <= stale_before),
            )
            .values(claimed_by=worker, claimed_at=now)
        )
        taken = bool(await self._db.write(lambda c: c.execute(statement).rowcount))
        return Hold(worker, now) if taken else None

    async def started_by(self, instance_id: str, backup_names: list[str]) -> dict[str, Starter]:
        """Who asked for each of these backups of an instance (by name), of those backupbot
        took: for "a backup is already running, started by @alice". Asked in Slack when it
        has a channel (the command line has none)."""
        if not backup_names:
            return {}
        statement = select(actions.c.name, actions.c.user_id, actions.c.channel_id).where(
            actions.c.instance_id == instance_id, actions.c.name.in_(backup_names)
        )
        return await self._db.read(
            lambda c: {
                row.name: Starter(row.user_id, in_slack=bool(row.channel_id))
                for row in c.execute(statement)
            }
        )
