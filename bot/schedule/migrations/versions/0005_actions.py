"""Backups taken by hand: the `actions` table, one row per confirmation.

A confirmation's row is inserted under its unique key when its button is clicked, before
the API is called: of double clicks, Slack's retries and replicas, one inserts it and
only that one calls. The row then says how far the action got (claimed, calling,
started, unknown, done, failed, cancelled) and who follows it (a lease: `claimed_by`,
`claimed_at`).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The types as this revision knows them (the code's schema may move on).
MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}
INSTANT = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
WORKER = 255


def upgrade() -> None:
    """Create the table and its indexes."""
    op.create_table(
        "actions",
        sa.Column("confirmation", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("profile", sa.String(64), nullable=False, server_default=""),
        sa.Column("instance_id", sa.String(64), nullable=False),
        sa.Column("instance_name", sa.String(255), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("team_id", sa.String(32), nullable=False, server_default=""),
        sa.Column("channel_id", sa.String(32), nullable=False, server_default=""),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("backup_id", sa.String(64), nullable=True),
        sa.Column("job_id", sa.String(64), nullable=True),
        sa.Column("progress", sa.String(16), nullable=False, server_default=""),
        sa.Column("size_mb", sa.Double, nullable=True),
        sa.Column("minutes", sa.Integer, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("message_ts", sa.String(32), nullable=True),
        sa.Column("told", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("claimed_by", sa.String(WORKER), nullable=False),
        sa.Column("claimed_at", INSTANT, nullable=False),
        sa.Column("asked_at", INSTANT, nullable=False),
        sa.Column("clicked_at", INSTANT, nullable=False),
        sa.Column("ended_at", INSTANT, nullable=True),
        sa.PrimaryKeyConstraint("confirmation", name="pk_actions"),
        **MYSQL,
    )
    op.create_index("ix_actions_told_state", "actions", ["told", "state"])
    op.create_index("ix_actions_instance_id_name", "actions", ["instance_id", "name"])


def downgrade() -> None:
    """backupbot never migrates down: restore a backup of the database instead."""
    raise NotImplementedError("backupbot migrations only go forward")
