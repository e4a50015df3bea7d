"""Database URLs read without a database library: which backend, and whether backupbot
can use it, so that reading the settings loads no SQLAlchemy.

A URL is split as SQLAlchemy's `make_url` splits it (the same pattern, the same
decoding; `tests/test_database_url.py` holds the two to agreeing), then held to what
backupbot needs: a backend it stores state in, a database named, a port in range, and a
password whose every `@` is encoded. The messages never quote the URL: it may hold a
password. `bot.schedule.database` turns a checked URL into SQLAlchemy's, with its driver.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from bot import messages
from bot.errors import InvalidUrl

DRIVERS = {"postgresql": "psycopg", "mysql": "pymysql", "mariadb": "pymysql"}
BACKENDS = ("sqlite", *DRIVERS)
# SQLAlchemy's own pattern (sqlalchemy/engine/url.py, `_parse_url`).
_URL = re.compile(
    r"""
        (?P<name>[\w\+]+)://
        (?:
            (?P<username>[^:/]*)
            (?::(?P<password>[^@]*))?
        @)?
        (?:
            (?:
                \[(?P<ipv6host>[^/\?]+)\] |
                (?P<ipv4host>[^/:\?]+)
            )?
            (?::(?P<port>[^/\?]*))?
        )?
        (?:/(?P<database>[^\?]*))?
        (?:\?(?P<query>.*))?
    """,
    re.X,
)
# `scheme://user:password@`, the password ending at its first `@`, as SQLAlchemy reads it.
_CREDENTIALS = re.compile(r"^[\w+]+://[^:/]*:[^@]*@")


@dataclass(frozen=True)
class DatabaseUrl:
    """What a database URL names, decoded as SQLAlchemy decodes it."""

    drivername: str
    username: str | None
    password: str | None
    host: str | None
    port: int | None
    database: str | None

    @property
    def backend(self) -> str:
        """The backend, without the driver: `postgresql` of `postgresql+psycopg`."""
        return self.drivername.split("+")[0]


def sqlite_url(path: str) -> str:
    """The URL of a SQLite file (relative paths stay relative to the working directory)."""
    return f"sqlite:///{path}"


def split_url(text: str) -> DatabaseUrl | None:
    """`text` split as SQLAlchemy splits it; None where it cannot split it. ValueError for
    a port that is not a number (SQLAlchemy's `int()` says so too)."""
    found = _URL.match(text)
    if found is None:
        return None
    parts = found.groupdict()
    decoded = {
        name: unquote(parts[name]) if parts[name] is not None else None
        for name in ("username", "password", "database")
    }
    return DatabaseUrl(
        drivername=parts["name"],
        username=decoded["username"],
        password=decoded["password"],
        host=parts["ipv4host"] or parts["ipv6host"],
        port=None if parts["port"] is None else int(parts["port"]),  # "" too: ValueError
        database=decoded["database"],
    )


def checked_database_url(text: str) -> DatabaseUrl:
    """The URL `text` names, if backupbot can store state there; InvalidUrl (never
    quoting it) otherwise."""
    text = text.strip()
    if _unencoded_at(text):
        raise InvalidUrl(messages.UNENCODED_AT, messages.PERCENT_ENCODE_AT)
    examples = messages.DATABASE_URL_EXAMPLES
    try:
        url = split_url(text)
    except ValueError:  # a port that is not a number
        raise InvalidUrl(messages.must_be_a_url(examples, needs=messages.URL_PORT)) from None
    if url is None:
        raise InvalidUrl(messages.must_be_a_url(examples))
    if url.port is not None and not 0 < url.port < 65536:
        raise InvalidUrl(messages.must_be_a_url(examples, needs=messages.URL_PORT))
    backend = url.backend
    if backend not in BACKENDS:
        raise InvalidUrl(messages.stores_state_in(", ".join(BACKENDS), backend))
    if backend == "sqlite" and not url.database:
        raise InvalidUrl(messages.SQLITE_NEEDS_A_FILE)
    if backend != "sqlite" and not url.database:
        raise InvalidUrl(messages.name_the_database(backend))
    return url


def _unencoded_at(text: str) -> bool:
    """Does an `@` follow the one that ends the password?

    SQLAlchemy ends a password at its first `@` and reads the rest as the host, port and
    database: the rest of the password would be shown as a host and sent to DNS. A user
    name may hold an `@` (`user@server:password@host`), a SQLite path too.
    """
    credentials = _CREDENTIALS.match(text)
    return (
        credentials is not None
        and not text.startswith("sqlite")
        and "@" in text[credentials.end() :]
    )


def secrets_in(text: str) -> list[str]:
    """The secret parts of a database URL as they may appear in a log: the password, as
    written and decoded; whoever configures logging redacts them."""
    try:
        written = urlsplit(text.strip()).password
    except ValueError:
        written = None
    return [part for part in (written, checked_database_url(text).password) if part]
