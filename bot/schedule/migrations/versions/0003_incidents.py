"""Watches follow incidents: one message per problem, its changes in that message's thread.

New: `incidents` (one per watch, instance and problem; its channel and message ts, so
any replica can thread under it and update it) and `incident_changes` (what each change
said, so whichever replica posts it says the same). Their posts are claimed in `alerts`
as before, keyed "incident:ID:N".

Gone: `instance_health` (whether each instance was stale: incidents say more) and the
alert claims of the old messages (each failed backup, stale, recovered) with the
baseline markers. So each watch's first poll after this revision is a silent baseline
again: problems already there are recorded, not announced a second time in a new form.
A replica still running the previous backupbot fails its watch polls from here on (it
logs so) rather than posting the old messages beside the new ones.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}
INSTANT = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    """Create the incident tables; drop the stale flags and the old alert claims."""
    op.drop_table("instance_health")
    op.execute("DELETE FROM alerts")
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("subscription_id", sa.Integer, nullable=False),
        sa.Column("instance", sa.String(255), nullable=False),
        sa.Column("label", sa.String(255), nullable=False),
        sa.Column("open_instance", sa.String(255)),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("window_start", INSTANT),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("problem", sa.String(32), nullable=False),
        sa.Column("changes", sa.Integer, nullable=False),
        sa.Column("opened_at", INSTANT, nullable=False),
        sa.Column("seen_at", INSTANT, nullable=False),
        sa.Column("closed_at", INSTANT),
        sa.Column("channel_id", sa.String(32)),
        sa.Column("message_ts", sa.String(32)),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            ondelete="CASCADE",
            name="fk_incidents_subscription_id",
        ),
        sa.UniqueConstraint(
            "subscription_id", "open_instance", name="uq_incidents_subscription_id_open_instance"
        ),
        **MYSQL,
    )
    op.create_index(
        "ix_incidents_subscription_id_instance", "incidents", ["subscription_id", "instance"]
    )
    op.create_table(
        "incident_changes",
        sa.Column("incident_id", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("window_start", INSTANT),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("seen_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("incident_id", "number", name="pk_incident_changes"),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            ondelete="CASCADE",
            name="fk_incident_changes_incident_id",
        ),
        **MYSQL,
    )


def downgrade() -> None:
    """backupbot never migrates down: restore a backup of the database instead."""
    raise NotImplementedError("backupbot migrations only go forward")
