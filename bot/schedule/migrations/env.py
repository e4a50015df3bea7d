"""Alembic's entry point: migrate the connection backupbot passes in, inside its transaction."""

from __future__ import annotations

from alembic import context

from bot.schedule.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("backupbot applies its migrations itself: run `backupbot migrate`")
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite's DDL is transactional once BEGIN is ours (bot/schedule/database.py).
    transactional_ddl=connection.dialect.name in ("sqlite", "postgresql"),
)
with context.begin_transaction():
    context.run_migrations()
