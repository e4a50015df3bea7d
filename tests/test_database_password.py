"""The password of BACKUPBOT_DATABASE_URL, through every door: no part of it is ever shown.

An `@` in a password must be percent-encoded (%40): unencoded, SQLAlchemy ends the
password at the first `@` and takes the rest for the host, so the URL is refused, in one
line that quotes none of it. A database is named with everything up to the last `@` of
the URL's authority hidden (`postgresql+psycopg://***@host:5432/db`), by `migrate`,
`check` and in serve's log, on PostgreSQL and MariaDB with a real password.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.schedule.migrate import head
from bot.support.serving import ServerThread, free_port
from tests.databases import SERVERS, scratch_database
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, create_fake_slack
from tests.processes import run_backupbot, serve_briefly

PASSWORD = "Sup3r@Xq7z:Kw9v/Jm4p"
PIECES = re.split(r"[@:/]", PASSWORD)
PERCENT_ENCODE = "  hint: percent-encode @ in a password as %40"


def assert_no_piece(output: str) -> None:
    for piece in [PASSWORD, quote(PASSWORD, safe=""), *PIECES]:
        assert piece not in output, f"{piece!r} of the password was shown"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://bot:Sup3r@Xq7z@127.0.0.1:9/state",  # the rest looks like a host
        "mysql://bot:Sup3r@Xq7z:Kw9v@127.0.0.1:9/state",  # ... and a port that is no number
        "postgresql://bot:Sup3r@Xq7z/Kw9v@127.0.0.1:9/state",  # ... a host and a database
        "mariadb://bot:Sup3r@Xq7z:Kw9v/Jm4p@127.0.0.1/state",
    ],
    ids=["host", "port", "database", "all"],
)
@pytest.mark.parametrize("command", ["migrate", "check", "serve"])
def test_an_unencoded_at_in_the_password_is_one_line_quoting_none_of_it(
    command: str, url: str
) -> None:
    serving = ["--simulator", "--host", "127.0.0.1", "--port", str(free_port())]
    args = [command, *serving] if command == "serve" else [command]
    result = run_backupbot(*args, env={"BACKUPBOT_DATABASE_URL": url})
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "backupbot: BACKUPBOT_DATABASE_URL is malformed: its password holds an @ that is not "
        "percent-encoded",
        PERCENT_ENCODE,
    ]
    assert_no_piece(result.stdout + result.stderr)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("postgresql://bot@127.0.0.1:5x32/state", "5x32"),
        ("mysql://bot:Sup3r@127.0.0.1:99999/state", "99999"),
    ],
)
def test_a_port_that_is_not_one_is_said_in_words_not_python(url: str, problem: str) -> None:
    result = run_backupbot("migrate", env={"BACKUPBOT_DATABASE_URL": url})
    assert result.returncode == 2
    (line, _hint) = result.stderr.splitlines()
    assert line == (
        "backupbot: BACKUPBOT_DATABASE_URL is malformed: must be a URL such as "
        "postgresql://user@host/db, mysql://user@host/db or sqlite:///path/state.sqlite3, "
        "with a port from 1 to 65535"
    )
    assert "int()" not in result.stderr
    assert problem not in result.stderr
    assert "Sup3r" not in result.stderr


@pytest.fixture(params=["postgresql", "mysql"])
def url_with_password(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh database whose URL logs in with PASSWORD, percent-encoded.

    MariaDB gets a user of its own with that password; the local PostgreSQL trusts its
    clients, so there the password travels, and must stay hidden, without being needed.
    """
    backend: str = request.param
    with scratch_database(backend) as plain:
        url = make_url(plain)
        if backend == "postgresql":
            yield url.set(password=PASSWORD).render_as_string(hide_password=False)
            return
        user = f"bb_{uuid.uuid4().hex[:8]}"
        admin = create_engine(SERVERS["mysql"].url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                for host in ("%", "localhost", "127.0.0.1"):
                    connection.execute(
                        text(f"CREATE USER '{user}'@'{host}' IDENTIFIED BY :p"), {"p": PASSWORD}
                    )
                    connection.execute(text(f"GRANT ALL ON {url.database}.* TO '{user}'@'{host}'"))
            yield url.set(username=user, password=PASSWORD).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                for host in ("%", "localhost", "127.0.0.1"):
                    connection.execute(text(f"DROP USER IF EXISTS '{user}'@'{host}'"))
            admin.dispose()


def test_a_password_with_an_encoded_at_works_and_is_never_shown(url_with_password: str) -> None:
    url = url_with_password
    assert "%40" in url
    parsed = make_url(url)
    hidden = f"://***@{parsed.host}:{parsed.port}/{parsed.database}"
    with ServerThread(create_fake_slack(FakeSlack())) as slack:
        env = {
            "BACKUPBOT_DATABASE_URL": url, "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": f"{slack.url}/api/",
        }  # fmt: skip
        ended, log = serve_briefly(env)
        migrated = run_backupbot("migrate", env={"BACKUPBOT_DATABASE_URL": url})
        checked = run_backupbot("check", env=env)
    assert ended is None, log
    assert f"{hidden}: schema " in log, "serve's log names the database it migrated"
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout.endswith(f"{hidden} is up to date (schema {head()})\n")
    assert re.search(rf"✔ state: \w+\+\w+{re.escape(hidden)} is ready", checked.stdout)
    for output in (log, migrated.stdout + migrated.stderr, checked.stdout + checked.stderr):
        assert_no_piece(output)
        assert f"{parsed.username}:" not in output, "everything up to the last @ is hidden"


# The local PostgreSQL trusts every client: only MariaDB refuses a password.
@pytest.mark.parametrize("url_with_password", ["mysql"], indirect=True)
def test_a_refused_password_is_one_line_and_never_shown(url_with_password: str) -> None:
    wrong = make_url(url_with_password).set(password=PASSWORD[::-1])
    result = run_backupbot(
        "migrate", env={"BACKUPBOT_DATABASE_URL": wrong.render_as_string(hide_password=False)}
    )
    assert result.returncode == 2
    (line, _hint) = result.stderr.splitlines()
    assert line.startswith("backupbot: BACKUPBOT_DATABASE_URL: mysql+pymysql://***@127.0.0.1")
    assert "Access denied" in line
    for piece in [PASSWORD[::-1], *re.split(r"[@:/]", PASSWORD[::-1])]:
        assert piece not in result.stderr
