"""Subscriptions as data, instants as instants, flags as booleans, claims of Slack events.

0.1 stored a subscription's targets as the text of a chat command, parsed again at every
send: the schema depended on the grammar. Here they become data ({kind, value} targets
and a profile), parsed once by a frozen copy of the tiny part of the grammar that
stored text can use, so this revision reads the same rows the same way forever. Times
become timezone-aware columns compared as instants, not text; flags become booleans.
New: `slack_events` (one row per event id, claimed once across replicas) and `workers`
(each replica's heartbeat, which also proves the store can be written). Keys of
digests declared in a config file become a digest of their fields.

The rows are read, the four tables rebuilt and the rows written back with their ids,
history included. On PostgreSQL and SQLite this is one transaction. MySQL commits each
DDL statement by itself: a failure half-way there needs the database's backup.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}
INSTANT = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")

# The grammar of stored targets, frozen: canonical text is words separated by spaces,
# each `@profile`, `instance:NAME`, an instance id, a backup id or a bare NAME.
_INSTANCE_ID = re.compile(r"^[A-Za-z0-9]{32}in\d\d$")
_BACKUP_ID = re.compile(r"^[A-Za-z0-9]{32}br\d\d$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{3,63}$")
_INSTANCE_PREFIX = "instance:"


def parse_targets(text: str) -> tuple[str | None, list[dict[str, str]]]:
    """0.1's stored targets text: its profile and its targets, sorted as backupbot sorts them."""
    profile: str | None = None
    found: set[tuple[str, str]] = set()
    for word in re.split(r"[\s,]+", text.strip()):
        if not word:
            continue
        if word.startswith("@"):
            profile = word[1:].lower()
        elif word.lower().startswith(_INSTANCE_PREFIX):
            found.add(("instance_name", word[len(_INSTANCE_PREFIX) :]))
        elif _INSTANCE_ID.match(word):
            found.add(("instance_id", word))
        elif _BACKUP_ID.match(word):
            found.add(("backup_id", word))
        elif _NAME.match(word):
            found.add(("instance_name", word))
        else:
            raise ValueError(f"cannot read the stored targets {text!r} (the word {word!r})")
    return profile, [{"kind": kind, "value": value} for kind, value in sorted(found)]


def config_key(
    *, channel: str, profile: str | None, targets: list[dict[str, str]], at: str, zone: str
) -> str:
    """The key of a digest declared in a config file, as bot/schedule/config_file.py makes it."""
    identity = {
        "channel": channel,
        "profile": profile,
        "targets": [[target["kind"], target["value"]] for target in targets],
        "at": at,
        "tz": zone,
    }
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _instant_converter(dialect: str) -> Callable[[str | None], datetime | None]:
    """0.1's ISO text to what the column takes: aware on PostgreSQL, naive UTC elsewhere."""

    def convert(text: str | None) -> datetime | None:
        if text is None:
            return None
        moment = datetime.fromisoformat(text)
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        return moment if dialect == "postgresql" else moment.replace(tzinfo=None)

    return convert


def _rows(connection: sa.Connection, table: str) -> list[dict[str, Any]]:
    result = connection.execute(sa.text(f"SELECT * FROM {table}"))
    return [dict(row._mapping) for row in result]


def upgrade() -> None:
    """Read 0.1's rows, rebuild the tables, write the rows back converted."""
    connection = op.get_bind()
    instant = _instant_converter(connection.dialect.name)
    old = {
        name: _rows(connection, name)
        for name in ("subscriptions", "digest_sends", "alerts", "instance_health")
    }
    for name in ("digest_sends", "alerts", "instance_health", "subscriptions"):
        op.drop_table(name)
    op.execute("DROP TABLE IF EXISTS schema_version")  # 0.1's own bookkeeping
    subscriptions, digest_sends, alerts, instance_health = _create_tables()

    rows = []
    for row in old["subscriptions"]:
        try:
            profile, targets = parse_targets(row["targets"] or "")
        except ValueError as error:
            raise ValueError(f"subscription #{row['id']}: {error}") from None
        key = None
        if row["origin"] == "config":
            key = config_key(
                channel=row["channel_id"], profile=profile, targets=targets,
                at=row["at_time"] or "09:00", zone=row["timezone"] or "UTC",
            )  # fmt: skip
        rows.append(
            {
                "id": row["id"], "kind": row["kind"], "team_id": row["team_id"] or "",
                "channel_id": row["channel_id"], "created_by": row["created_by"],
                "profile": profile, "targets": targets,
                "at_time": time.fromisoformat(row["at_time"]) if row["at_time"] else None,
                "timezone": row["timezone"], "origin": row["origin"], "config_key": key,
                "enabled": bool(row["enabled"]), "disabled_reason": row["disabled_reason"],
                "created_at": instant(row["created_at"]),
            }
        )  # fmt: skip
    _insert(subscriptions, rows)
    _insert(
        digest_sends,
        [
            {
                **row,
                "local_date": date.fromisoformat(row["local_date"]),
                "claimed_at": instant(row["claimed_at"]),
                "posted_at": instant(row["posted_at"]),
            }
            for row in old["digest_sends"]
        ],
    )
    _insert(
        alerts,
        [
            {
                **row,
                "claimed_at": instant(row["claimed_at"]),
                "posted_at": instant(row["posted_at"]),
            }
            for row in old["alerts"]
        ],
    )
    _insert(
        instance_health,
        [
            {**row, "stale": bool(row["stale"]), "changed_at": instant(row["changed_at"])}
            for row in old["instance_health"]
        ],
    )
    if connection.dialect.name == "postgresql" and rows:
        # Ids were written explicitly: the sequence must continue after them.
        op.execute(
            "SELECT setval(pg_get_serial_sequence('subscriptions', 'id'),"
            " (SELECT MAX(id) FROM subscriptions))"
        )


