"""Connecting to the state database: URLs, engines, and what each backend needs.

One URL picks the backend: `sqlite:///path`, `postgresql://user@host/db` or
`mysql://user@host/db` (MySQL 8 or MariaDB). Plain URLs get the drivers backupbot
depends on (psycopg 3, PyMySQL). The engine is SQLAlchemy's sync engine with its pool;
the store calls it from worker threads. SQLite gets real transactions (pysqlite's own
BEGIN handling skips DDL), foreign keys and a busy timeout.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote
from urllib.request import pathname2url

from sqlalchemy import Engine, Table, event
from sqlalchemy import create_engine as sqlalchemy_engine
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError

from bot import messages
from bot.errors import MigrationRefused
from bot.support.database_url import DRIVERS, checked_database_url
from bot.support.error_words import first_line

SQLITE_BUSY_SECONDS = 30
# Errors a retry of the same transaction may well cure: a deadlock victim, a serialization
# failure under REPEATABLE READ, a lock wait that timed out.
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})
TRANSIENT_MYSQL_CODES = frozenset({1205, 1213})


def database_url(text: str) -> URL:
    """SQLAlchemy's URL of `text`, with the driver backupbot uses; InvalidUrl (never
    quoting it) if backupbot cannot store state there (`checked_database_url`)."""
    text = text.strip()
    checked = checked_database_url(text)
    url = make_url(text)
    if "+" not in url.drivername and checked.backend in DRIVERS:
        url = url.set(drivername=f"{checked.backend}+{DRIVERS[checked.backend]}")
    return url


def describe(url: URL) -> str:
    """The database for messages and logs: the file of SQLite, else the URL with everything
    up to the last `@` of its authority (user name and password) hidden, and no query
    (whose parameters may hold a password too)."""
    if url.get_backend_name() == "sqlite":
        return messages.sqlite_file(url.database)
    place = URL.create(url.drivername, host=url.host, port=url.port, database=url.database)
    shown = place.render_as_string()
    if url.username is None and url.password is None:
        return shown
    scheme, _, rest = shown.partition("://")
    return f"{scheme}://***@{rest}"


def create_engine(url: URL, *, isolation_level: str | None = None, create: bool = False) -> Engine:
    """A pooled engine for `url`; `isolation_level` overrides the server's default (tests).

    A SQLite file is opened, never created, unless `create`: a state file that vanished
    must be an error, not a fresh empty database (see `create_sqlite_file`).
    """
    options: dict[str, Any] = {}
    if isolation_level is not None:
        options["isolation_level"] = isolation_level
    if url.get_backend_name() == "sqlite":
        engine = sqlalchemy_engine(url, creator=_sqlite_opener(url, create=create), **options)
        _sqlite_transactions(engine)
        return engine
    # A server may drop idle connections: check each before use, renew them hourly.
    return sqlalchemy_engine(url, pool_pre_ping=True, pool_recycle=3600, **options)


def _sqlite_opener(url: URL, *, create: bool) -> Callable[[], sqlite3.Connection]:
    target = (
        f"file:{pathname2url(os.path.abspath(url.database or ''))}?mode={'rwc' if create else 'rw'}"
    )

    def connect() -> sqlite3.Connection:
        # The pool hands connections to the store's worker threads, one thread at a time.
        return sqlite3.connect(
            target, uri=True, timeout=SQLITE_BUSY_SECONDS, check_same_thread=False
        )

    return connect


def sqlite_file(url: URL) -> str | None:
    """The path of a SQLite URL's file, None for other backends."""
    return url.database if url.get_backend_name() == "sqlite" else None


def create_sqlite_file(url: URL, build: Callable[[Engine], object]) -> bool:
    """Create the state file whole, if it does not exist yet; True if this call made it.

    The file is built beside its place (`build` migrates it) and linked into place, which
    fails if another replica got there first: no one ever sees a half-made or 0-byte
    state file, so an empty one can only be damage, and is refused.
    """
    path = url.database or ""
    if os.path.exists(path):
        return False
    draft = f"{path}.{uuid.uuid4().hex[:12]}.new"
    engine = create_engine(url.set(database=draft), create=True)
    try:
        build(engine)
        engine.dispose()
        try:
            os.link(draft, path)
        except FileExistsError:
            return False
        return True
    finally:
        engine.dispose()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(draft)


def _sqlite_transactions(engine: Engine) -> None:
    """BEGIN ourselves, so DDL is transactional; IMMEDIATE unless a connection asks otherwise.

    IMMEDIATE takes the write lock at the start, so a transaction that reads and then
    writes never fails half-way for want of it (SQLite's deferred upgrade can).
    """

    @event.listens_for(engine, "connect")
    def connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


