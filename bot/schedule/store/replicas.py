"""Who is alive: each replica's heartbeat (a real write, so it proves the store writable),
and `check`'s probe."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from bot.schedule.database import upsert
from bot.schedule.schema import workers
from bot.schedule.store.transactions import Part

WORKERS_FORGOTTEN_AFTER = timedelta(days=1)


class ReplicaRecords(Part):
    """Heartbeats of the replicas, and the clean-up of those gone silent."""

    async def heartbeat(self, worker: str, *, now: datetime) -> None:
        """Record that `worker` is alive; a real write, so it also proves the store writable."""
        await self._db.write(
            lambda connection: upsert(
                connection, workers, values={"worker": worker, "seen_at": now}, keys=("worker",)
            )
        )

    async def workers_seen(self, *, since: datetime) -> list[str]:
        """Replicas whose heartbeat is newer than `since`."""
        query = select(workers.c.worker).where(workers.c.seen_at >= since)
        query = query.order_by(workers.c.worker)
        return await self._db.read(lambda connection: list(connection.execute(query).scalars()))

    async def prune(self, *, now: datetime) -> int:
        """Forget replicas silent for a day; rows deleted."""
        statement = delete(workers).where(workers.c.seen_at < now - WORKERS_FORGOTTEN_AFTER)
        return int(await self._db.write(lambda connection: connection.execute(statement).rowcount))

    def probe(self, worker: str, *, now: datetime) -> None:
        """Write and delete one row (for `backupbot check`); StorageError if it cannot."""

        def probe(connection: Connection) -> Any:
            upsert(connection, workers, values={"worker": worker, "seen_at": now}, keys=("worker",))
            return connection.execute(delete(workers).where(workers.c.worker == worker))

        self._db.transaction(probe, write=True)