def _insert(table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        op.get_bind().execute(table.insert(), rows)


def _owner(table: str) -> sa.ForeignKeyConstraint:
    """A row of `table` belongs to a subscription and goes with it."""
    return sa.ForeignKeyConstraint(
        ["subscription_id"], ["subscriptions.id"], ondelete="CASCADE",
        name=f"fk_{table}_subscription_id",
    )  # fmt: skip


def _create_tables() -> tuple[sa.Table, sa.Table, sa.Table, sa.Table]:
    subscriptions = op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("team_id", sa.String(32), nullable=False, server_default=""),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("profile", sa.String(64)),
        sa.Column("targets", sa.JSON, nullable=False),
        sa.Column("at_time", sa.Time),
        sa.Column("timezone", sa.String(64)),
        sa.Column("origin", sa.String(16), nullable=False, server_default="slack"),
        sa.Column("config_key", sa.String(64)),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("disabled_reason", sa.Text),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
        sa.UniqueConstraint("config_key", name="uq_subscriptions_config_key"),
        **MYSQL,
    )
    digest_sends = op.create_table(
        "digest_sends",
        sa.Column("subscription_id", sa.Integer, nullable=False),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_by", sa.String(255), nullable=False),
        sa.Column("claimed_at", INSTANT, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("1")),
        sa.Column("posted_at", INSTANT),
        sa.Column("message_ts", sa.String(32)),
        sa.Column("error", sa.Text),
        sa.PrimaryKeyConstraint("subscription_id", "local_date", name="pk_digest_sends"),
        _owner("digest_sends"),
        **MYSQL,
    )
    op.create_index("ix_digest_sends_status_claimed_at", "digest_sends", ["status", "claimed_at"])
    alerts = op.create_table(
        "alerts",
        sa.Column("subscription_id", sa.Integer, nullable=False),
        sa.Column("alert_key", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_by", sa.String(255), nullable=False),
        sa.Column("claimed_at", INSTANT, nullable=False),
        sa.Column("posted_at", INSTANT),
        sa.PrimaryKeyConstraint("subscription_id", "alert_key", name="pk_alerts"),
        _owner("alerts"),
        **MYSQL,
    )
    op.create_index("ix_alerts_status_claimed_at", "alerts", ["status", "claimed_at"])
    instance_health = op.create_table(
        "instance_health",
        sa.Column("subscription_id", sa.Integer, nullable=False),
        sa.Column("instance", sa.String(255), nullable=False),
        sa.Column("stale", sa.Boolean, nullable=False),
        sa.Column("changed_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("subscription_id", "instance", name="pk_instance_health"),
        _owner("instance_health"),
        **MYSQL,
    )
    op.create_table(
        "slack_events",
        sa.Column("event_id", sa.String(128), nullable=False),
        sa.Column("claimed_by", sa.String(255), nullable=False),
        sa.Column("claimed_at", INSTANT, nullable=False),
        sa.Column("expires_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_slack_events"),
        **MYSQL,
    )
    op.create_index("ix_slack_events_expires_at", "slack_events", ["expires_at"])
    op.create_table(
        "workers",
        sa.Column("worker", sa.String(255), nullable=False),
        sa.Column("seen_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("worker", name="pk_workers"),
        **MYSQL,
    )
    return subscriptions, digest_sends, alerts, instance_health


def downgrade() -> None:
    """backupbot never migrates down: restore a backup of the database instead."""
    raise NotImplementedError("backupbot migrations only go forward")
