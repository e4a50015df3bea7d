"""Proof, per backend: one backup per confirmation, whatever replicas, retries and kills do.

The simulator runs in a process of its own (`backupbot simulator`); replicas are
processes of tests/action_replica.py on one database, each running the code a Slack click
runs (`BackupActions.take`). Eight confirmations, each for an instance of its own:

- one replica claims the first and is killed with SIGKILL between the claim and the call;
- another is killed while its create of the second is in flight (the simulator holds the
  request, and never makes that backup): its outcome is unknown;
- three replicas then replay every click (double clicks, Slack's retries, other replicas);
- two followers, their clocks past the lease and the patience, take over what was left.

Ground truth is the simulator's: the create requests it received (`/_simulator/requests`)
and the backups its listing holds by name. Every confirmation is created exactly once,
the first by whoever took the dead replica's claim over; the second's create is never
sent again, and it ends 'failed' (no backup of its name ever appeared). Everything waits
on conditions (lines printed, requests seen, processes ended), never on the clock.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from bot.core.backup_action import backup_name
from bot.huawei.simulator.records import instance_id_for
from bot.schedule.store import Action, Store
from bot.schedule.store.actions import FAILED, STARTED
from bot.support.serving import free_port
from tests.processes import WAIT, environment, wait_until
from tests.test_replicas import Process, ready, spawn

INSTANCES = ["orders-prod", "orders-staging", "payments-prod", "users-prod", "inventory-prod",
             "billing-prod", "search-prod", "reporting-dev"]  # fmt: skip
CLICKERS = 3
FOLLOWERS = 2
AHEAD = 11 * 60.0  # past the lease (2 s) and the patience for a lost answer (10 min)


def write_requests(path: Path, now: datetime) -> list[dict[str, Any]]:
    requests = [
        {
            "confirmation": f"confirmation-{index}", "profile": None,
            "instance_id": instance_id_for(name), "instance_name": name,
            "name": backup_name(name, now), "description": f"replicas test {index}",
            "team": "T0001", "channel": "", "user": "U0ASKER",
            "asked_at": now.isoformat(), "expires_at": (now + timedelta(minutes=10)).isoformat(),
        }
        for index, name in enumerate(INSTANCES)
    ]  # fmt: skip
    path.write_text(json.dumps(requests))
    return requests


def replica(
    mode: str, name: str, *, database: str, simulator: Process, requests: Path, directory: Path,
    extra: tuple[str, ...] = (),
) -> Process:  # fmt: skip
    log = directory / f"{name}.log"
    with log.open("wb") as output:
        popen = subprocess.Popen(
            [sys.executable, "-m", "tests.action_replica", mode, "--database", database,
             "--simulator", simulator.url, "--requests", str(requests), "--worker", name, *extra],
            env=environment(), stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    return Process(name, popen, 0, log)


def printed(process: Process, line: str) -> bool:
    if line in process.log.read_text():
        return True
    if process.popen.poll() is not None:
        raise AssertionError(f"{process.name} ended:\n{process.log.read_text()[-4000:]}")
    return False


def ended(process: Process) -> bool:
    code = process.popen.poll()
    if code is None:
        return False
    assert code == 0, f"{process.name} failed:\n{process.log.read_text()[-4000:]}"
    return True


def creates_seen(simulator: Process) -> int:
    seen = httpx.get(f"{simulator.url}/_simulator/requests", timeout=10).json()["requests"]
    return sum(1 for request in seen if request["path"].endswith("/backups/create"))


def kill(process: Process) -> None:
    process.popen.send_signal(signal.SIGKILL)
    process.popen.wait()


def test_one_backup_per_confirmation_through_replays_and_kills(
    database_url: str, tmp_path: Path
) -> None:
    store = Store.connect(database_url)
    store.migrate()
    port = free_port()
    simulator = spawn(
        name="simulator", env=environment(), directory=tmp_path, port=port,
        args=["simulator", "--port", str(port)],
    )  # fmt: skip
    processes = [simulator]
    try:
        wait_until(
            "the simulator", partial(ready, simulator, path="/_simulator/stats", key="requests")
        )
        httpx.post(f"{simulator.url}/_simulator/manual", json={"backup_minutes": 600}, timeout=10)
        now = datetime.now(UTC).replace(microsecond=0)
        requests = write_requests(tmp_path / "requests.json", now)
        second = tmp_path / "second.json"
        second.write_text(json.dumps([json.loads((tmp_path / "requests.json").read_text())[1]]))
        everyone = tmp_path / "requests.json"
        launch = partial(replica, database=database_url, simulator=simulator, directory=tmp_path)

        # Killed between the claim and the call.
        first = launch("click", "victim-claim", requests=everyone, extra=("--stop-after-claim",))
        processes.append(first)
        wait_until("the first claim", partial(printed, first, "CLAIMED confirmation-0"))
        kill(first)

        # Killed while its create is in flight: the simulator holds it, and makes nothing.
        hang = {"kind": "hang", "seconds": 3600}
        httpx.post(f"{simulator.url}/_simulator/faults", json=hang, timeout=10)
        calling = launch("click", "victim-call", requests=second)
        processes.append(calling)
        wait_until("the second's create in flight", lambda: creates_seen(simulator) == 1)
        kill(calling)

        clickers = [launch("click", f"clicker-{n}", requests=everyone) for n in range(CLICKERS)]
        processes.extend(clickers)
        for clicker in clickers:
            wait_until(f"{clicker.name} to end", partial(ended, clicker), timeout=WAIT)
        ahead = ("--ahead", str(AHEAD))
        followers = [
            launch("follow", f"follower-{n}", requests=everyone, extra=ahead)
            for n in range(FOLLOWERS)
        ]
        processes.extend(followers)
        for follower in followers:
            wait_until(f"{follower.name} to end", partial(ended, follower), timeout=WAIT)

        # The ground truth: what the simulator received and holds.
        assert creates_seen(simulator) == len(INSTANCES), "one create per confirmation, ever"
        rows = {action.request.confirmation: action for action in asyncio.run(_all(store))}
        for index, request in enumerate(requests):
            row = rows[request["confirmation"]]
            made = _backups_named(simulator, request["name"])
            if index == 1:
                assert made == 0, "the create held in flight was never made, nor sent again"
                assert row.state == FAILED
            else:
                assert made == 1, f"{request['name']}: {made} backups"
                assert row.state == STARTED
                assert row.backup_id is not None
        # The dead replica's claim was taken over (after its lease) by a follower, who called.
        assert rows["confirmation-0"].hold.worker.startswith("follower-")
    finally:
        for process in processes:
            if process.popen.poll() is None:
                process.popen.kill()
                process.popen.wait()
        store.close()


async def _all(store: Store) -> list[Action]:
    return [
        action
        for confirmation in (f"confirmation-{n}" for n in range(len(INSTANCES)))
        if (action := await store.actions.get(confirmation)) is not None
    ]


def _backups_named(simulator: Process, name: str) -> int:
    """Backups of that name the simulator holds, read through its control endpoint."""
    seen = httpx.get(f"{simulator.url}/_simulator/named", params={"name": name}, timeout=10)
    return int(seen.json()["count"])
