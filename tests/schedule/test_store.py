"""The state store: schema versions, and claims that exactly one caller wins."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.schedule.store import MIGRATIONS, Store
from tests.conftest import NOW


def test_migrations_create_the_schema_once_and_record_the_version(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    assert store.migrate() == len(MIGRATIONS)
    assert store.migrate() == len(MIGRATIONS)
    with sqlite3.connect(tmp_path / "s.sqlite3") as connection:
        versions = [row[0] for row in connection.execute("SELECT version FROM schema_version")]
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    assert versions == list(range(1, len(MIGRATIONS) + 1))
    assert {"subscriptions", "digest_sends", "alerts", "instance_health"} <= tables


async def test_a_send_is_claimed_by_exactly_one_of_many(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    store.migrate()
    sub = await store.add(
        kind="digest", channel_id="C1", created_by="U1", targets="", created_at=NOW
    )
    claims = await asyncio.gather(
        *(store.claim_send(sub.id, "2026-11-27", worker=f"w{i}", now=NOW) for i in range(20))
    )
    assert claims.count(True) == 1
    (send,) = await store.sends(sub.id)
    assert send.status == "claimed"


async def test_two_store_objects_on_one_file_see_the_same_claims(tmp_path: Path) -> None:
    first, second = Store(tmp_path / "s.sqlite3"), Store(tmp_path / "s.sqlite3")
    first.migrate()
    second.migrate()
    sub = await first.add(
        kind="watch", channel_id="C1", created_by="U1", targets="", created_at=NOW
    )
    assert await first.claim_alert(sub.id, "failed:x", worker="a", now=NOW)
    assert not await second.claim_alert(sub.id, "failed:x", worker="b", now=NOW)


async def test_removing_a_subscription_removes_its_history(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    store.migrate()
    sub = await store.add(
        kind="digest", channel_id="C1", created_by="U1", targets="", created_at=NOW
    )
    await store.claim_send(sub.id, "2026-11-27", worker="w", now=NOW)
    assert await store.remove(sub.id)
    assert not await store.remove(sub.id)
    assert await store.sends(sub.id) == []


async def test_config_digests_are_synced_exactly(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    store.migrate()
    one = {"channel": "C0AAAAAAA", "targets": "orders-prod", "at": "08:00", "tz": "UTC"}
    two = {"channel": "C0BBBBBBB", "targets": "", "at": "09:00", "tz": "Europe/Paris"}
    first = await store.sync_config({"a": one, "b": two}, created_at=NOW)
    assert [(s.channel_id, s.origin) for s in first] == [
        ("C0AAAAAAA", "config"),
        ("C0BBBBBBB", "config"),
    ]
    again = await store.sync_config({"b": two}, created_at=NOW)
    assert [s.id for s in again] == [first[1].id], "unchanged entries keep their id and history"
