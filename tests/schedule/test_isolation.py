"""One digest or watch that breaks never takes a tick away from the others.

A second profile, `broken`, reads backups from a source with a bug in it (it raises a
TypeError, as a comparison of naive and aware times deep inside health would). Its digest
and its watch come first in the store, so a tick that stopped at the first error would
post nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import time, timedelta

import pytest

from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine, Engines
from bot.core.backup_source import WHOLE, BackupListing, Rows
from bot.core.params import ListBackupsParams
from bot.errors import StorageError
from bot.huawei.simulator import SimulatorState
from bot.schedule.scheduler import Scheduler
from bot.schedule.store import Store, Subscription
from tests.conftest import NOW
from tests.schedule.conftest import World
from tests.schedule.watches import (
    POLL,
    backup,
    declare_policies_around_now,
    text_of,
    watch,
)

BUG = "can't compare offset-naive and offset-aware datetimes"


class BuggySource:
    """A BackupSource whose every read fails with a bug, not with an upstream error."""

    scope = "buggy"

    async def list_backups(self, params: ListBackupsParams, *, rows: Rows = WHOLE) -> BackupListing:
        raise TypeError(BUG)


def scheduler_with_a_broken_profile(world: World) -> Scheduler:
    broken = Engine.over(
        source=BuggySource(), cache=ListingCache(ttl=60, maxsize=8, clock=world.clock),
        clock=world.clock,
    )  # fmt: skip
    return Scheduler(
        store=world.store,
        engines=Engines("default", {"default": world.engine, "broken": broken}),
        outbox=world.outbox,
        clock=world.clock,
        worker="replica-a",
    )


async def digest(world: World, channel: str, *, profile: str | None = None) -> Subscription:
    return await world.store.subscriptions.add(
        kind="digest", channel_id=channel, created_by="U0CREATOR", created_at=NOW,
        at_time=time(10, 30), timezone="UTC", profile=profile,
    )  # fmt: skip


async def test_a_digest_or_watch_that_breaks_leaves_every_other_one_posted(
    world_of_each_backend: World, state: SimulatorState, caplog: pytest.LogCaptureFixture
) -> None:
    world = world_of_each_backend
    declare_policies_around_now(state)
    broken_digest = await digest(world, "C0BROKENDIGEST", profile="broken")
    broken_watch = await watch(world, channel="C0BROKENWATCH", profile="broken")
    await digest(world, "C0DIGEST")
    await watch(world, "payments-prod", channel="C0WATCH")
    scheduler = scheduler_with_a_broken_profile(world)
    caplog.set_level(logging.WARNING, "backupbot.schedule")

    world.at(NOW)  # the digests are due; the watches take their baseline
    first = await scheduler.tick()
    (post,) = world.posts_to("C0DIGEST")
    assert "payments-prod" in text_of(post)
    (apology,) = world.posts_to("C0BROKENDIGEST")
    assert "backupbot hit an unexpected problem (id " in text_of(apology), "never silence"
    assert BUG not in text_of(apology), "a bug's words are for the log"
    assert {day for _, day in first.posted} == {NOW.date()}
    assert len(first.posted) == 2

    state.fleet.add(backup("payments-prod", ago=timedelta(minutes=1), status="FAILED", serial="x"))
    world.at(NOW + POLL)
    second = await scheduler.tick()
    (incident,) = world.posts_to("C0WATCH")
    assert "payments-prod" in text_of(incident)
    assert len(second.alerts) == 1
    assert second.failed == [broken_watch.id]
    assert world.posts_to("C0BROKENWATCH") == []

    logged = {record.getMessage(): record.exc_info for record in caplog.records}
    tracebacks = [message for message, info in logged.items() if info and info[1]]
    assert any(f"digest #{broken_digest.id}" in message for message in tracebacks)
    assert any(f"watch #{broken_watch.id}" in message for message in tracebacks)
    assert all(str(info[1]) == BUG for info in logged.values() if info and info[1])


# -- the state store refusing work: one subscription's, or everyone's -----------------------
# The database itself refuses, through a trigger: the store's code runs as in production.

REFUSED = "refused by a test trigger"


def _trigger(dialect: str, name: str, *, table: str, event: str, when: str) -> list[str]:
    """SQL creating a trigger that makes the database refuse `event` on `table` rows `when`."""
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN {when.replace('ROW.', 'NEW.')}"
            f" BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
        ]
    if dialect == "postgresql":
        return [
            f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '{REFUSED}'; "
            "END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW "
            f"WHEN ({when.replace('ROW.', 'NEW.')}) EXECUTE FUNCTION {name}()",
        ]
    return [
        f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW BEGIN "
        f"IF {when.replace('ROW.', 'NEW.')} THEN SIGNAL SQLSTATE '45000' "
        f"SET MESSAGE_TEXT = '{REFUSED}'; END IF; END"
    ]


@contextmanager
def refusing(store: Store, name: str, *, table: str, event: str, when: str) -> Iterator[None]:
    """The database refuses `event` on `table` rows matching `when` (ROW.column ...)."""
    dialect = store.engine.dialect.name
    with store.engine.begin() as connection:
        for statement in _trigger(dialect, name, table=table, event=event, when=when):
            connection.exec_driver_sql(statement)
    try:
        yield
    finally:  # the migrated databases are shared by the session's tests: leave no trigger
        with store.engine.begin() as connection:
            connection.exec_driver_sql(
                f"DROP TRIGGER {name}" + (f" ON {table}" if dialect == "postgresql" else "")
            )
            if dialect == "postgresql":
                connection.exec_driver_sql(f"DROP FUNCTION {name}()")


async def test_a_row_the_database_refuses_fails_only_its_own_digest(
    world_of_each_backend: World, caplog: pytest.LogCaptureFixture
) -> None:
    world = world_of_each_backend
    refused = await digest(world, "C0REFUSED")
    fine = await digest(world, "C0FINE")
    caplog.set_level(logging.ERROR, "backupbot.schedule")
    world.at(NOW)
    with refusing(
        world.store, "refuse_one_send", table="digest_sends", event="UPDATE",
        when=f"ROW.subscription_id = {refused.id}",
    ):  # fmt: skip
        report = await world.scheduler().tick()
    assert report.posted == [(fine.id, NOW.date())]
    assert report.failed == [refused.id]
    assert len(world.posts_to("C0FINE")) == 1
    assert f"digest #{refused.id}: the state store refused its work" in caplog.text


async def test_a_store_that_fails_for_everyone_ends_the_tick(
    world_of_each_backend: World,
) -> None:
    world = world_of_each_backend
    first = await digest(world, "C0FIRST")
    second = await digest(world, "C0SECOND")
    world.at(NOW)
    # The tick's own heartbeat inserts this replica's row; from then on nothing is updated.
    with (
        refusing(world.store, "refuse_sends", table="digest_sends", event="UPDATE", when="1 = 1"),
        refusing(world.store, "refuse_beats", table="workers", event="UPDATE", when="1 = 1"),
        pytest.raises(StorageError, match="could not be written"),
    ):
        await world.scheduler().tick()
    assert [send.status for send in await world.store.sends.of(first.id)] == ["claimed"]
    assert await world.store.sends.of(second.id) == [], "not tried against a store that is down"
    assert world.slack.calls_to("chat.postMessage") == []
