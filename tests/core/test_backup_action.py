"""The rules of a backup taken by hand, as the API states them (facts.md), checked against
a regular expression and character set written here, not by the code under test."""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.backup import Backup, BackupStatus
from bot.core.backup_action import backup_name, check_description, refusal
from bot.errors import InvalidRequest

API_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{3,63}")
AT = datetime(2026, 12, 8, 1, 2, 3, tzinfo=UTC)


@given(st.text(min_size=1, max_size=300))
def test_every_instance_name_gives_a_name_the_api_takes(instance: str) -> None:
    name = backup_name(instance, AT)
    assert API_NAME.fullmatch(name), name
    assert name.endswith("-20261208010203")


def test_a_name_keeps_the_instance_and_says_when_in_utc() -> None:
    assert backup_name("orders-prod", AT) == "orders-prod-20261208010203"
    east = AT.astimezone(timezone(timedelta(hours=8)))
    assert backup_name("orders-prod", east) == "orders-prod-20261208010203"
    assert backup_name("9lives", AT) == "backup-9lives-20261208010203"
    assert len(backup_name("x" * 80, AT)) == 64


@pytest.mark.parametrize("character", list(">!<\"&'=\r"))
def test_a_description_with_a_forbidden_character_is_refused_naming_it(character: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        check_description(f"before {character} the fix")
    assert (character in refused.value.said) or "carriage return" in refused.value.said


def test_a_description_of_the_rules_passes_and_a_long_one_is_refused() -> None:
    allowed = "".join(c for c in string.printable if c not in ">!<\"&'=\r")[:256]
    assert check_description(allowed) == allowed
    with pytest.raises(InvalidRequest, match="257 characters"):
        check_description("x" * 257)


def _building(kind: str) -> Backup:
    return Backup(
        id="b" * 32 + "br07", name="n", begin_time=AT, status=BackupStatus.BUILDING, type=kind
    )


def test_refusals_before_the_call() -> None:
    assert refusal(status="ACTIVE", building=[], busy_by=None) is None
    assert refusal(status="normal", building=[], busy_by=None) is None
    frozen = refusal(status="FROZEN", building=[], busy_by=None)
    assert frozen is not None
    assert "not normal" in frozen.said
    running = refusal(status="BACKING UP", building=[], busy_by=None)
    assert running is not None
    assert "already running" in running.said
    # who started it comes in the asking surface's words (a mention, a plain name)
    by = refusal(status="ACTIVE", building=[_building("manual")], busy_by="alice (command line)")
    assert by is not None
    assert "started by alice (command line) at " in by.said
    assert "2026-12-08 01:02 UTC" in by.said
    auto = refusal(status="ACTIVE", building=[_building("auto")], busy_by=None)
    assert auto is not None
    assert "automated backup" in auto.said
