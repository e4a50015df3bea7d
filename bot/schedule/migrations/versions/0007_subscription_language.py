"""A subscription's language: the locale its digests and watch messages are written in;
and a backup taken by hand's: the asker's locale at the click, its channel message's.

New nullable columns `subscriptions.language` and `actions.language` (a locale such as
zh-CN); existing rows get none, which means the workspace's (BACKUPBOT_LANGUAGE), as before.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the columns; every existing subscription and backup keeps the workspace's
    language."""
    op.add_column("subscriptions", sa.Column("language", sa.String(16), nullable=True))
    op.add_column("actions", sa.Column("language", sa.String(16), nullable=True))


def downgrade() -> None:
    """backupbot never migrates down: restore a backup of the database instead."""
    raise NotImplementedError("backupbot migrations only go forward")
