"""Any failure to read the inventory, even one nobody foresaw, costs no answer: the listing
falls back to the instances the backups show, a policy to the threshold, each said once.

An inventory source that fails as it is told stands in for the API (no HTTP: the
front-door tests are tests/slack/test_odd_inventory.py and tests/schedule/...)."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine
from bot.core.backup import Backup
from bot.core.health.instances import Instance, InstanceListing, PolicyReads, PolicyUnreadable
from bot.core.health.inventory_cache import InventoryCache, ListingFailed
from bot.core.health.reports import State
from bot.errors import UpstreamError
from bot.huawei.inventory import read_policy
from bot.messages.catalogue import speaking
from tests.conftest import NOW, fixed_clock
from tests.core.memory_source import MemorySource


@dataclass
class Failing:
    """Lists one instance and reads its policy, or raises what it is given."""

    listing: Exception | None = None
    policies: Exception | None = None

    async def list_instances(self) -> InstanceListing:
        if self.listing is not None:
            raise self.listing
        return InstanceListing((Instance(id="i-1", name="alpha-prod", status="ACTIVE"),), 1, 1)

    async def read_policies(self, instance_ids: Sequence[str]) -> PolicyReads:
        if self.policies is not None:
            raise self.policies
        raise AssertionError("only failures are asked of this source")


def engine(inventory: Failing) -> Engine:
    backup = Backup.model_validate(
        {
            "id": "b-1",
            "begin_time": (NOW - timedelta(hours=2)).isoformat(),
            "status": "COMPLETED",
            "instance_id": "i-1",
            "instance_name": "alpha-prod",
        }
    )
    return Engine.over(
        source=MemorySource.of([backup]),
        cache=ListingCache(ttl=60, maxsize=8, clock=fixed_clock),
        clock=fixed_clock,
        inventory=InventoryCache(inventory, ttl=600, clock=fixed_clock),
    )


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (UpstreamError("The TaurusDB API refused the request", status=500), "HTTP 500"),
        (RuntimeError("a bug"), "an unexpected problem, logged for the operator"),
    ],
)
async def test_a_listing_that_cannot_be_read_leaves_health_to_the_backups(
    error: Exception, said: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="backupbot.inventory"):
        fleet = await engine(Failing(listing=error)).health()
    (report,) = fleet.reports
    assert (report.instance.name, report.state) == ("alpha-prod", State.OK)
    assert fleet.notice is not None
    assert fleet.notice.startswith("The instance listing could not be read (")
    assert said in fleet.notice
    assert "a bug" not in fleet.notice, "an exception's words are for the log"
    assert ("a bug" in caplog.text) == isinstance(error, RuntimeError)


async def test_policies_that_cannot_be_read_fall_back_to_the_threshold() -> None:
    fleet = await engine(Failing(policies=RuntimeError("a bug"))).health()
    (report,) = fleet.reports
    assert report.state is State.OK
    assert "policy unknown (an unexpected problem, logged for the operator)" in report.reason


async def test_a_failed_listing_is_read_again_on_the_next_ask() -> None:
    inventory = Failing(listing=UpstreamError("The TaurusDB API refused the request", status=503))
    judge = engine(inventory)
    assert (await judge.health()).notice is not None
    inventory.listing = None
    inventory.policies = UpstreamError("The TaurusDB API refused the request", status=503)
    fleet = await judge.health()
    assert fleet.notice is None, "the listing was read this time"
    (report,) = fleet.reports
    assert "policy unknown (The TaurusDB API refused the request, HTTP 503)" in report.reason


def _zh(message: str) -> str:
    """`message` as the zh_CN .po file itself says it."""
    path = Path(__file__).resolve().parents[2] / "bot/locales/zh_CN/LC_MESSAGES/backupbot.po"
    with path.open("rb") as file:
        return str(read_po(file, locale="zh_CN")[message].string)


async def test_a_failed_read_is_said_to_each_reader_in_their_language() -> None:
    """One read serves readers of several languages (one flight, a cache): why it failed is
    kept as data and said in the language of whoever reads it, not of who read first."""
    cache = InventoryCache(
        Failing(listing=RuntimeError("a bug"), policies=RuntimeError("a bug")),
        ttl=600,
        clock=fixed_clock,
    )
    with speaking("zh-CN"):
        listing = (await cache.instances()).value
        policy = (await cache.policies(["i-1"])).by_id["i-1"]
    english = "an unexpected problem, logged for the operator"
    assert isinstance(listing, ListingFailed)
    assert isinstance(policy, PolicyUnreadable)
    assert (listing.reason, policy.reason) == (english, english)
    with speaking("zh-CN"):
        assert (listing.reason, policy.reason) == (_zh(english), _zh(english))


def test_an_unreadable_policy_value_is_said_in_the_readers_language() -> None:
    with speaking("zh-CN"):
        read = read_policy(json.dumps({"backup_policy": {"keep_days": "abc"}}))
    assert isinstance(read, PolicyUnreadable)
    assert read.reason == "not understood: keep_days 'abc' is not a whole number"
    with speaking("zh-CN"):
        assert read.reason == _zh("not understood: {problem}").format(
            problem=_zh("{field} {value} is not a whole number").format(
                field="keep_days", value="'abc'"
            )
        )
