"""Slack events claimed once across replicas: Slack retries an event it thinks was missed,
and the retry may reach another replica."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.engine import Connection

from bot.schedule.database import insert_new
from bot.schedule.schema import slack_events
from bot.schedule.store.transactions import Part


class EventRecords(Part):
    """Slack event ids, each claimed by one replica for a while, then forgotten."""

    async def claim_event(
        self, event_id: str, *, worker: str, now: datetime, keep: timedelta
    ) -> bool:
        """Claim a Slack event id for `keep`; True for exactly one replica (a retry: False)."""
        values = {
            "event_id": event_id, "claimed_by": worker, "claimed_at": now,
            "expires_at": now + keep,
        }  # fmt: skip

        def claim(connection: Connection) -> bool:
            if insert_new(connection, slack_events, values=values):
                return True
            # A claim that expired (the row not yet pruned) may be taken again.
            retaken = connection.execute(
                update(slack_events)
                .where(slack_events.c.event_id == event_id, slack_events.c.expires_at <= now)
                .values(claimed_by=worker, claimed_at=now, expires_at=now + keep)
            )
            return bool(retaken.rowcount == 1)

        return await self._db.claim(claim)

    async def prune(self, *, now: datetime) -> int:
        """Forget expired event claims; rows deleted."""
        statement = delete(slack_events).where(slack_events.c.expires_at < now)
        return int(await self._db.write(lambda connection: connection.execute(statement).rowcount))
