"""Alembic migrations: a backupbot 0.1 state file migrates without loss; replicas migrate once.

tests/data/state-v1.sqlite3 was made by backupbot 0.1's own Store (commit a3bbdb8, schema
v1 with its `schema_version` table): eight subscriptions (digests from Slack, with a
profile and instance ids, two declared in a config file, watches, one turned off), sends
in every status, alerts posted, failed, claimed and baseline, and health rows. What it
holds is written out below by hand, not read back through the code under test. Revision
0003 replaces the alerts and health rows of watches by incidents: they are checked at
0002, and gone after it. Revision 0004 makes incidents their channel's (one open per
instance and profile there, whichever watch): a test of its own.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from bot.core.backup_action import BackupRequest
from bot.core.health.reports import State
from bot.core.query import Target
from bot.errors import MigrationRefused
from bot.schedule.config_file import load_declared_digests
from bot.schedule.database import create_engine
from bot.schedule.database import database_url as parse_url
from bot.schedule.incidents import Condition, Opening
from bot.schedule.migrate import Migration, alembic_config, head
from bot.schedule.schema import actions, alerts, incidents, metadata, subscriptions
from bot.schedule.store import Store
from bot.support.database_url import sqlite_url

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "state-v1.sqlite3"
T0 = datetime(2026, 11, 20, 8, 15, 30, 123456, tzinfo=UTC)
ID = "0123456789abcdef0123456789abcdefin07"


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, 30, 5, tzinfo=UTC)


def minute(offset: int) -> datetime:
    return T0.replace(minute=15 + offset)


# (id, kind, team, channel, created_by, targets, profile, at, zone, origin, enabled, reason)
SUBSCRIPTIONS = [
    (1, "digest", "T0001", "C0DIGEST1", "U0ALICE",
     (Target("instance_name", "orders-prod"), Target("instance_name", "payments-prod")),
     None, time(8, 30), "Europe/Paris", "slack", True, None),
    (2, "digest", "T0001", "C0DIGEST2", "U0BOB", (), None, time(9, 0), "Asia/Tokyo", "slack",
     True, None),
    (3, "digest", "T0001", "C0DIGEST3", "U0CAROL",
     (Target("instance_id", ID), Target("instance_name", "failed"),
      Target("instance_name", "orders-ap")),
     "prod-ap", time(7, 0), "UTC", "slack", True, None),
    (4, "digest", "", "C0CONFIG01", "config", (Target("instance_name", "orders-prod"),), None,
     time(6, 45), "America/New_York", "config", True, None),
    (5, "digest", "", "C0CONFIG02", "config", (), None, time(9, 0), "UTC", "config", True, None),
    (6, "watch", "T0001", "C0WATCH1", "U0ALICE", (), None, None, None, "slack", True, None),
    (7, "watch", "T0002", "C0WATCH2", "U0DAVE",
     (Target("instance_name", "billing-db"), Target("instance_name", "ledger_main")),
     "staging", None, None, "slack", True, None),
    (8, "digest", "T0001", "C0ARCHIVED", "U0ERIN", (Target("instance_name", "legacy-crm"),),
     None, time(18, 0), "Europe/London", "slack", False,
     "the channel was archived (is_archived)"),
]  # fmt: skip
CREATED = {1: minute(0), 2: minute(1), 3: minute(2), 4: minute(3), 5: minute(3), 6: minute(4),
           7: minute(5), 8: minute(6)}  # fmt: skip
# (subscription, date, status, claimed_by, claimed_at, attempts, posted_at, error)
SENDS = [
    (1, date(2026, 11, 21), "posted", "host-a:11", at(21, 7), 1, at(21, 7), None),
    (1, date(2026, 11, 22), "missed_reported", "host-a:11", at(22, 15), 1, None, None),
    (1, date(2026, 11, 23), "posted", "host-b:12", at(23, 7), 1, at(23, 7), None),
    (2, date(2026, 11, 24), "missed", "host-b:12", at(24, 18), 1, None, None),
    (3, date(2026, 11, 24), "claimed", "host-a:11", at(24, 8), 2, None, None),
    (4, date(2026, 11, 25), "posted", "host-a:11", at(25, 11), 1, at(25, 11), None),
    (8, date(2026, 11, 22), "failed", "host-a:11", at(22, 18), 1, None,
     "the channel was archived (is_archived)"),
]  # fmt: skip
ALERTS = {
    (6, "watch:baseline"): ("baseline", "host-a:11", minute(4), None),
    (6, "failed:" + "a" * 32 + "br01"): ("baseline", "host-a:11", minute(4), None),
    (6, "failed:" + "b" * 32 + "br01"): ("posted", "host-a:11", at(21, 9), at(21, 9)),
    (6, "stale:legacy-crm:none"): ("posted", "host-b:12", at(22, 9), at(22, 9)),
    (7, "watch:baseline"): ("baseline", "host-b:12", minute(5), None),
    (7, "failed:" + "c" * 32 + "br01"): ("failed", "host-c:13", at(23, 10), at(23, 10)),
    (7, "failed:" + "d" * 32 + "br01"): ("claimed", "host-c:13", at(24, 10), None),
}
HEALTH = {6: {"legacy-crm": True, "orders-prod": False}, 7: {"billing-db": False}}
CONFIG_TOML = """
[[digest]]
channel = "C0CONFIG01"
targets = "orders-prod"
at = "06:45"
tz = "America/New_York"

