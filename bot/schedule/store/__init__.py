"""The state store: subscriptions, digest sends, watch incidents and Slack event claims.

One store for SQLite, PostgreSQL and MySQL/MariaDB, written in SQLAlchemy 2 Core (no
hand-written dialects), picked by one URL (bot/schedule/database.py). It uses the sync
engine, pooled, through `asyncio.to_thread`: the store makes few small queries, Alembic
is sync anyway, and the sync drivers (sqlite3, psycopg 3, PyMySQL) are the most mature.

Exactly once rests on unique keys and single atomic statements, never on a lock over the
whole database, so it holds under READ COMMITTED and REPEATABLE READ alike:

- a claim (a digest for a local date, a watch's post, a Slack event, an instance's open
  incident in a channel, whichever watches cover it) is a row inserted under a unique
  key; whoever inserts it owns the send;
- recording an incident's change is one conditional UPDATE on how many changes it has:
  of replicas seeing the same change, one records it (and so claims its post);
- taking over a claim whose owner went quiet is one conditional UPDATE that re-checks
  staleness: PostgreSQL re-evaluates it on the row's newest version under READ COMMITTED
  and fails the loser with a serialization error under REPEATABLE READ (retried, then
  lost); InnoDB's UPDATE always reads the newest version;
- what the owner of a claim records (a post's outcome, its message's ts) is one
  conditional UPDATE on the claim still naming it and the time it took (or renewed) it:
  a replica whose claim was taken over records nothing (store/holds.py);
- several stale post claims at once are taken with `UPDATE ... RETURNING` where the
  backend has it (PostgreSQL, SQLite), else `SELECT ... FOR UPDATE SKIP LOCKED` and an
  UPDATE of what was locked (MySQL 8, MariaDB 10.6+).

The store is a façade over one part per purpose, each in its module and each handed
alone to whoever uses it: `subscriptions` (digests and watches), `sends` (digest_sends.py:
each digest's claim and outcome), `watches` (watch_state.py: a watch's post claims, and a
watch that stops hands its incidents over, handover.py), `incidents` (incident_records.py,
with their rows), `events` (event_records.py: Slack events claimed once) and `replicas`
(heartbeats), `actions` (actions.py: backups taken by hand, each confirmation
claimed once before the API is called, then followed); holds.py says who holds a
claim. All share one database (transactions.py, where every failure of the database
becomes a StorageError naming it, never its password).
"""

from __future__ import annotations

from typing import Self

from sqlalchemy import Engine

from bot.errors import StorageError
from bot.schedule import migrate as migrations
from bot.schedule.store.actions import Action, ActionRecords
from bot.schedule.store.digest_sends import DigestSend, DigestSendRecords, SendStatus
from bot.schedule.store.event_records import EventRecords
from bot.schedule.store.holds import Hold
from bot.schedule.store.incident_records import IncidentRecords, Pending
from bot.schedule.store.replicas import ReplicaRecords
from bot.schedule.store.subscriptions import (
    DeclaredDigest,
    Subscription,
    SubscriptionKind,
    SubscriptionRecords,
)
from bot.schedule.store.transactions import Transactions
from bot.schedule.store.watch_state import WatchRecords

__all__ = [
    "Action",
    "ActionRecords",
    "DeclaredDigest",
    "DigestSend",
    "DigestSendRecords",
    "EventRecords",
    "Hold",
    "IncidentRecords",
    "Pending",
    "ReplicaRecords",
    "SendStatus",
    "Store",
    "Subscription",
    "SubscriptionKind",
    "SubscriptionRecords",
    "WatchRecords",
]


class Store:
    """Subscriptions and what was sent for them, in one database shared by every replica:
    one part per purpose, and the database's own life (migrate, schema, close)."""

    def __init__(self, db: Transactions) -> None:
        self._db = db
        self.subscriptions = SubscriptionRecords(db)
        self.sends = DigestSendRecords(db)
        self.watches = WatchRecords(db)
        self.incidents = IncidentRecords(db)
        self.events = EventRecords(db)
        self.replicas = ReplicaRecords(db)
        self.actions = ActionRecords(db)

    @classmethod
    def connect(cls, url: str, *, isolation_level: str | None = None) -> Self:
        """The store at `url` (InvalidUrl if it is not a URL backupbot can use)."""
        return cls(Transactions.connect(url, isolation_level=isolation_level))

    @property
    def database(self) -> str:
        """The database, for messages and logs (never its password)."""
        return self._db.database

    @property
    def engine(self) -> Engine:
        """SQLAlchemy's engine over the database (its dialect; raw rows in tests)."""
        return self._db.engine

    @property
    def problem(self) -> StorageError | None:
        """The last failure, until a later write (or, after a failed read, a read) succeeds."""
        return self._db.problem

    def migrate(self) -> migrations.Migration:
        """Bring the schema to head (once, under a lock, however many replicas start)."""
        return self._db.migrate()

    def schema(self) -> tuple[str | None, str]:
        """The database's schema revision and the one this backupbot needs, read only."""
        return self._db.schema()

    def close(self) -> None:
        """Close the pooled connections."""
        self._db.close()
