"""Alembic revisions of the state schema, applied by `backupbot migrate` or at start.

`env.py` runs them on the connection backupbot hands it (under the migration lock, see
bot/schedule/migrate.py); there is no alembic.ini. A new revision is a new file in
`versions/` whose `down_revision` is the newest one; it must not import backupbot's
live code (a revision is frozen: what it does must never change), and
tests/schedule/test_migrations.py checks that head matches bot/schedule/schema.py.
"""
