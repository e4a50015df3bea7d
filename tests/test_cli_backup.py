"""`backupbot backup`: shown without --yes (nothing sent), taken once with it, followed with
--wait; refusals and bad input one line (exit 2), no traceback. Run as a user does, against
the simulator in a process of its own; the truth is the create requests it received."""

from __future__ import annotations

import asyncio
import getpass
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import httpx
import pytest

from bot.core.backup_action import BackupRequest
from bot.huawei.simulator import SIMULATOR_ACCESS_KEY, SIMULATOR_PROJECT_ID, SIMULATOR_SECRET_KEY
from bot.schedule.store import Store
from bot.support.database_url import sqlite_url
from bot.support.serving import free_port
from tests.processes import environment, run_backupbot, wait_until
from tests.test_replicas import Process, ready, spawn


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[Process]:
    port = free_port()
    process = spawn(
        name="simulator", env=environment(), directory=tmp_path, port=port,
        args=["simulator", "--port", str(port)],
    )  # fmt: skip
    try:
        up = partial(ready, process, path="/_simulator/stats", key="requests")
        wait_until("the simulator", up)
        yield process
    finally:
        process.stop()


def backupbot(simulator: Process, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    env = {
        "GAUSSDB_ENDPOINT": simulator.url, "HUAWEICLOUD_PROJECT_ID": SIMULATOR_PROJECT_ID,
        "CLOUD_SDK_AK": SIMULATOR_ACCESS_KEY, "CLOUD_SDK_SK": SIMULATOR_SECRET_KEY,
        "BACKUPBOT_STATE": str(tmp_path / "state.sqlite3"),
    }  # fmt: skip
    done = run_backupbot("backup", *args, env=env)
    return done.returncode, done.stdout, done.stderr


def creates(simulator: Process) -> int:
    seen = httpx.get(f"{simulator.url}/_simulator/requests", timeout=10).json()["requests"]
    return sum(1 for request in seen if request["path"].endswith("/backups/create"))


def test_without_yes_it_shows_and_sends_nothing_with_yes_once(
    simulator: Process, tmp_path: Path
) -> None:
    code, out, err = backupbot(simulator, tmp_path, "orders-prod")
    assert code == 0, err
    assert "Take a backup of orders-prod now?" in out
    assert "normal (ACTIVE)" in out
    assert "add --yes to take it" in out
    assert creates(simulator) == 0
    httpx.post(f"{simulator.url}/_simulator/manual", json={"backup_minutes": 0.02}, timeout=10)
    code, out, err = backupbot(
        simulator, tmp_path, "orders-prod", "--yes", "--wait", "--description", "before the fix"
    )
    assert code == 0, err
    assert "started (job " in out
    assert "Backup of orders-prod completed in 1 min" in out
    assert creates(simulator) == 1


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("orders-prod", "--yes", "--description", "a=b"), "the description holds ="),
        (("warehouse-prod", "--yes"), "the instance is not normal"),
        (("analytics-dw", "--yes"), "already running"),
        (("no-such-instance", "--yes"), "no-such-instance"),
    ],
)
def test_refusals_are_one_line_and_send_nothing(
    simulator: Process, tmp_path: Path, args: tuple[str, ...], said: str
) -> None:
    code, _, err = backupbot(simulator, tmp_path, *args)
    assert code == 2
    assert said in err
    assert "Traceback" not in err
    assert creates(simulator) == 0


def test_already_running_names_who_started_it_in_plain_words(
    simulator: Process, tmp_path: Path
) -> None:
    """A backup started from the command line, refused to a second one: the refusal names
    the login that started it as plain text, never Slack's mention syntax."""
    code, _, err = backupbot(simulator, tmp_path, "orders-prod", "--yes")
    assert code == 0, err
    code, _, err = backupbot(simulator, tmp_path, "orders-prod", "--yes")
    assert code == 2
    assert f"started by {getpass.getuser()} (command line) at " in err
    assert "<@" not in err
    assert creates(simulator) == 1


def test_waiting_follows_only_its_own_backup_never_another_surfaces(
    simulator: Process, tmp_path: Path
) -> None:
    """`--wait` follows the backup it took, not every open action in the state database: a
    Slack click whose replica went quiet (a stale claim, nobody called) is left to the
    serving replicas, neither called nor told from the command line."""
    store = Store.connect(sqlite_url(str(tmp_path / "state.sqlite3")))
    store.migrate()
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    slack_click = BackupRequest(
        confirmation="s" * 32, profile=None, instance_id="i" * 32 + "in07",
        instance_name="payments-prod", name="payments-prod-20261208000000", description="",
        team="T0001", channel="C0INCIDENT", user="U0ASKER", asked_at=long_ago,
        expires_at=long_ago + timedelta(minutes=10),
    )  # fmt: skip
    assert asyncio.run(store.actions.claim(slack_click, worker="replica-a", now=long_ago))
    httpx.post(f"{simulator.url}/_simulator/manual", json={"backup_minutes": 0.02}, timeout=10)
    code, out, err = backupbot(simulator, tmp_path, "orders-prod", "--yes", "--wait")
    assert code == 0, err
    assert "Backup of orders-prod completed" in out
    assert "Traceback" not in err
    assert creates(simulator) == 1, "only the command line's own backup was created"
    left = asyncio.run(store.actions.get(slack_click.confirmation))
    assert left is not None
    assert (left.state, left.hold.worker) == ("claimed", "replica-a")
    store.close()


def test_with_lang_it_shows_in_chinese_and_sends_nothing(
    simulator: Process, tmp_path: Path
) -> None:
    code, out, err = backupbot(simulator, tmp_path, "orders-prod", "--lang", "zh-CN")
    assert code == 0, err
    assert "现在为 orders-prod 进行备份吗？" in out
    assert "状态：正常（ACTIVE）" in out
    assert re.search(r"最近一次有效备份：UTC \d{4}-\d\d-\d\d \d\d:\d\d\n", out), out
    assert "加上 --yes 才会进行备份：本次未发送任何请求" in out
    assert creates(simulator) == 0
