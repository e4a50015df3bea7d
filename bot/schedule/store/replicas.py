"""What replicas share besides subscriptions: Slack event claims, and who is alive."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from bot.schedule.database import insert_new, upsert
from bot.schedule.schema import slack_events, workers
from bot.schedule.store.transactions import Transactions

WORKERS_FORGOTTEN_AFTER = timedelta(days=1)


class ReplicaRecords(Transactions):
    """Slack event ids claimed once across replicas; heartbeats; the clean-up of both."""

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

        return await self._claim(claim)

    async def heartbeat(self, worker: str, *, now: datetime) -> None:
        """Record that `worker` is alive; a real write, so it also proves the store writable."""
        await self._write(
            lambda connection: upsert(
                connection, workers, values={"worker": worker, "seen_at": now}, keys=("worker",)
            )
        )

    async def workers_seen(self, *, since: datetime) -> list[str]:
        """Replicas whose heartbeat is newer than `since`."""
        query = select(workers.c.worker).where(workers.c.seen_at >= since)
        query = query.order_by(workers.c.worker)
        return await self._read(lambda connection: list(connection.execute(query).scalars()))

    async def prune(self, *, now: datetime) -> int:
        """Forget expired event claims and replicas silent for a day; rows deleted."""

        def prune(connection: Connection) -> int:
            events = connection.execute(
                delete(slack_events).where(slack_events.c.expires_at < now)
            ).rowcount
            silent = connection.execute(
                delete(workers).where(workers.c.seen_at < now - WORKERS_FORGOTTEN_AFTER)
            ).rowcount
            return int(events) + int(silent)

        return await self._write(prune)

    def probe(self, worker: str, *, now: datetime) -> None:
        """Write and delete one row (for `backupbot check`); StorageError if it cannot."""

        def probe(connection: Connection) -> Any:
            upsert(connection, workers, values={"worker": worker, "seen_at": now}, keys=("worker",))
            return connection.execute(delete(workers).where(workers.c.worker == worker))

        self._transaction(probe, write=True)
