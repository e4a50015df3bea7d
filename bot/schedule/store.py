"""The state store: subscriptions, digest sends, alerts and Slack event claims.

One store for SQLite, PostgreSQL and MySQL/MariaDB, written in SQLAlchemy 2 Core (no
hand-written dialects), picked by one URL (bot/schedule/database.py). It uses the sync
engine, pooled, through `asyncio.to_thread`: the store makes few small queries, Alembic
is sync anyway, and the sync drivers (sqlite3, psycopg 3, PyMySQL) are the most mature.

Exactly once rests on unique keys and single atomic statements, never on a lock over the
whole database, so it holds under READ COMMITTED and REPEATABLE READ alike:

- a claim (a digest for a local date, an alert, a Slack event) is a row inserted under a
  unique key; whoever inserts it owns the send;
- taking over a claim whose owner went quiet is one conditional UPDATE that re-checks
  staleness: PostgreSQL re-evaluates it on the row's newest version under READ COMMITTED
  and fails the loser with a serialization error under REPEATABLE READ (retried, then
  lost); InnoDB's UPDATE always reads the newest version;
- several stale alert claims at once are taken with `UPDATE ... RETURNING` where the
  backend has it (PostgreSQL, SQLite), else `SELECT ... FOR UPDATE SKIP LOCKED` and an
  UPDATE of what was locked (MySQL 8, MariaDB 10.6+).

Every failure of the database becomes a StorageError naming it (never its password);
the last one is kept as `problem` for /healthz until a later write succeeds.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal, TypeVar

from sqlalchemy import Engine, RowMapping, and_, delete, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from bot.core.canonical import canonical
from bot.core.query import Query, Target
from bot.errors import StorageError
from bot.schedule import migrate as migrations
from bot.schedule.database import (
    create_engine,
    database_url,
    describe,
    insert_new,
    is_transient,
    reason_of,
    sqlite_file_problem,
    upsert,
)
from bot.schedule.schema import (
    alerts,
    digest_sends,
    instance_health,
    slack_events,
    subscriptions,
    workers,
)

T = TypeVar("T")
SubscriptionKind = Literal["digest", "watch"]
SendStatus = Literal["claimed", "posted", "missed", "missed_reported", "failed"]
ATTEMPTS = 3  # of a transaction that hit a deadlock or a serialization failure
WORKERS_FORGOTTEN_AFTER = timedelta(days=1)
log = logging.getLogger("backupbot.store")


@dataclass(frozen=True)
class Subscription:
    """A digest or a watch in a channel: what it covers is data, not command text."""

    id: int
    kind: SubscriptionKind
    team_id: str
    channel_id: str
    created_by: str
    targets: tuple[Target, ...]
    profile: str | None
    at_time: time | None
    timezone: str | None
    origin: str
    enabled: bool
    disabled_reason: str | None
    created_at: datetime

    @property
    def query(self) -> Query:
        """The instances it covers, as a query without a window."""
        return Query(targets=self.targets, profile=self.profile)

    @property
    def scope(self) -> str:
        """Its targets in the language's words ("" for every instance), for people to read."""
        return canonical(self.query)