[[digest]]
channel = "C0CONFIG02"
"""


def assert_holds_the_fixture(store: Store) -> None:
    """Every row of tests/data/state-v1.sqlite3, typed."""

    async def check() -> None:
        subscriptions = await store.subscriptions.find()
        assert [
            (s.id, s.kind, s.team_id, s.channel_id, s.created_by, s.targets, s.profile,
             s.at_time, s.timezone, s.origin, s.enabled, s.disabled_reason)
            for s in subscriptions
        ] == SUBSCRIPTIONS  # fmt: skip
        assert {s.id: s.created_at for s in subscriptions} == CREATED
        sends = [send for s in subscriptions for send in await store.sends.of(s.id)]
        assert sorted(
            (s.subscription_id, s.local_date, s.status, s.claimed_by, s.claimed_at, s.attempts,
             s.posted_at, s.error)
            for s in sends
        ) == sorted(SENDS)  # fmt: skip
        assert await store.sends.unreported_misses(2) == [date(2026, 11, 24)]
        assert await store.watches.watches_with_abandoned_alerts(claimed_before=at(28, 0)) == set()
        for watch in (6, 7):
            assert await store.incidents.latest_incidents(watch) == {}
            assert await store.incidents.take_baseline(
                watch, [], channel_id="C0WATCH", worker="me", now=at(28, 0)
            ), "each watch's first poll after 0003 is a silent baseline again"
        new = await store.subscriptions.add(
            kind="watch", channel_id="C0NEW", created_by="U", created_at=T0
        )
        assert new.id == 9, "new ids continue after the migrated ones"

    asyncio.run(check())


def test_a_v1_state_file_migrates_without_loss(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    shutil.copy(FIXTURE, path)
    store = Store.connect(sqlite_url(str(path)))
    assert store.migrate() == Migration("0001", head(), adopted=True)
    assert store.migrate() == Migration(head(), head())
    assert_holds_the_fixture(store)
    with sqlite3.connect(path) as raw:
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    assert "schema_version" not in tables, "0.1's bookkeeping is gone: 0.1 cannot misread it"


def test_digests_declared_in_the_config_file_keep_their_history(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    shutil.copy(FIXTURE, path)
    store = Store.connect(sqlite_url(str(path)))
    store.migrate()
    config = tmp_path / "digests.toml"
    config.write_text(CONFIG_TOML)
    synced = asyncio.run(
        store.subscriptions.sync_config(
            load_declared_digests(str(config), profiles=None), created_at=T0
        )
    )
    assert [s.id for s in synced] == [4, 5]
    assert [s.local_date for s in asyncio.run(store.sends.of(4))] == [date(2026, 11, 25)]


def _v1_rows() -> dict[str, list[dict[str, Any]]]:
    with sqlite3.connect(FIXTURE) as raw:
        raw.row_factory = sqlite3.Row
        return {
            table: [dict(row) for row in raw.execute(f"SELECT * FROM {table}")]
            for table in ("subscriptions", "digest_sends", "alerts", "instance_health")
        }


def test_the_data_migration_converts_v1_rows_on_every_backend(database_url: str) -> None:
    """0.1's rows, written into revision 0001 on this backend, come out of 0002 intact."""
    setup = create_engine(parse_url(database_url), create=True)
    with setup.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        for table, rows in _v1_rows().items():
            for row in rows:
                columns = ", ".join(row)
                values = ", ".join(f":{name}" for name in row)
                connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), row)
    setup.dispose()
    store = Store.connect(database_url)
    assert store.migrate() == Migration("0001", head())
    assert_holds_the_fixture(store)
    store.close()


