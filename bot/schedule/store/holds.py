"""Who holds a claim: the worker that took it, and when it last took or renewed it.

A claim whose owner went quiet past the lease is taken over (a new owner, a new time).
The replica it was taken from may still be at work: a Slack call that took long, a
clock that ran slow. So whatever a holder writes on its claim's row, the post's outcome
above all, is one conditional UPDATE on the row still naming it and that time: a
replica whose claim was taken over records nothing, and never overwrites what the new
owner recorded. It learns so from the row count, and takes back what it posted (the new
owner posts it).

Renewing before a post (the same conditional UPDATE, setting a new time) gives the
post a whole lease: Slack calls end within BACKUPBOT_SLACK_TIMEOUT, far inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, Update, and_, update

from bot.schedule.store.transactions import Transactions


@dataclass(frozen=True)
class Hold:
    """A claim as its holder holds it: `worker` took (or renewed) it at `since`."""

    worker: str
    since: datetime


def alert_claim(
    subscription_id: int, key: str, *, status: str, worker: str, now: datetime
) -> dict[str, Any]:
    """The row of a claim: `status` 'claimed' (to post), or 'baseline' (recorded silently)."""
    return {
        "subscription_id": subscription_id,
        "alert_key": key,
        "status": status,
        "claimed_by": worker,
        "claimed_at": now,
    }


def held(table: Table, hold: Hold) -> ColumnElement[bool]:
    """The condition that a claim row of `table` is still claimed and held as `hold` says."""
    return and_(
        table.c.status == "claimed",
        table.c.claimed_by == hold.worker,
        table.c.claimed_at == hold.since,
    )


def update_held(table: Table, hold: Hold, *which: ColumnElement[bool]) -> Update:
    """An UPDATE of the claim row `which` selects that changes nothing unless it is still
    held as `hold`."""
    return update(table).where(*which, held(table, hold))


async def held_write(db: Transactions, statement: Update) -> bool:
    """Run an UPDATE made by `update_held`: whether the claim was still held (one row)."""
    return bool(await db.write(lambda connection: connection.execute(statement).rowcount))


async def renew_held(
    db: Transactions, table: Table, hold: Hold, *which: ColumnElement[bool], now: datetime
) -> Hold | None:
    """Renew the claim `which` selects, if still held as `hold`, for a lease from `now`;
    None if it was taken over (or finished) meanwhile."""
    statement = update_held(table, hold, *which).values(claimed_at=now)
    return Hold(hold.worker, now) if await held_write(db, statement) else None
