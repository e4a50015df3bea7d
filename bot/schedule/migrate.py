"""Bringing the state schema up to date, once, however many replicas start together.

The revision is read first without any lock: a database already at head (the usual
start) costs one query and no lock, and works even when it cannot be written. Otherwise
the migration runs under a lock every replica respects, and Alembic reads the revision
again under it, so the second replica finds the work done:

- PostgreSQL: `pg_advisory_xact_lock` in the migration's own transaction (DDL is
  transactional there: the lock, the revisions and the version row commit together);
- MySQL / MariaDB: `GET_LOCK`, held by the session until released (DDL commits itself);
- SQLite: `BEGIN EXCLUSIVE` around the whole migration; a new file is built aside and
  linked into place whole (bot/schedule/database.py), so no replica meets a half-made one.

A SQLite file made by backupbot 0.1 (a `schema_version` table at 1, no Alembic
version) is adopted: stamped at revision 0001, which is exactly its schema, then
upgraded like any other.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.engine import Connection

from bot import messages
from bot.errors import MigrationRefused
from bot.schedule.database import create_sqlite_file, sqlite_file

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
LEGACY_REVISION = "0001"
LOCK_NAME = "backupbot-migrations"
PG_LOCK_KEY = 0x6261636B7570  # "backup": one number every replica agrees on
MYSQL_LOCK_SECONDS = 300
# Alembic runs env.py through a process-wide proxy (`alembic.context`): two threads of one
# process must not run it at once. Across processes, the database's lock decides.
_ALEMBIC = threading.Lock()


@dataclass(frozen=True)
class Migration:
    """What `migrate` found and left: revisions before (None: empty) and after."""

    before: str | None
    after: str
    adopted: bool = False

    def line(self, database: str) -> str:
        """One line for the `backupbot migrate` command."""
        if self.before == self.after:
            return messages.up_to_date(database, self.after)
        if self.adopted:
            return messages.adopted(database, self.after)
        if self.before is None:
            return messages.schema_created(database, self.after)
        return messages.migrated(database=database, before=self.before, after=self.after)


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration: our revisions, on `connection`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision this backupbot knows."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision is not None
    return revision


def current_revision(engine: Engine) -> str | None:
    """The database's revision (the adopted one for a 0.1 file), read without writing."""
    path = sqlite_file(engine.url)
    if path is not None and not os.path.exists(path):
        return None
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
        if revision is None and _legacy_version(connection) is not None:
            return LEGACY_REVISION
        return revision


def migrate(engine: Engine) -> Migration:
    """Bring the schema to head under the migration lock; what was found and done."""
    latest = head()
    if sqlite_file(engine.url) is not None and create_sqlite_file(engine.url, _upgrade):
        return Migration(None, latest)
    before = current_revision(engine)
    if before == latest:
        return Migration(before, latest)
    _known(before)
    return _upgrade(engine)


def _upgrade(engine: Engine) -> Migration:
    latest = head()
    with _locked(engine) as connection:
        before = MigrationContext.configure(connection).get_current_revision()
        config = alembic_config(connection)
        adopted = False
        if before is None:
            legacy = _legacy_version(connection)
            if legacy is not None and legacy != 1:
                raise MigrationRefused(
                    messages.unknown_legacy_version(legacy), messages.RESTORE_OR_DELETE
                )
            if legacy is not None:
                with _ALEMBIC:
                    command.stamp(config, LEGACY_REVISION)
                before, adopted = LEGACY_REVISION, True
        _known(before)
        with _ALEMBIC:
            command.upgrade(config, "head")
        after = MigrationContext.configure(connection).get_current_revision()
    assert after == latest
    return Migration(before, latest, adopted)


def known(revision: str) -> bool:
    """Is `revision` one of ours (not one a newer backupbot wrote)?"""
    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except CommandError:
        return False
    return True


def _known(revision: str | None) -> None:
    """Refuse a database that a newer backupbot migrated: its schema is not ours to touch."""
    if revision is not None and not known(revision):
        raise MigrationRefused(
            messages.newer_schema_than(revision, head()), messages.MIGRATIONS_GO_FORWARD
        )


def _legacy_version(connection: Connection) -> int | None:
    """backupbot 0.1's own schema version, if this is one of its SQLite files."""
    if not inspect(connection).has_table("schema_version"):
        return None
    version = connection.execute(text("SELECT MAX(version) FROM schema_version")).scalar()
    return None if version is None else int(version)


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction, holding the migration lock of its backend."""
    backend = engine.dialect.name
    if backend == "sqlite":
        exclusive = engine.connect().execution_options(sqlite_begin="EXCLUSIVE")
        with exclusive as connection, connection.begin():
            yield connection
        return
    with engine.connect() as connection:
        if backend == "postgresql":
            with connection.begin():
                connection.execute(select(func.pg_advisory_xact_lock(PG_LOCK_KEY)))
                yield connection
            return
        got = connection.execute(select(func.get_lock(LOCK_NAME, MYSQL_LOCK_SECONDS))).scalar()
        connection.commit()
        if got != 1:
            raise MigrationRefused(
                messages.lock_held(MYSQL_LOCK_SECONDS), messages.WAIT_FOR_THE_MIGRATION
            )
        try:
            with connection.begin():
                yield connection
        finally:  # after the commit: the next holder must see everything done
            connection.execute(select(func.release_lock(LOCK_NAME)))
            connection.commit()