@dataclass(frozen=True)
class DeclaredDigest:
    """A digest declared outside Slack (the config file), identified by its fields."""

    channel: str
    targets: tuple[Target, ...]
    profile: str | None
    at: time
    zone: str

    @property
    def key(self) -> str:
        """Same fields, same key: an unchanged entry keeps its subscription and history.

        Migration 0002 computes the keys of 0.1's config digests with a frozen copy.
        """
        identity = {
            "channel": self.channel,
            "profile": self.profile,
            "targets": [[target.kind, target.value] for target in self.targets],
            "at": self.at.strftime("%H:%M"),
            "tz": self.zone,
        }
        text = json.dumps(identity, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class DigestSend:
    """One digest for one local date: claimed, posted, missed or failed."""

    subscription_id: int
    local_date: date
    status: SendStatus
    claimed_by: str
    claimed_at: datetime
    attempts: int
    posted_at: datetime | None
    error: str | None


def _targets_data(targets: Sequence[Target]) -> list[dict[str, str]]:
    return [{"kind": target.kind, "value": target.value} for target in sorted(set(targets))]


def _subscription(row: RowMapping) -> Subscription:
    return Subscription(
        id=row["id"],
        kind=row["kind"],
        team_id=row["team_id"],
        channel_id=row["channel_id"],
        created_by=row["created_by"],
        targets=tuple(Target(item["kind"], item["value"]) for item in row["targets"]),
        profile=row["profile"],
        at_time=row["at_time"],
        timezone=row["timezone"],
        origin=row["origin"],
        enabled=bool(row["enabled"]),
        disabled_reason=row["disabled_reason"],
        created_at=row["created_at"],
    )


def _send(row: RowMapping) -> DigestSend:
    return DigestSend(
        subscription_id=row["subscription_id"],
        local_date=row["local_date"],
        status=row["status"],
        claimed_by=row["claimed_by"],
        claimed_at=row["claimed_at"],
        attempts=row["attempts"],
        posted_at=row["posted_at"],
        error=row["error"],
    )


class Store:
    """Subscriptions and what was sent for them, in one database shared by every replica."""

    def __init__(self, engine: Engine, *, database: str) -> None:
        self.engine = engine
        self.database = database
        self._problem: StorageError | None = None

    @classmethod
    def connect(cls, url: str, *, isolation_level: str | None = None) -> Store:
        """The store at `url` (ValueError if it is not a URL backupbot can use)."""
        parsed = database_url(url)
        engine = create_engine(parsed, isolation_level=isolation_level)
        return cls(engine, database=describe(parsed))

    def close(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()

    @property
    def problem(self) -> StorageError | None:
        """The last failure, until a later write (or, after a failed read, a read) succeeds."""
        return self._problem

    # -- schema ------------------------------------------------------------------------

    def migrate(self) -> migrations.Migration:
        """Bring the schema to head (once, under a lock, however many replicas start)."""
        self._refuse_empty_file()
        try:
            return migrations.migrate(self.engine)
        except SQLAlchemyError as error:
            raise self._failed(error, writing=True) from error
        except ValueError as error:  # a 0.1 row the data migration cannot read
            raise migrations.MigrationRefused(
                str(error), "correct or delete that row, then migrate again"
            ) from error

    def schema(self) -> tuple[str | None, str]:
        """The database's schema revision and the one this backupbot needs, read only."""
        self._refuse_empty_file()
        try:
            return migrations.current_revision(self.engine), migrations.head()
        except SQLAlchemyError as error:
            raise self._failed(error, writing=False) from error

    def _refuse_empty_file(self) -> None:
        problem = sqlite_file_problem(self.engine.url)
        if problem is not None:
            raise migrations.MigrationRefused(problem, migrations.RESTORE)

    # -- transactions ------------------------------------------------------------------

    def _transaction(
        self, work: Callable[[Connection], T], *, write: bool, claim: bool = False
    ) -> T:
        """Run `work` in one transaction; retry deadlocks; any other failure: StorageError.

        A broken constraint is the caller's to judge when it makes a claim (someone else
        holds it); elsewhere it is a race with a removal, not a broken store.
        """
        options = {} if write else {"sqlite_begin": "DEFERRED"}
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with (
                    self.engine.connect().execution_options(**options) as connection,
                    connection.begin(),
                ):
                    result = work(connection)
            except IntegrityError as error:
                if claim:
                    raise
                reason = reason_of(error)
                raise StorageError(database=self.database, reason=reason, writing=write) from error
            except DBAPIError as error:
                if attempt < ATTEMPTS and is_transient(error):
                    continue
                raise self._failed(error, writing=write) from error
            except SQLAlchemyError as error:
                raise self._failed(error, writing=write) from error
            self._succeeded(writing=write)
            return result
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _read(self, work: Callable[[Connection], T]) -> T:
        return await asyncio.to_thread(self._transaction, work, write=False)

    async def _write(self, work: Callable[[Connection], T]) -> T:
        return await asyncio.to_thread(self._transaction, work, write=True)

    async def _claim(self, work: Callable[[Connection], bool]) -> bool:
        """A claim: True if this call took it; a key already taken (or gone) is False."""

        def claim() -> bool:
            try:
                return self._transaction(work, write=True, claim=True)
            except IntegrityError:
                self._succeeded(writing=True)
                return False

        return await asyncio.to_thread(claim)

    def _failed(self, error: Exception, *, writing: bool) -> StorageError:
        failure = StorageError(database=self.database, reason=reason_of(error), writing=writing)
        self._problem = failure  # whoever catches it says so, in their own words
        return failure

    def _succeeded(self, *, writing: bool) -> None:
        if self._problem is not None and (writing or not self._problem.writing):
            log.info("the state store (%s) works again", self.database)
            self._problem = None

    # -- subscriptions -----------------------------------------------------------------

    async def add(
        self,
        *,
        kind: SubscriptionKind,
        channel_id: str,
        created_by: str,
        created_at: datetime,
        targets: Sequence[Target] = (),
        profile: str | None = None,
        team_id: str = "",
        at_time: time | None = None,
        timezone: str | None = None,
    ) -> Subscription:
        """Store a new subscription and return it with its id."""
        values = {
            "kind": kind, "team_id": team_id, "channel_id": channel_id,
            "created_by": created_by, "profile": profile, "targets": _targets_data(targets),
            "at_time": at_time, "timezone": timezone, "origin": "slack",
            "created_at": created_at,
        }  # fmt: skip

        def insert(connection: Connection) -> Subscription:
            result = connection.execute(subscriptions.insert().values(values))
            (new_id,) = result.inserted_primary_key or (None,)
            row = connection.execute(
                select(subscriptions).where(subscriptions.c.id == new_id)
            ).mappings()
            return _subscription(row.one())

        return await self._write(insert)

    async def get(self, subscription_id: int) -> Subscription | None:
        """One subscription by id."""

        def one(connection: Connection) -> Subscription | None:
            row = (
                connection.execute(
                    select(subscriptions).where(subscriptions.c.id == subscription_id)
                )
                .mappings()
                .first()
            )
            return None if row is None else _subscription(row)

        return await self._read(one)

    async def subscriptions(
        self, *, kind: SubscriptionKind | None = None, channel_id: str | None = None,
        enabled_only: bool = False,
    ) -> list[Subscription]:  # fmt: skip
        """Subscriptions, optionally of one kind, in one channel, enabled only; oldest first."""
        query = select(subscriptions).order_by(subscriptions.c.id)
        if kind is not None:
            query = query.where(subscriptions.c.kind == kind)
        if channel_id is not None:
            query = query.where(subscriptions.c.channel_id == channel_id)
        if enabled_only:
            query = query.where(subscriptions.c.enabled.is_(True))

        def rows(connection: Connection) -> list[Subscription]:
            return [_subscription(row) for row in connection.execute(query).mappings()]

        return await self._read(rows)

    async def remove(self, subscription_id: int) -> bool:
        """Delete a subscription and (by cascade) its history; False if there was none."""

        def remove(connection: Connection) -> bool:
            statement = delete(subscriptions).where(subscriptions.c.id == subscription_id)
            return bool(connection.execute(statement).rowcount == 1)

        return await self._write(remove)

    async def disable(self, subscription_id: int, reason: str) -> None:
        """Stop a subscription that can no longer be delivered, remembering why."""
        statement = (
            update(subscriptions)
            .where(subscriptions.c.id == subscription_id)
            .values(enabled=False, disabled_reason=reason)
        )
        await self._write(lambda connection: connection.execute(statement))

    async def sync_config(
        self, declared: Sequence[DeclaredDigest], *, created_at: datetime
    ) -> list[Subscription]:
        """Make the config-file digests exactly `declared`; unchanged ones keep their history."""
        wanted = {digest.key: digest for digest in declared}

        def sync(connection: Connection) -> list[Subscription]:
            existing = connection.execute(
                select(subscriptions.c.config_key).where(subscriptions.c.origin == "config")
            ).scalars()
            gone = [key for key in existing if key not in wanted]
            if gone:
                connection.execute(
                    delete(subscriptions).where(subscriptions.c.config_key.in_(gone))
                )
            for key, digest in wanted.items():
                insert_new(
                    connection,
                    subscriptions,
                    values={
                        "kind": "digest", "channel_id": digest.channel, "created_by": "config",
                        "profile": digest.profile, "targets": _targets_data(digest.targets),
                        "at_time": digest.at, "timezone": digest.zone, "origin": "config",
                        "config_key": key, "created_at": created_at,
                    },
                )  # fmt: skip
            rows = connection.execute(
                select(subscriptions)
                .where(subscriptions.c.origin == "config")
                .order_by(subscriptions.c.id)
            ).mappings()
            return [_subscription(row) for row in rows]

        return await self._write(sync)

    # -- digest sends: claim, then record the outcome ----------------------------------

    async def claim_send(
        self, subscription_id: int, local_date: date, *, worker: str, now: datetime
    ) -> bool:
        """Claim the digest of `local_date`; True for exactly one claimer, ever."""
        return await self._insert_send(
            subscription_id, local_date, status="claimed", worker=worker, now=now
        )

    async def record_missed(
        self, subscription_id: int, local_date: date, *, worker: str, now: datetime
    ) -> bool:
        """Record that a digest was not sent in time; True if this call recorded it."""
        return await self._insert_send(
            subscription_id, local_date, status="missed", worker=worker, now=now
        )

    async def _insert_send(
        self, subscription_id: int, local_date: date, *, status: SendStatus, worker: str,
        now: datetime,
    ) -> bool:  # fmt: skip
        values = {
            "subscription_id": subscription_id, "local_date": local_date, "status": status,
            "claimed_by": worker, "claimed_at": now,
        }  # fmt: skip
        return await self._claim(
            lambda connection: insert_new(connection, digest_sends, values=values)
        )

    async def reclaim_stale_send(
        self, subscription_id: int, local_date: date, *, worker: str, now: datetime,
        claimed_before: datetime,
    ) -> bool:  # fmt: skip
        """Take over a claim whose owner went quiet before `claimed_before` (it crashed)."""
        statement = (
            update(digest_sends)
            .where(
                digest_sends.c.subscription_id == subscription_id,
                digest_sends.c.local_date == local_date,
                digest_sends.c.status == "claimed",
                digest_sends.c.claimed_at < claimed_before,
            )
            .values(claimed_by=worker, claimed_at=now, attempts=digest_sends.c.attempts + 1)
        )
        return await self._claim(lambda connection: connection.execute(statement).rowcount == 1)

    async def finish_send(
        self, subscription_id: int, local_date: date, *, status: SendStatus, now: datetime,
        message_ts: str | None = None, error: str | None = None,
    ) -> None:  # fmt: skip
        """Record how a claimed send ended."""
        statement = (
            update(digest_sends)
            .where(
                digest_sends.c.subscription_id == subscription_id,
                digest_sends.c.local_date == local_date,
            )
            .values(
                status=status,
                posted_at=now if status == "posted" else None,
                message_ts=message_ts,
                error=error,
            )
        )
        await self._write(lambda connection: connection.execute(statement))

    async def sends(self, subscription_id: int) -> list[DigestSend]:
        """Every send of a subscription, oldest date first."""
        query = (
            select(digest_sends)
            .where(digest_sends.c.subscription_id == subscription_id)
            .order_by(digest_sends.c.local_date)
        )
        return await self._read(
            lambda connection: [_send(row) for row in connection.execute(query).mappings()]
        )

    async def stale_claims(self, *, claimed_before: datetime) -> list[DigestSend]:
        """Claims never finished whose owner has been quiet since before `claimed_before`."""
        query = select(digest_sends).where(
            digest_sends.c.status == "claimed", digest_sends.c.claimed_at < claimed_before
        )
        return await self._read(
            lambda connection: [_send(row) for row in connection.execute(query).mappings()]
        )

    async def unreported_misses(self, subscription_id: int) -> list[date]:
        """Local dates whose digest was missed and not yet mentioned in a later digest."""
        query = (
            select(digest_sends.c.local_date)
            .where(
                digest_sends.c.subscription_id == subscription_id,
                digest_sends.c.status == "missed",
            )
            .order_by(digest_sends.c.local_date)
        )
        return await self._read(lambda connection: list(connection.execute(query).scalars()))

    async def mark_misses_reported(self, subscription_id: int, dates: Sequence[date]) -> None:
        """Misses mentioned in a digest are not mentioned again."""
        if not dates:
            return
        statement = (
            update(digest_sends)
            .where(
                digest_sends.c.subscription_id == subscription_id,
                digest_sends.c.local_date.in_(list(dates)),
                digest_sends.c.status == "missed",
            )
            .values(status="missed_reported")
        )
        await self._write(lambda connection: connection.execute(statement))

    # -- alerts ------------------------------------------------------------------------

    async def claim_alert(
        self, subscription_id: int, key: str, *, worker: str, now: datetime, status: str = "claimed"
    ) -> bool:
        """Claim an alert; True for exactly one claimer. `status` 'baseline' records silently."""
        values = {
            "subscription_id": subscription_id, "alert_key": key, "status": status,
            "claimed_by": worker, "claimed_at": now,
        }  # fmt: skip
        return await self._claim(lambda connection: insert_new(connection, alerts, values=values))

    async def finish_alert(
        self, subscription_id: int, key: str, *, status: str, now: datetime
    ) -> None:
        """Record how a claimed alert ended ('posted' or 'failed')."""
        statement = (
            update(alerts)
            .where(alerts.c.subscription_id == subscription_id, alerts.c.alert_key == key)
            .values(status=status, posted_at=now)
        )
        await self._write(lambda connection: connection.execute(statement))

    async def reclaim_stale_alerts(
        self, subscription_id: int, *, worker: str, now: datetime, claimed_before: datetime
    ) -> list[str]:
        """Take over alerts claimed but never finished by a worker that went quiet.

        Each stale claim goes to exactly one caller, however many ask at once.
        """
        stale = and_(
            alerts.c.subscription_id == subscription_id,
            alerts.c.status == "claimed",
            alerts.c.claimed_at < claimed_before,
        )
        take = update(alerts).values(claimed_by=worker, claimed_at=now)

        def reclaim(connection: Connection) -> list[str]:
            if connection.dialect.update_returning:
                taken = connection.execute(take.where(stale).returning(alerts.c.alert_key))
                return sorted(taken.scalars())
            locked = connection.execute(
                select(alerts.c.alert_key).where(stale).with_for_update(skip_locked=True)
            )
            keys = sorted(locked.scalars())
            if keys:
                connection.execute(take.where(stale, alerts.c.alert_key.in_(keys)))
            return keys

        try:
            return await self._write(reclaim)
        except IntegrityError:  # pragma: no cover - an UPDATE of non-key columns
            return []

    async def watches_with_abandoned_alerts(self, *, claimed_before: datetime) -> set[int]:
        """Watches holding alert claims whose owner went quiet: poll them again now."""
        query = (
            select(alerts.c.subscription_id)
            .where(alerts.c.status == "claimed", alerts.c.claimed_at < claimed_before)
            .distinct()
        )
        return await self._read(lambda connection: set(connection.execute(query).scalars()))

    async def health(self, subscription_id: int) -> dict[str, bool]:
        """Instance -> stale, as last seen by the watch."""
        query = select(instance_health.c.instance, instance_health.c.stale).where(
            instance_health.c.subscription_id == subscription_id
        )
        return await self._read(
            lambda connection: {row[0]: bool(row[1]) for row in connection.execute(query)}
        )

    async def set_health(
        self, subscription_id: int, instance: str, *, stale: bool, now: datetime
    ) -> None:
        """Remember whether an instance is stale, for crossing and recovery alerts."""
        values = {
            "subscription_id": subscription_id, "instance": instance, "stale": stale,
            "changed_at": now,
        }  # fmt: skip
        await self._write(
            lambda connection: upsert(
                connection, instance_health, values=values, keys=("subscription_id", "instance")
            )
        )

    # -- Slack events and replicas -----------------------------------------------------

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
