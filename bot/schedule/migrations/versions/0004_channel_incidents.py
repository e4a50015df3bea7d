"""One incident per instance per channel: overlapping watches share it.

Two watches covering one instance in one channel (`watch payments-prod`, then `watch`)
each opened an incident of their own, and each posted it. An incident now belongs to
its channel and cloud profile: a unique key on (channel_id, profile, open_instance)
lets one open incident per instance there, whichever watch opens it, and one of the
channel's watches follows it (`subscription_id`).

New columns: `profile` ("" for the default profile, else its name: the watch's, as
stored) and `name` (the instance's name, to tell which watches cover it; its label
until now). Incidents without a channel get their watch's. Open incidents that the
old schema let two watches of one channel hold for one instance are left as they are
but one, the earliest, which keeps following it; the others are closed (their messages
say what they said: a migration cannot reach Slack).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The tables as this revision knows them (the code's schema may move on).
subscriptions = sa.table(
    "subscriptions",
    sa.column("id", sa.Integer),
    sa.column("channel_id", sa.String),
    sa.column("profile", sa.String),
)
incidents = sa.table(
    "incidents",
    sa.column("id", sa.Integer),
    sa.column("subscription_id", sa.Integer),
    sa.column("channel_id", sa.String),
    sa.column("profile", sa.String),
    sa.column("label", sa.String),
    sa.column("name", sa.String),
    sa.column("open_instance", sa.String),
    sa.column("closed_at", sa.DateTime),
)


def upgrade() -> None:
    """Add the columns, fill them from each incident's watch, close duplicates, add the key."""
    op.add_column(
        "incidents", sa.Column("profile", sa.String(64), nullable=False, server_default="")
    )
    op.add_column("incidents", sa.Column("name", sa.String(255), nullable=False, server_default=""))
    connection = op.get_bind()
    watches = {
        row.id: (row.channel_id, row.profile or "")
        for row in connection.execute(sa.select(subscriptions))
    }
    rows = connection.execute(
        sa.select(
            incidents.c.id,
            incidents.c.subscription_id,
            incidents.c.channel_id,
            incidents.c.label,
            incidents.c.open_instance,
        ).order_by(incidents.c.id)
    ).all()
    open_keys: set[tuple[str, str, str]] = set()
    for row in rows:
        channel, profile = watches.get(row.subscription_id, (row.channel_id, ""))
        channel = row.channel_id or channel
        values: dict[str, object] = {"channel_id": channel, "profile": profile, "name": row.label}
        key = (channel, profile, row.open_instance)
        if row.open_instance is not None and key in open_keys:
            # A second open incident of one instance in one channel: the bug this fixes.
            values.update(open_instance=None, closed_at=_now(connection))
        elif row.open_instance is not None:
            open_keys.add(key)
        connection.execute(incidents.update().where(incidents.c.id == row.id).values(values))
    op.create_index(
        "ix_incidents_channel_id_profile_open_instance",
        "incidents",
        ["channel_id", "profile", "open_instance"],
        unique=True,
    )


def _now(connection: sa.engine.Connection) -> datetime:
    """Now, as each backend stores an instant (UTC; naive but on PostgreSQL)."""
    now = datetime.now(UTC)
    return now if connection.dialect.name == "postgresql" else now.replace(tzinfo=None)


def downgrade() -> None:
    """backupbot never migrates down: restore a backup of the database instead."""
    raise NotImplementedError("backupbot migrations only go forward")
