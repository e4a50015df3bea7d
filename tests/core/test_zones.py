"""Time zones by name: one reading and one wording of the mistake."""

from __future__ import annotations

import pytest

from bot.errors import QueryError
from bot.support.zones import zone_named


@pytest.mark.parametrize(
    "text", ["Europe/Paris", " Europe/Paris", "Europe/Paris\n", "\tEurope/Paris "]
)
def test_a_zone_is_read_by_its_iana_name_white_space_aside(text: str) -> None:
    assert zone_named(text).key == "Europe/Paris"


@pytest.mark.parametrize(
    "text", ["Mars/Olympus", "europe/paris", "America", "", "../etc/passwd", "/etc/localtime"]
)
def test_anything_else_is_one_user_error_naming_it(text: str) -> None:
    with pytest.raises(QueryError) as caught:
        zone_named(text)
    assert caught.value.said == f"unknown time zone '{text.strip()}'"
    assert caught.value.hint == "use an IANA name such as Europe/Paris"
    assert caught.value.word == text.strip()
