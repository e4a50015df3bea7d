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

The store is one class, `Store`, made of one part per purpose, each in its module:
subscriptions, digest_sends, watch_state (a watch's claims), incidents (with their rows,
and the handover of a watch's incidents when it stops) and replicas (with holds, who
holds a claim), over
transactions (where every failure of the database becomes a StorageError naming it, never
its password).
"""

from __future__ import annotations

from bot.schedule.store.digest_sends import DigestSend, DigestSendRecords, SendStatus
from bot.schedule.store.handover import HandoverRecords
from bot.schedule.store.holds import Hold
from bot.schedule.store.incident_records import IncidentRecords, Pending
from bot.schedule.store.replicas import ReplicaRecords
from bot.schedule.store.subscriptions import (
    DeclaredDigest,
    Subscription,
    SubscriptionKind,
    SubscriptionRecords,
)
from bot.schedule.store.watch_state import WatchRecords

__all__ = [
    "DeclaredDigest",
    "DigestSend",
    "Hold",
    "Pending",
    "SendStatus",
    "Store",
    "Subscription",
    "SubscriptionKind",
]


class Store(
    SubscriptionRecords,
    DigestSendRecords,
    WatchRecords,
    IncidentRecords,
    HandoverRecords,
    ReplicaRecords,
):
    """Subscriptions and what was sent for them, in one database shared by every replica."""
