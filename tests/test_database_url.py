"""A database URL checked without SQLAlchemy is read exactly as SQLAlchemy reads it.

Settings check BACKUPBOT_DATABASE_URL with `bot.support.database_url` (no database
library loaded); the store then opens it with SQLAlchemy's `make_url`. Were the two to
split a URL differently, a URL let through would open another database than the one
checked, or one refused would have worked: so every part is compared, on URLs built
from the characters that matter to the pattern.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.errors import InvalidUrl
from bot.schedule.database import database_url
from bot.support.database_url import checked_database_url, split_url

# The characters the pattern splits on, and a few it does not.
PIECES = st.text(alphabet="ab1_+-:/@?[]%.=&#9 ٣", max_size=12)
SCHEMES = st.sampled_from(["sqlite", "postgresql", "mysql+pymysql", "mariadb", "oracle", "x"])


@st.composite
def urls(draw: st.DrawFn) -> str:
    """A URL-ish string: a scheme, then pieces joined by what separates URL parts."""
    parts = draw(st.lists(PIECES, max_size=5))
    glue = draw(st.lists(st.sampled_from(["", ":", "@", "/", "?", "://"]), min_size=len(parts)))
    body = "".join(part + sep for part, sep in zip(parts, glue, strict=False))
    return f"{draw(SCHEMES)}://{body}" if draw(st.booleans()) else body


@given(urls())
def test_a_url_is_split_as_sqlalchemy_splits_it(text: str) -> None:
    try:
        theirs = make_url(text)
    except ArgumentError:
        assert split_url(text) is None
        return
    except ValueError:  # a port that is not a number
        with pytest.raises(ValueError):  # noqa: PT011 - int()'s own error, as theirs
            split_url(text)
        return
    ours = split_url(text)
    assert ours is not None
    assert (ours.drivername, ours.backend) == (theirs.drivername, theirs.get_backend_name())
    assert (ours.username, ours.password) == (theirs.username, theirs.password)
    assert (ours.host, ours.port, ours.database) == (theirs.host, theirs.port, theirs.database)


@given(urls())
def test_the_store_opens_exactly_the_urls_the_settings_let_through(text: str) -> None:
    said: tuple[str, str] | None = None
    try:
        checked = checked_database_url(text)
    except InvalidUrl as refused:
        said = (refused.said, refused.hint)
    if said is not None:
        with pytest.raises(InvalidUrl) as again:
            database_url(text)
        assert (again.value.said, again.value.hint) == said
        return
    opened = database_url(text)
    assert opened.get_backend_name() == checked.backend
    assert (opened.host, opened.port, opened.database) == (
        checked.host,
        checked.port,
        checked.database,
    )