def sqlite_file_problem(url: URL) -> MigrationRefused | None:
    """Why a SQLite state file cannot be what it claims to be, or be made; None if it can.

    SQLite takes an empty file for an empty database; an emptied state file (a failed
    copy, a full disk) would silently start over with no subscriptions. A file yet to be
    made needs a directory that exists and may be written (checked, not tried: `check`
    changes nothing).
    """
    path = sqlite_file(url)
    if path is None:
        return None
    if os.path.isdir(path):
        example = os.path.join(path, "backupbot-state.sqlite3")
        return MigrationRefused(messages.IS_A_DIRECTORY, messages.name_a_file_in_it(example))
    if os.path.isfile(path):
        if os.path.getsize(path) == 0:
            return MigrationRefused(messages.EMPTY_STATE_FILE, messages.RESTORE_OR_DELETE)
        return None
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        return MigrationRefused(messages.no_directory(directory), messages.CREATE_THE_DIRECTORY)
    if not os.access(directory, os.W_OK | os.X_OK):
        return MigrationRefused(
            messages.directory_not_writable(directory), messages.MAKE_THE_DIRECTORY_WRITABLE
        )
    return None


def not_a_database(error: DBAPIError) -> MigrationRefused | None:
    """The refusal of a file SQLite cannot read as a database (SQLITE_NOTADB), or None:
    it is none of backupbot's, and no permission or free space would change that."""
    if getattr(error.orig, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
        return MigrationRefused(messages.NOT_A_SQLITE_DATABASE, messages.MOVE_IT_AWAY)
    return None


def is_transient(error: DBAPIError) -> bool:
    """Would running the same transaction again probably succeed?"""
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate in TRANSIENT_SQLSTATES:
        return True
    args: tuple[Any, ...] = getattr(original, "args", ())
    return bool(args) and args[0] in TRANSIENT_MYSQL_CODES


def reason_of(error: Exception, *, url: URL) -> str:
    """The driver's own words, one line, without the statement or its parameters, nor
    the password of `url` (should a driver ever quote it)."""
    original = getattr(error, "orig", None) or error
    args: tuple[Any, ...] = getattr(original, "args", ())
    if len(args) == 2 and isinstance(args[0], int):  # PyMySQL: (code, message)
        text = f"{args[1]} ({args[0]})"
    else:
        text = str(original)
    if url.password:
        for written in {url.password, quote(url.password, safe="")}:
            text = text.replace(written, "***")
    return first_line(text) or messages.said_nothing(type(original).__name__)


def insert_new(connection: Connection, table: Table, *, values: Mapping[str, Any]) -> bool:
    """Insert a row unless its key exists; True if this call inserted it.

    PostgreSQL and SQLite skip a duplicate quietly (ON CONFLICT DO NOTHING); MySQL and
    MariaDB have no such clause, so there a duplicate raises IntegrityError, which the
    caller counts as "already there". INSERT IGNORE is not used: it would also turn
    truncation and foreign-key errors into warnings.
    """
    name = connection.dialect.name
    if name == "postgresql":
        statement: Any = postgresql.insert(table).values(dict(values)).on_conflict_do_nothing()
    elif name == "sqlite":
        statement = sqlite.insert(table).values(dict(values)).on_conflict_do_nothing()
    else:
        try:
            with connection.begin_nested():  # the transaction goes on after a duplicate
                connection.execute(table.insert().values(dict(values)))
        except IntegrityError:
            return False
        return True
    # SQLAlchemy reports an INSERT's row count only when asked to keep it.
    result = connection.execute(statement.execution_options(preserve_rowcount=True))
    return bool(result.rowcount == 1)


def upsert(
    connection: Connection, table: Table, *, values: Mapping[str, Any], keys: Sequence[str]
) -> None:
    """Insert a row, or update the existing row with the same `keys`."""
    changes = {name: value for name, value in values.items() if name not in keys}
    name = connection.dialect.name
    statement: Any
    if name == "postgresql":
        statement = (
            postgresql.insert(table)
            .values(dict(values))
            .on_conflict_do_update(index_elements=list(keys), set_=changes)
        )
    elif name == "sqlite":
        statement = (
            sqlite.insert(table)
            .values(dict(values))
            .on_conflict_do_update(index_elements=list(keys), set_=changes)
        )
    else:
        statement = mysql.insert(table).values(dict(values)).on_duplicate_key_update(changes)
    connection.execute(statement)
