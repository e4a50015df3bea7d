"""A state store backupbot cannot use: `migrate`, `check` and `serve` refuse it in the same
words, one line and the hint that fits (never "make it writable" for what is no database).

A store that cannot be written is made real on every backend: a read-only SQLite file
(the process run without root's power over permissions), a PostgreSQL database turned
read-only, a MariaDB user that may only read.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.schedule.database import database_url, describe
from bot.support.database_url import sqlite_url
from bot.support.serving import free_port
from tests.databases import SERVERS, scratch_database
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET
from tests.processes import run_backupbot


def state_line(output: str) -> str:
    (line,) = [line for line in output.splitlines() if " state: " in line]
    return line


def assert_refused_alike(env: dict[str, str], *, problem: str, hint: str, **how: bool) -> None:
    """`migrate` and `serve` end with `problem` and `hint`, `check` fails with both."""
    serve = ("serve", "--simulator", "--host", "127.0.0.1", "--port", str(free_port()))
    for command in (("migrate",), serve):
        served = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
        result = run_backupbot(*command, env={**env, **served}, **how)
        assert result.returncode == 2, result.stdout + result.stderr
        said = [line for line in result.stderr.splitlines() if not line.startswith("{")]
        assert said == [f"backupbot: {problem}", f"  hint: {hint}"], "serve logs JSON beside"
    checked = run_backupbot("check", env=env, **how)
    assert checked.returncode == 1
    assert state_line(checked.stdout) == f"✖ state: {problem} ({hint})"


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def read_only_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A migrated store this process may read but not write: its URL, and the start of the
    driver's reason."""
    backend: str = request.param
    if backend == "sqlite":
        state = tmp_path / "state.sqlite3"
        assert run_backupbot("migrate", env={"BACKUPBOT_STATE": str(state)}).returncode == 0
        state.chmod(0o444)
        tmp_path.chmod(0o555)
        try:
            yield sqlite_url(str(state)), "attempt to write a readonly database"
        finally:
            tmp_path.chmod(0o755)
        return
    with scratch_database(backend) as url:
        assert run_backupbot("migrate", env={"BACKUPBOT_DATABASE_URL": url}).returncode == 0
        name = make_url(url).database
        admin = create_engine(SERVERS[backend].url, isolation_level="AUTOCOMMIT")
        try:
            if backend == "postgresql":  # as after a fail-over to a read-only replica
                with admin.connect() as connection:
                    connection.execute(
                        text(f"ALTER DATABASE {name} SET default_transaction_read_only = on")
                    )
                yield url, "cannot execute INSERT in a read-only transaction"
                return
            user = f"ro_{uuid.uuid4().hex[:8]}"
            with admin.connect() as connection:
                for host in ("%", "localhost", "127.0.0.1"):
                    connection.execute(text(f"CREATE USER '{user}'@'{host}'"))
                    connection.execute(text(f"GRANT SELECT ON {name}.* TO '{user}'@'{host}'"))
            try:
                yield make_url(url).set(username=user).render_as_string(False), "INSERT"
            finally:
                with admin.connect() as connection:
                    for host in ("%", "localhost", "127.0.0.1"):
                        connection.execute(text(f"DROP USER IF EXISTS '{user}'@'{host}'"))
        finally:
            admin.dispose()


def test_migrate_and_check_refuse_a_store_that_cannot_be_written(
    read_only_store: tuple[str, str],
) -> None:
    url, reason = read_only_store
    sqlite = url.startswith("sqlite")
    variable = "BACKUPBOT_STATE" if sqlite else "BACKUPBOT_DATABASE_URL"
    env = {variable: url.removeprefix("sqlite:///") if sqlite else url}
    migrated = run_backupbot("migrate", env=env, permissions=True)
    assert migrated.returncode == 2, "never 'up to date' for a store nothing can be written to"
    (problem, hint) = migrated.stderr.splitlines()
    database = describe(database_url(url))
    assert problem.startswith(f"backupbot: {variable}: {database} cannot be used: {reason}")
    expected = (
        f"make the file and its directory writable, with free disk space, or point {variable}"
        " elsewhere"
        if sqlite
        else "check that the database server is up and writable, and that its user may create"
        " tables and write to them"
    )
    assert hint == f"  hint: {expected}"
    checked = run_backupbot("check", env=env, permissions=True)
    assert state_line(checked.stdout) == (
        f"✖ state: {problem.removeprefix('backupbot: ')} ({hint.removeprefix('  hint: ')})"
    )


def test_a_file_that_is_no_database_is_said_so_and_left_alone(tmp_path: Path) -> None:
    state = tmp_path / "notes.txt"
    state.write_text("shopping list: milk, eggs, and a backup of the backups\n" * 20)
    before = state.read_bytes()
    assert_refused_alike(
        {"BACKUPBOT_STATE": str(state)},
        problem=f"BACKUPBOT_STATE: SQLite file {state} cannot be used: it is not a SQLite database",
        hint="move it away (backupbot then makes a new one), or name another file",
    )
    assert state.read_bytes() == before


def test_a_directory_is_no_state_file(tmp_path: Path) -> None:
    assert_refused_alike(
        {"BACKUPBOT_STATE": str(tmp_path)},
        problem=f"BACKUPBOT_STATE: SQLite file {tmp_path} cannot be used: it is a directory",
        hint=f"name a file in it, such as {tmp_path / 'backupbot-state.sqlite3'}",
    )


def test_a_new_state_file_needs_a_directory_that_exists(tmp_path: Path) -> None:
    state = tmp_path / "missing" / "state.sqlite3"
    assert_refused_alike(
        {"BACKUPBOT_STATE": str(state)},
        problem=f"BACKUPBOT_STATE: SQLite file {state} cannot be used: its directory "
        f"{state.parent} does not exist",
        hint="create it, or name a file in a directory that exists",
    )
    assert not state.parent.exists()


def test_a_new_state_file_needs_a_directory_it_may_write(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    state = locked / "state.sqlite3"
    assert_refused_alike(
        {"BACKUPBOT_STATE": str(state)},
        problem=f"BACKUPBOT_STATE: SQLite file {state} cannot be used: its directory {locked} "
        "cannot be written",
        hint="make it writable, or name a file in another directory",
        permissions=True,
    )
    assert list(locked.iterdir()) == []


@pytest.mark.parametrize("scheme", ["postgresql", "mysql"])
def test_a_server_that_is_not_there_is_said_in_words(scheme: str) -> None:
    env = {"BACKUPBOT_DATABASE_URL": f"{scheme}://bot@127.0.0.1:9/state"}
    migrated = run_backupbot("migrate", env=env)
    checked = run_backupbot("check", env=env)
    (problem, hint) = migrated.stderr.splitlines()
    assert problem.startswith(f"backupbot: BACKUPBOT_DATABASE_URL: {scheme}+")
    assert "Connection refused" in problem
    assert "[Errno" not in problem, "the system's words, not Python's"
    assert state_line(checked.stdout) == (
        f"✖ state: {problem.removeprefix('backupbot: ')} ({hint.removeprefix('  hint: ')})"
    )
