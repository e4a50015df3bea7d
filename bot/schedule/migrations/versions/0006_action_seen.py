"""Backups taken by hand: when each was last seen (its job or its own row), so that one
neither can be read of is followed for a bounded time, then ended in words.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The type as this revision knows it (the code's schema may move on).
INSTANT = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    """Add the column; rows already there count as seen when they were clicked."""
    op.add_column("actions", sa.Column("seen_at", INSTANT, nullable=True))


def downgrade() -> None:
    """backupbot never migrates down: restore a backup of the database instead."""
    raise NotImplementedError("backupbot migrations only go forward")