def test_0002_converts_the_watch_rows_and_0003_replaces_them_by_incidents(
    database_url: str,
) -> None:
    """0.1's alert claims and health rows, converted by 0002, go with 0003: the incidents
    that replace them start from a silent baseline, not from claims of other messages."""
    setup = create_engine(parse_url(database_url), create=True)
    with setup.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        for table in ("subscriptions", "alerts", "instance_health"):
            for row in _v1_rows()[table]:
                columns = ", ".join(row)
                values = ", ".join(f":{name}" for name in row)
                connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), row)
        command.upgrade(alembic_config(connection), "0002")
        claims = connection.execute(
            select(
                alerts.c.subscription_id,
                alerts.c.alert_key,
                alerts.c.status,
                alerts.c.claimed_by,
                alerts.c.claimed_at,
                alerts.c.posted_at,
            )
        )
        assert {(row[0], row[1]): tuple(row[2:]) for row in claims} == ALERTS
        health = connection.execute(
            text("SELECT subscription_id, instance, stale FROM instance_health")
        )
        found: dict[int, dict[str, bool]] = {}
        for watch, instance, stale in health:
            found.setdefault(watch, {})[instance] = bool(stale)
        assert found == HEALTH
        command.upgrade(alembic_config(connection), "head")
        assert connection.execute(select(alerts)).all() == []
        assert not inspect(connection).has_table("instance_health")
    setup.dispose()


def test_replicas_starting_together_migrate_once(database_url: str) -> None:
    replicas = [Store.connect(database_url) for _ in range(6)]
    barrier = threading.Barrier(len(replicas))

    def start(store: Store) -> Migration:
        barrier.wait()
        return store.migrate()

    with ThreadPoolExecutor(len(replicas)) as pool:
        reports = list(pool.map(start, replicas))
    assert sorted(reports, key=lambda r: r.before or "") == [
        Migration(None, head()),
        *[Migration(head(), head())] * (len(replicas) - 1),
    ]
    for store in replicas:
        store.close()


def test_the_migrations_build_exactly_the_schema_the_code_uses(database_url: str) -> None:
    store = Store.connect(database_url)
    store.migrate()
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
    store.close()


def test_an_emptied_state_file_is_refused_not_started_afresh(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"")
    with pytest.raises(MigrationRefused, match=r"empty \(0 bytes\)"):
        Store.connect(sqlite_url(str(path))).migrate()
    assert path.stat().st_size == 0, "left as found"


def test_a_database_a_newer_backupbot_migrated_is_refused(database_url: str) -> None:
    store = Store.connect(database_url)
    store.migrate()
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    with pytest.raises(MigrationRefused, match="0999 comes from a newer backupbot"):
        store.migrate()
    store.close()


def test_a_v1_row_that_cannot_be_read_stops_the_migration_and_changes_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "state.sqlite3"
    shutil.copy(FIXTURE, path)
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE subscriptions SET targets = 'orders-prod ???' WHERE id = 2")
    before = path.read_bytes()
    with pytest.raises(MigrationRefused, match=r"subscription #2: cannot read .*'\?\?\?'"):
        Store.connect(sqlite_url(str(path))).migrate()
    assert path.read_bytes() == before, "one transaction: all or nothing"


def test_0004_gives_incidents_to_their_channel_and_closes_copies_of_one(
    database_url: str,
) -> None:
    """Incidents of 0003 were each watch's: two watches of one channel could both hold one
    instance's incident open. 0004 keys them by channel and profile; of such copies the
    earliest stays open, the others are closed; each gets its watch's channel and profile."""
    setup = create_engine(parse_url(database_url), create=True)
    with setup.begin() as connection:
        command.upgrade(alembic_config(connection), "0003")
        watches: list[tuple[int, str, list[dict[str, str]], str | None]] = [
            (1, "C0A", [{"kind": "instance_name", "value": "payments-prod"}], None),
            (2, "C0A", [], None),
            (3, "C0B", [], "staging"),
        ]
        for number, place, targets, profile in watches:
            connection.execute(
                subscriptions.insert().values(
                    id=number, kind="watch", channel_id=place, created_by="U0", targets=targets,
                    profile=profile, created_at=T0,
                )
            )  # fmt: skip
        made: list[tuple[int, int, str, bool, str | None]] = [  # number: the id it gets
            (1, 1, "id-pay", True, "C0A"),
            (2, 2, "id-pay", True, "C0A"),  # the copy the bug made
            (3, 2, "id-ord", False, None),
            (4, 3, "id-pay", True, "C0B"),
        ]
        for number, watch, instance, is_open, channel in made:
            connection.execute(
                incidents.insert().values(  # ids 1 to 4, in this order: a new database
                    subscription_id=watch, instance=instance, label=f"{instance}-name",
                    open_instance=instance if is_open else None, state="failed", reason="r",
                    attempts=1, problem="failed", changes=1, opened_at=T0, seen_at=T0,
                    closed_at=None if is_open else T0, channel_id=channel, message_ts=f"{number}.1",
                )
            )  # fmt: skip
        command.upgrade(alembic_config(connection), "head")
        found = connection.execute(
            select(
                incidents.c.id, incidents.c.channel_id, incidents.c.profile, incidents.c.name,
                incidents.c.open_instance, incidents.c.closed_at.is_not(None),
            ).order_by(incidents.c.id)
        )  # fmt: skip
        assert [tuple(row) for row in found] == [
            (1, "C0A", "", "id-pay-name", "id-pay", False),
            (2, "C0A", "", "id-pay-name", None, True),
            (3, "C0A", "", "id-ord-name", None, True),
            (4, "C0B", "staging", "id-pay-name", "id-pay", False),
        ]
    setup.dispose()
    store = Store.connect(database_url)
    opening = Opening("id-pay", "id-pay-name", Condition(State.MISSED, "missed"), "id-pay-name")
    again = asyncio.run(
        store.incidents.open_incident(2, opening, channel_id="C0A", worker="w", now=T0, profile="")
    )
    assert again is None, "one open incident per instance in the channel, whichever watch"
    other = replace(opening, instance="id-other")
    assert asyncio.run(
        store.incidents.open_incident(2, other, channel_id="C0A", worker="w", now=T0, profile="")
    ), "another instance opens"
    store.close()


