"""Real databases for the store's tests: SQLite in a temporary file, PostgreSQL and MySQL/MariaDB.

The servers are read from BACKUPBOT_TEST_POSTGRES_URL and BACKUPBOT_TEST_MYSQL_URL
(defaults: the local servers of a development machine). Every test gets a database of
its own, created with a unique name and dropped afterwards. Without a server its tests
are skipped, and the run ends with one line per missing server saying how to run them;
with CI=true a missing server is a failure, never a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from bot.schedule.database import database_url as parse_url
from bot.schedule.schema import metadata
from bot.schedule.store import Store
from bot.support.database_url import sqlite_url

BACKENDS = ("sqlite", "postgresql", "mysql")


@dataclass(frozen=True)
class Server:
    """A database server the tests may use."""

    name: str
    variable: str
    default: str

    @property
    def url(self) -> URL:
        return parse_url(os.environ.get(self.variable) or self.default)


SERVERS = {
    "postgresql": Server(
        "PostgreSQL", "BACKUPBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
    ),
    "mysql": Server(
        "MySQL/MariaDB", "BACKUPBOT_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/test"
    ),
}
_missing: dict[str, str] = {}  # backend -> the one line saying how to run its tests


def _unreachable(backend: str) -> str | None:
    """Why the server of `backend` cannot be used (asked once a session), or None."""
    if backend not in _missing:
        server = SERVERS[backend]
        engine = create_engine(server.url, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            _missing[backend] = ""
        except SQLAlchemyError as error:
            reason = str(getattr(error, "orig", error)).splitlines()[0]
            _missing[backend] = (
                f"no {server.name} server at {server.url.render_as_string(hide_password=True)}"
                f" ({reason})"
            )
        finally:
            engine.dispose()
    return _missing[backend] or None


def require_server(backend: str) -> None:
    """Skip (or, with CI=true, fail) the test when the backend's server is missing."""
    if backend == "sqlite":
        return
    problem = _unreachable(backend)
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{problem}: with CI=true a missing server is a failure")
    pytest.skip(_skipped(backend, problem))


def _skipped(backend: str, problem: str) -> str:
    server = SERVERS[backend]
    return f"{server.name} tests skipped: {problem}; start one, or set {server.variable}"


@contextmanager
def scratch_database(backend: str) -> Iterator[str]:
    """A new, empty database on the server of `backend`; dropped afterwards. Its URL."""
    require_server(backend)
    server_url = SERVERS[backend].url
    name = f"backupbot_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
        yield server_url.set(database=name).render_as_string(hide_password=False)
    finally:
        drop = (
            "DROP DATABASE IF EXISTS {} WITH (FORCE)"
            if backend == "postgresql"
            else ("DROP DATABASE IF EXISTS {}")
        )
        with admin.connect() as connection:
            connection.execute(text(drop.format(name)))
        admin.dispose()


@contextmanager
def database(backend: str, directory: Path) -> Iterator[str]:
    """The URL of a fresh database of `backend` (SQLite: a file in `directory`)."""
    if backend == "sqlite":
        yield sqlite_url(str(directory / "state.sqlite3"))
        return
    with scratch_database(backend) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each backend in turn."""
    name: str = request.param
    require_server(name)
    return name


@pytest.fixture
def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of the backend under test."""
    with database(backend, tmp_path) as url:
        yield url


class MigratedDatabases:
    """One migrated database per backend for the whole session, emptied for each test.

    Building a schema costs most of a second; the store's own suite needs an empty one,
    not a new one, for every test.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.urls: dict[str, str] = {}
        self.stack = ExitStack()

    def empty(self, backend: str) -> str:
        """The backend's migrated database, with no rows in it: its URL."""
        if backend not in self.urls:
            url = self.stack.enter_context(database(backend, self.directory))
            store = Store.connect(url)
            store.migrate()
            store.close()
            self.urls[backend] = url
        store = Store.connect(self.urls[backend])
        with store.engine.begin() as connection:
            for table in reversed(metadata.sorted_tables):
                connection.execute(delete(table))
        store.close()
        return self.urls[backend]


@pytest.fixture(scope="session")
def migrated_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedDatabases]:
    databases = MigratedDatabases(tmp_path_factory.mktemp("migrated"))
    with databases.stack:
        yield databases


@pytest.fixture
def migrated_url(backend: str, migrated_databases: MigratedDatabases) -> str:
    """An empty database of the backend under test, at the current schema."""
    return migrated_databases.empty(backend)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line per missing server, so a skipped backend is never silent."""
    for backend, problem in _missing.items():
        if problem:
            terminalreporter.write_line(_skipped(backend, problem))
