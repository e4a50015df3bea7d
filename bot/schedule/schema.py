"""The state schema as the code uses it (Alembic's revisions build it; a test checks they agree).

Types are chosen to mean the same on SQLite, PostgreSQL and MySQL/MariaDB: instants are
timezone-aware and compared as instants (`timestamptz` on PostgreSQL, UTC `DATETIME(6)`
on MySQL, UTC text of one fixed width on SQLite), flags are booleans, and every key
column has a length (MySQL indexes no unbounded text) and compares case-sensitively.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.dialects import mysql

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}
# InnoDB, utf8mb4 and a binary collation: instance names and ids are case-sensitive.
MYSQL_TABLE: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}
WORKER = 255  # host name and pid of a replica


class UtcDateTime(TypeDecorator[datetime]):
    """An instant: aware datetimes in, aware UTC datetimes out, on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("the store keeps instants: give a timezone-aware datetime")
        value = value.astimezone(UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData(naming_convention=NAMING)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("team_id", String(32), nullable=False, server_default=""),
    Column("channel_id", String(32), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("profile", String(64), nullable=True),
    # [{"kind": "instance_name", "value": "orders-prod"}, ...]: data, not command text
    Column("targets", JSON, nullable=False),
    Column("at_time", Time, nullable=True),
    Column("timezone", String(64), nullable=True),
    Column("language", String(16), nullable=True),  # a locale (zh-CN); none: the workspace's
    Column("origin", String(16), nullable=False, server_default="slack"),
    Column("config_key", String(64), nullable=True, unique=True),
    Column("enabled", Boolean, nullable=False, server_default=true()),
    Column("disabled_reason", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    **MYSQL_TABLE,
)

digest_sends = Table(
    "digest_sends",
    metadata,
    Column(
        "subscription_id",
        Integer,
        ForeignKey("subscriptions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("local_date", Date, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("claimed_by", String(WORKER), nullable=False),
    Column("claimed_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("1")),
    Column("posted_at", UtcDateTime, nullable=True),
    Column("message_ts", String(32), nullable=True),
    Column("error", Text, nullable=True),
    Index(None, "status", "claimed_at"),
    **MYSQL_TABLE,
)

# A watch's claims: its silent baseline (the marker says its first poll recorded what it
# found) and the post of each incident change ("incident:ID:N").
alerts = Table(
    "alerts",
    metadata,
    Column(
        "subscription_id",
        Integer,
        ForeignKey("subscriptions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("alert_key", String(255), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("claimed_by", String(WORKER), nullable=False),
    Column("claimed_at", UtcDateTime, nullable=False),
    Column("posted_at", UtcDateTime, nullable=True),
    Index(None, "status", "claimed_at"),
    **MYSQL_TABLE,
)

# A channel's incidents: one per instance and problem, open until a good backup is back,
# followed by one of the channel's watches covering the instance (`subscription_id`).
incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "subscription_id",
        Integer,
        ForeignKey("subscriptions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("instance", String(255), nullable=False),  # its id: names can change
    Column("label", String(255), nullable=False),
    # The instance while the incident is open, NULL once resolved: a unique key ignores
    # NULLs on every backend, so each channel has at most one open incident per instance
    # and profile (the second key), and so each watch (the first, implied by it; SQLite
    # cannot drop it without rebuilding the table).
    Column("open_instance", String(255), nullable=True),
    Column("state", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("window_start", UtcDateTime, nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("problem", String(32), nullable=False),
    Column("changes", Integer, nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("seen_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("channel_id", String(32), nullable=True),
    Column("message_ts", String(32), nullable=True),
    # The cloud profile's key: "" for the default profile, else its name.
    Column("profile", String(64), nullable=False, server_default=""),
    Column("name", String(255), nullable=False, server_default=""),  # the instance's name
    UniqueConstraint("subscription_id", "open_instance"),
    Index(None, "subscription_id", "instance"),
    Index(None, "channel_id", "profile", "open_instance", unique=True),
    **MYSQL_TABLE,
)

# What each change of an incident said (the opening is number 1): what its thread reply
# shows, whichever replica posts it. Its post is claimed in `alerts` ("incident:ID:N").
incident_changes = Table(
    "incident_changes",
    metadata,
    Column(
        "incident_id",
        Integer,
        ForeignKey("incidents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("number", Integer, primary_key=True),
    Column("state", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("window_start", UtcDateTime, nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("seen_at", UtcDateTime, nullable=False),
    **MYSQL_TABLE,
)

slack_events = Table(
    "slack_events",
    metadata,
    Column("event_id", String(128), primary_key=True),
    Column("claimed_by", String(WORKER), nullable=False),
    Column("claimed_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Index(None, "expires_at"),
    **MYSQL_TABLE,
)

workers = Table(
    "workers",
    metadata,
    Column("worker", String(WORKER), primary_key=True),
    Column("seen_at", UtcDateTime, nullable=False),
    **MYSQL_TABLE,
)

# Backups taken by hand (`/backups backup`): one row per confirmation, inserted when its
# button is clicked (the claim, before the API is called), then followed to its end by
# whichever replica holds its lease (`claimed_by`, `claimed_at`). `told` says the final
# state reached the channel.
actions = Table(
    "actions",
    metadata,
    Column("confirmation", String(64), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("profile", String(64), nullable=False, server_default=""),
    Column("instance_id", String(64), nullable=False),
    Column("instance_name", String(255), nullable=False),
    Column("name", String(64), nullable=False),
    Column("description", Text, nullable=False),
    Column("team_id", String(32), nullable=False, server_default=""),
    Column("channel_id", String(32), nullable=False, server_default=""),
    Column("user_id", String(64), nullable=False),
    Column("backup_id", String(64), nullable=True),
    Column("job_id", String(64), nullable=True),
    Column("progress", String(16), nullable=False, server_default=""),
    Column("size_mb", Double, nullable=True),
    Column("minutes", Integer, nullable=True),
    Column("reason", Text, nullable=True),
    Column("message_ts", String(32), nullable=True),
    Column("told", Boolean, nullable=False, server_default=false()),
    Column("claimed_by", String(WORKER), nullable=False),
    Column("claimed_at", UtcDateTime, nullable=False),
    Column("asked_at", UtcDateTime, nullable=False),
    Column("clicked_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),
    Column("seen_at", UtcDateTime, nullable=True),
    # The asker's locale at the click: the channel's message is drawn in it each time.
    Column("language", String(16), nullable=True),
    Index(None, "told", "state"),
    Index(None, "instance_id", "name"),
    **MYSQL_TABLE,
)