def test_0005_adds_the_actions_table_and_one_claim_per_confirmation(database_url: str) -> None:
    """An existing 0004 database gains the actions table; its key is the confirmation:
    a second claim of one confirmation is refused (and a cancel after it), on every backend."""
    setup = create_engine(parse_url(database_url), create=True)
    with setup.begin() as connection:
        command.upgrade(alembic_config(connection), "0004")
        assert "actions" not in inspect(connection).get_table_names()
        command.upgrade(alembic_config(connection), "head")
        assert "actions" in inspect(connection).get_table_names()
    setup.dispose()
    store = Store.connect(database_url)
    request = BackupRequest(
        confirmation="c" * 32, profile=None, instance_id="i" * 32 + "in07",
        instance_name="orders-prod", name="orders-prod-20261127103000", description="é ok",
        team="T0", channel="C0", user="U0", asked_at=T0, expires_at=T0,
    )  # fmt: skip
    assert asyncio.run(store.actions.claim(request, worker="a", now=T0))
    assert not asyncio.run(store.actions.claim(request, worker="b", now=T0))
    assert not asyncio.run(store.actions.cancel(request, worker="b", now=T0))
    stored = asyncio.run(store.actions.get(request.confirmation))
    assert stored is not None
    assert stored.request.description == "é ok"
    assert stored.hold.worker == "a"
    assert stored.state == "claimed"
    store.close()


def test_0007_gives_subscriptions_and_backups_a_language_and_rows_kept_none(
    database_url: str,
) -> None:
    """0007 adds `language` to subscriptions and actions; rows already there get none (the
    workspace's language, as before); a click's language is kept with its backup."""
    setup = create_engine(parse_url(database_url), create=True)
    with setup.begin() as connection:
        command.upgrade(alembic_config(connection), "0006")
        for table in ("subscriptions", "actions"):
            names = {column["name"] for column in inspect(connection).get_columns(table)}
            assert "language" not in names, table
        connection.execute(
            subscriptions.insert().values(
                id=1, kind="watch", channel_id="C0A", created_by="U0", targets=[], created_at=T0
            )
        )
        connection.execute(
            actions.insert().values(
                confirmation="old", state="done", instance_id="i", instance_name="orders-prod",
                name="orders-prod-1", description="", user_id="U0", claimed_by="a",
                claimed_at=T0, asked_at=T0, clicked_at=T0,
            )
        )  # fmt: skip
        command.upgrade(alembic_config(connection), "head")
        assert connection.execute(select(subscriptions.c.language)).scalar_one() is None
        assert connection.execute(select(actions.c.language)).scalar_one() is None
    setup.dispose()
    store = Store.connect(database_url)
    request = BackupRequest(
        confirmation="d" * 32, profile=None, instance_id="i" * 32 + "in07",
        instance_name="orders-prod", name="orders-prod-20261127103000", description="",
        team="T0", channel="C0", user="U0", asked_at=T0, expires_at=T0,
    )  # fmt: skip
    assert asyncio.run(store.actions.claim(request, worker="a", now=T0, language="zh-CN"))
    stored = asyncio.run(store.actions.get(request.confirmation))
    old = asyncio.run(store.actions.get("old"))
    assert stored is not None
    assert stored.language == "zh-CN"
    assert old is not None
    assert old.language is None
    store.close()
