"""The state store: subscriptions, digest sends and alerts, in SQLite by default.

Correctness rests on unique keys, not on locks: a digest send is keyed by
(subscription, local date) and an alert by (subscription, alert key); whoever inserts
the row owns the send. The SQL is standard (`INSERT ... ON CONFLICT DO NOTHING`,
no SQLite-only types), so the same statements run on PostgreSQL for several replicas.
Each call opens its own short connection inside a worker thread: SQLite connections
are cheap, and the event loop never waits on the disk.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

T = TypeVar("T")
SubscriptionKind = Literal["digest", "watch"]
SendStatus = Literal["claimed", "posted", "missed", "missed_reported", "failed"]

MIGRATIONS: tuple[str, ...] = (
    # 1: subscriptions, digest sends, alerts
    """
    CREATE TABLE subscriptions (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        team_id TEXT NOT NULL DEFAULT '',
        channel_id TEXT NOT NULL,
        created_by TEXT NOT NULL,
        targets TEXT NOT NULL DEFAULT '',
        at_time TEXT,
        timezone TEXT,
        origin TEXT NOT NULL DEFAULT 'slack',
        config_key TEXT UNIQUE,
        enabled INTEGER NOT NULL DEFAULT 1,
        disabled_reason TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE digest_sends (
        subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
        local_date TEXT NOT NULL,
        status TEXT NOT NULL,
        claimed_by TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1,
        posted_at TEXT,
        message_ts TEXT,
        error TEXT,
        PRIMARY KEY (subscription_id, local_date)
    );
    CREATE TABLE alerts (
        subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
        alert_key TEXT NOT NULL,
        status TEXT NOT NULL,
        claimed_by TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        posted_at TEXT,
        PRIMARY KEY (subscription_id, alert_key)
    );
    CREATE TABLE instance_health (
        subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
        instance TEXT NOT NULL,
        stale INTEGER NOT NULL,
        changed_at TEXT NOT NULL,
        PRIMARY KEY (subscription_id, instance)
    );
    """,
)


@dataclass(frozen=True)
class Subscription:
    """A digest or a watch in a channel."""

    id: int
    kind: SubscriptionKind
    team_id: str
    channel_id: str
    created_by: str
    targets: str
    at_time: str | None
    timezone: str | None
    origin: str
    enabled: bool
    disabled_reason: str | None
    created_at: datetime


@dataclass(frozen=True)
class DigestSend:
    """One digest for one local date: claimed, posted, missed or failed."""

    subscription_id: int
    local_date: str
    status: SendStatus
    claimed_by: str
    claimed_at: datetime
    attempts: int
    posted_at: datetime | None
    error: str | None


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _subscription(row: sqlite3.Row) -> Subscription:
    return Subscription(
        id=row["id"],
        kind=row["kind"],
        team_id=row["team_id"],
        channel_id=row["channel_id"],
        created_by=row["created_by"],
        targets=row["targets"],
        at_time=row["at_time"],
        timezone=row["timezone"],
        origin=row["origin"],
        enabled=bool(row["enabled"]),
        disabled_reason=row["disabled_reason"],
        created_at=datetime.fromisoformat(row["created_at"]),
    )


def _send(row: sqlite3.Row) -> DigestSend:
    return DigestSend(
        subscription_id=row["subscription_id"],
        local_date=row["local_date"],
        status=row["status"],
        claimed_by=row["claimed_by"],
        claimed_at=datetime.fromisoformat(row["claimed_at"]),
        attempts=row["attempts"],
        posted_at=_time(row["posted_at"]),
        error=row["error"],
    )


class Store:
    """Subscriptions and what was sent for them, in one SQLite file shared by every process."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        connection.row_factory = sqlite3.Row
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            yield connection
        finally:
            connection.close()

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        def call() -> T:
            with self._connect() as connection:
                return work(connection)

        return await asyncio.to_thread(call)

    @staticmethod
    def _transaction(connection: sqlite3.Connection, work: Callable[[], T]) -> T:
        connection.execute("BEGIN IMMEDIATE")
        try:
            result = work()
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        return result

    # -- schema ------------------------------------------------------------------------

    def migrate(self) -> int:
        """Bring the schema up to date (safe to run from several processes); its version."""
        with self._connect() as connection:

            def upgrade() -> int:
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
                )
                row = connection.execute("SELECT MAX(version) AS v FROM schema_version").fetchone()
                current = row["v"] or 0
                for version, script in enumerate(MIGRATIONS, start=1):
                    if version > current:
                        for statement in script.split(";"):
                            if statement.strip():
                                connection.execute(statement)
                        connection.execute(
                            "INSERT INTO schema_version (version) VALUES (?)", (version,)
                        )
                return len(MIGRATIONS)

            return self._transaction(connection, upgrade)

    # -- subscriptions -----------------------------------------------------------------

    async def add(
        self,
        *,
        kind: SubscriptionKind,
        channel_id: str,
        created_by: str,
        targets: str,
        created_at: datetime,
        team_id: str = "",
        at_time: str | None = None,
        timezone: str | None = None,
        origin: str = "slack",
        config_key: str | None = None,
    ) -> Subscription:
        """Store a new subscription and return it with its id."""

        def insert(connection: sqlite3.Connection) -> Subscription:
            cursor = connection.execute(
                "INSERT INTO subscriptions (kind, team_id, channel_id, created_by, targets,"
                " at_time, timezone, origin, config_key, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (kind, team_id, channel_id, created_by, targets, at_time, timezone, origin,
                 config_key, created_at.isoformat()),
            )  # fmt: skip
            row = connection.execute(
                "SELECT * FROM subscriptions WHERE id = ?", (cursor.lastrowid,)
            ).fetchone()
            return _subscription(row)

        return await self._run(insert)

    async def get(self, subscription_id: int) -> Subscription | None:
        """One subscription by id."""

        def select(connection: sqlite3.Connection) -> Subscription | None:
            row = connection.execute(
                "SELECT * FROM subscriptions WHERE id = ?", (subscription_id,)
            ).fetchone()
            return None if row is None else _subscription(row)

        return await self._run(select)

    async def subscriptions(
        self, *, kind: SubscriptionKind | None = None, channel_id: str | None = None,
        enabled_only: bool = False,
    ) -> list[Subscription]:  # fmt: skip
        """Subscriptions, optionally of one kind, in one channel, enabled only; oldest first."""
        clauses: list[str] = []
        values: list[str] = []
        if kind is not None:
            clauses.append("kind = ?")
            values.append(kind)
        if channel_id is not None:
            clauses.append("channel_id = ?")
            values.append(channel_id)
        if enabled_only:
            clauses.append("enabled = 1")
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""

        def select(connection: sqlite3.Connection) -> list[Subscription]:
            rows = connection.execute(f"SELECT * FROM subscriptions{where} ORDER BY id", values)
            return [_subscription(row) for row in rows]

        return await self._run(select)

    async def remove(self, subscription_id: int) -> bool:
        """Delete a subscription and its history; False if there was none."""

        def delete(connection: sqlite3.Connection) -> bool:
            def work() -> bool:
                for table in ("digest_sends", "alerts", "instance_health"):
                    connection.execute(
                        f"DELETE FROM {table} WHERE subscription_id = ?", (subscription_id,)
                    )
                cursor = connection.execute(
                    "DELETE FROM subscriptions WHERE id = ?", (subscription_id,)
                )
                return cursor.rowcount == 1

            return self._transaction(connection, work)

        return await self._run(delete)

    async def disable(self, subscription_id: int, reason: str) -> None:
        """Stop a subscription that can no longer be delivered, remembering why."""
        await self._execute(
            "UPDATE subscriptions SET enabled = 0, disabled_reason = ? WHERE id = ?",
            (reason, subscription_id),
        )

    async def sync_config(
        self, declared: dict[str, dict[str, str]], *, created_at: datetime
    ) -> list[Subscription]:
        """Make the config-file digests exactly `declared` (config key -> fields)."""

        def work(connection: sqlite3.Connection) -> list[Subscription]:
            def sync() -> list[Subscription]:
                existing = {
                    row["config_key"]: row["id"]
                    for row in connection.execute(
                        "SELECT id, config_key FROM subscriptions WHERE origin = 'config'"
                    )
                }
                for key, subscription_id in existing.items():
                    if key not in declared:
                        for table in ("digest_sends", "alerts", "instance_health"):
                            connection.execute(
                                f"DELETE FROM {table} WHERE subscription_id = ?", (subscription_id,)
                            )
                        connection.execute(
                            "DELETE FROM subscriptions WHERE id = ?", (subscription_id,)
                        )
                for key, fields in declared.items():
                    connection.execute(
                        "INSERT INTO subscriptions (kind, channel_id, created_by, targets, at_time,"
                        " timezone, origin, config_key, created_at)"
                        " VALUES ('digest', ?, 'config', ?, ?, ?, 'config', ?, ?)"
                        " ON CONFLICT (config_key) DO NOTHING",
                        (fields["channel"], fields["targets"], fields["at"], fields["tz"], key,
                         created_at.isoformat()),
                    )  # fmt: skip
                rows = connection.execute(
                    "SELECT * FROM subscriptions WHERE origin = 'config' ORDER BY id"
                )
                return [_subscription(row) for row in rows]

            return self._transaction(connection, sync)

        return await self._run(work)

    # -- digest sends: claim, then record the outcome ----------------------------------

    async def claim_send(
        self, subscription_id: int, local_date: str, *, worker: str, now: datetime
    ) -> bool:
        """Claim the digest of `local_date`; True for exactly one claimer, ever."""
        return await self._changes_one_row(
            "INSERT INTO digest_sends (subscription_id, local_date, status, claimed_by, claimed_at)"
            " VALUES (?, ?, 'claimed', ?, ?) ON CONFLICT (subscription_id, local_date) DO NOTHING",
            (subscription_id, local_date, worker, now.isoformat()),
        )

    async def record_missed(
        self, subscription_id: int, local_date: str, *, worker: str, now: datetime
    ) -> bool:
        """Record that a digest was not sent in time; True if this call recorded it."""
        return await self._changes_one_row(
            "INSERT INTO digest_sends (subscription_id, local_date, status, claimed_by, claimed_at)"
            " VALUES (?, ?, 'missed', ?, ?) ON CONFLICT (subscription_id, local_date) DO NOTHING",
            (subscription_id, local_date, worker, now.isoformat()),
        )

    async def reclaim_stale_send(
        self, subscription_id: int, local_date: str, *, worker: str, now: datetime,
        claimed_before: datetime,
    ) -> bool:  # fmt: skip
        """Take over a claim whose owner went quiet before `claimed_before` (it crashed)."""
        return await self._changes_one_row(
            "UPDATE digest_sends SET claimed_by = ?, claimed_at = ?, attempts = attempts + 1"
            " WHERE subscription_id = ? AND local_date = ? AND status = 'claimed'"
            " AND claimed_at < ?",
            (worker, now.isoformat(), subscription_id, local_date, claimed_before.isoformat()),
        )

    async def finish_send(
        self, subscription_id: int, local_date: str, *, status: SendStatus, now: datetime,
        message_ts: str | None = None, error: str | None = None,
    ) -> None:  # fmt: skip
        """Record how a claimed send ended."""
        await self._execute(
            "UPDATE digest_sends SET status = ?, posted_at = ?, message_ts = ?, error = ?"
            " WHERE subscription_id = ? AND local_date = ?",
            (status, now.isoformat() if status == "posted" else None, message_ts, error,
             subscription_id, local_date),
        )  # fmt: skip

    async def sends(self, subscription_id: int) -> list[DigestSend]:
        """Every send of a subscription, oldest date first."""

        def select(connection: sqlite3.Connection) -> list[DigestSend]:
            rows = connection.execute(
                "SELECT * FROM digest_sends WHERE subscription_id = ? ORDER BY local_date",
                (subscription_id,),
            )
            return [_send(row) for row in rows]

        return await self._run(select)

    async def stale_claims(self, *, claimed_before: datetime) -> list[DigestSend]:
        """Claims never finished whose owner has been quiet since before `claimed_before`."""

        def select(connection: sqlite3.Connection) -> list[DigestSend]:
            rows = connection.execute(
                "SELECT * FROM digest_sends WHERE status = 'claimed' AND claimed_at < ?",
                (claimed_before.isoformat(),),
            )
            return [_send(row) for row in rows]

        return await self._run(select)

    async def unreported_misses(self, subscription_id: int) -> list[str]:
        """Local dates whose digest was missed and not yet mentioned in a later digest."""

        def select(connection: sqlite3.Connection) -> list[str]:
            rows = connection.execute(
                "SELECT local_date FROM digest_sends"
                " WHERE subscription_id = ? AND status = 'missed' ORDER BY local_date",
                (subscription_id,),
            )
            return [row["local_date"] for row in rows]

        return await self._run(select)

    async def mark_misses_reported(self, subscription_id: int, dates: list[str]) -> None:
        """Misses mentioned in a digest are not mentioned again."""

        def update(connection: sqlite3.Connection) -> None:
            connection.executemany(
                "UPDATE digest_sends SET status = 'missed_reported'"
                " WHERE subscription_id = ? AND local_date = ? AND status = 'missed'",
                [(subscription_id, day) for day in dates],
            )

        await self._run(update)

    # -- alerts ------------------------------------------------------------------------

    async def claim_alert(
        self, subscription_id: int, key: str, *, worker: str, now: datetime, status: str = "claimed"
    ) -> bool:
        """Claim an alert; True for exactly one claimer. `status` 'baseline' records silently."""
        return await self._changes_one_row(
            "INSERT INTO alerts (subscription_id, alert_key, status, claimed_by, claimed_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (subscription_id, alert_key) DO NOTHING",
            (subscription_id, key, status, worker, now.isoformat()),
        )

    async def finish_alert(
        self, subscription_id: int, key: str, *, status: str, now: datetime
    ) -> None:
        """Record how a claimed alert ended ('posted' or 'failed')."""
        await self._execute(
            "UPDATE alerts SET status = ?, posted_at = ?"
            " WHERE subscription_id = ? AND alert_key = ?",
            (status, now.isoformat(), subscription_id, key),
        )

    async def reclaim_stale_alerts(
        self, subscription_id: int, *, worker: str, now: datetime, claimed_before: datetime
    ) -> list[str]:
        """Take over alerts claimed but never finished by a worker that went quiet."""

        def work(connection: sqlite3.Connection) -> list[str]:
            def take() -> list[str]:
                keys = [
                    row["alert_key"]
                    for row in connection.execute(
                        "SELECT alert_key FROM alerts WHERE subscription_id = ?"
                        " AND status = 'claimed' AND claimed_at < ?",
                        (subscription_id, claimed_before.isoformat()),
                    )
                ]
                for key in keys:
                    connection.execute(
                        "UPDATE alerts SET claimed_by = ?, claimed_at = ?"
                        " WHERE subscription_id = ? AND alert_key = ?",
                        (worker, now.isoformat(), subscription_id, key),
                    )
                return keys

            return self._transaction(connection, take)

        return await self._run(work)

    async def health(self, subscription_id: int) -> dict[str, bool]:
        """Instance -> stale, as last seen by the watch."""

        def select(connection: sqlite3.Connection) -> dict[str, bool]:
            rows = connection.execute(
                "SELECT instance, stale FROM instance_health WHERE subscription_id = ?",
                (subscription_id,),
            )
            return {row["instance"]: bool(row["stale"]) for row in rows}

        return await self._run(select)

    async def set_health(
        self, subscription_id: int, instance: str, *, stale: bool, now: datetime
    ) -> None:
        """Remember whether an instance is stale, for crossing and recovery alerts."""
        await self._execute(
            "INSERT INTO instance_health (subscription_id, instance, stale, changed_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (subscription_id, instance)"
            " DO UPDATE SET stale = excluded.stale, changed_at = excluded.changed_at",
            (subscription_id, instance, int(stale), now.isoformat()),
        )

    # -- helpers -----------------------------------------------------------------------

    async def _execute(self, sql: str, values: tuple[Any, ...]) -> None:
        def run(connection: sqlite3.Connection) -> None:
            connection.execute(sql, values)

        await self._run(run)

    async def _changes_one_row(self, sql: str, values: tuple[Any, ...]) -> bool:
        """Run one statement; True if it changed exactly one row (the claim was won)."""

        def run(connection: sqlite3.Connection) -> bool:
            return connection.execute(sql, values).rowcount == 1

        return await self._run(run)
