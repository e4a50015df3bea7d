"""The schema of backupbot 0.1 (its store's MIGRATIONS v1 script), on any backend.

A SQLite state file made by 0.1 (with its `schema_version` table at 1) already has
these tables: it is stamped at this revision, not built. Elsewhere they are built, so
that 0002's conversion of 0.1's rows runs, and is tested, on every backend. Key and
defaulted columns have lengths: MySQL indexes no unbounded TEXT, nor gives it defaults.

Revision ID: 0001
Revises: none
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}


def upgrade() -> None:
    """Create 0.1's four tables: times as ISO text, flags as integers, targets as command text."""
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("team_id", sa.String(32), nullable=False, server_default=""),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("targets", sa.String(1000), nullable=False, server_default=""),
        sa.Column("at_time", sa.Text),
        sa.Column("timezone", sa.Text),
        sa.Column("origin", sa.String(16), nullable=False, server_default="slack"),
        sa.Column("config_key", sa.String(768), unique=True),  # 3,072 bytes: MySQL's key limit
        sa.Column("enabled", sa.Integer, nullable=False, server_default=sa.text("1")),
        sa.Column("disabled_reason", sa.Text),
        sa.Column("created_at", sa.String(40), nullable=False),
        **MYSQL,
    )
    op.create_table(
        "digest_sends",
        sa.Column("subscription_id", sa.Integer, sa.ForeignKey("subscriptions.id")),
        sa.Column("local_date", sa.String(10)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_by", sa.String(255), nullable=False),
        sa.Column("claimed_at", sa.String(40), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("1")),
        sa.Column("posted_at", sa.String(40)),
        sa.Column("message_ts", sa.String(32)),
        sa.Column("error", sa.Text),
        sa.PrimaryKeyConstraint("subscription_id", "local_date"),
        **MYSQL,
    )
    op.create_table(
        "alerts",
        sa.Column("subscription_id", sa.Integer, sa.ForeignKey("subscriptions.id")),
        sa.Column("alert_key", sa.String(255)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_by", sa.String(255), nullable=False),
        sa.Column("claimed_at", sa.String(40), nullable=False),
        sa.Column("posted_at", sa.String(40)),
        sa.PrimaryKeyConstraint("subscription_id", "alert_key"),
        **MYSQL,
    )
    op.create_table(
        "instance_health",
        sa.Column("subscription_id", sa.Integer, sa.ForeignKey("subscriptions.id")),
        sa.Column("instance", sa.String(255)),
        sa.Column("stale", sa.Integer, nullable=False),
        sa.Column("changed_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("subscription_id", "instance"),
        **MYSQL,
    )


def downgrade() -> None:
    """backupbot never migrates down: restore a backup of the database instead."""
    raise NotImplementedError("backupbot migrations only go forward")
