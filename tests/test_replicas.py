"""Proof, per backend: three `backupbot serve` processes on one database post everything once.

The simulator runs in a process of its own (`backupbot simulator`), the fake Slack in
this one, recording every post. 50 digests fall due in the same minute and five
watches, past their baseline, see six new failures and whatever else the fleet's
health says is wrong: each problem opens an incident, whose first message is a post.
One replica is killed with SIGKILL in the middle. Every digest and every incident
recorded must be posted exactly once, none lost. The one window where a crash can still
repeat a post (Slack accepted it, the row does not say so yet) is measured and printed,
and a repeat is accepted only where the kill fell into it.

A second test delivers the same Slack event to two replicas: it is answered once.
Everything waits on conditions (posts recorded, rows written), never on the clock.
"""

from __future__ import annotations

import asyncio
import json
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import IO, TypeVar

import httpx
import pytest
from sqlalchemy import select

from bot.huawei.simulator import SIMULATOR_ACCESS_KEY, SIMULATOR_PROJECT_ID, SIMULATOR_SECRET_KEY
from bot.schedule.incidents import transition_key
from bot.schedule.schema import UtcDateTime, alerts, digest_sends, incidents
from bot.schedule.store import Store
from bot.support.serving import ServerThread, free_port
from tests.fakes.slack import SIGNING_SECRET, Call, Failure, FakeSlack, create_fake_slack, sign
from tests.processes import WAIT, environment, wait_until

T = TypeVar("T")
DIGESTS = 50
WATCHES = 5
FAILURES = 6
KILL_AFTER = 15  # digest posts seen before one replica is killed
POST_SECONDS = 0.05  # the fake Slack's time to answer a post: replicas overlap, and are caught


@dataclass
class Process:
    """A backupbot command running in its own process, its output in a file."""

    name: str
    popen: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


def spawn(
    *, name: str, args: list[str], env: dict[str, str], directory: Path, port: int
) -> Process:
    log = directory / f"{name}.log"
    output: IO[bytes] = log.open("wb")
    popen = subprocess.Popen(
        [sys.executable, "-m", "bot", *args], env=env, stdout=output, stderr=subprocess.STDOUT
    )
    output.close()
    return Process(name, popen, port, log)


def serving(process: Process, *, path: str, key: str) -> bool | None:
    """True once `process` answers `path` with JSON holding `key`; None if it has ended.

    Checking the JSON (and that the process lives) tells our server from anything else
    that may have taken the port on a machine shared with other test runs.
    """
    if process.popen.poll() is not None:
        return None
    try:
        return key in httpx.get(f"{process.url}{path}", timeout=2).json()
    except (httpx.HTTPError, ValueError):
        return False


def ready(process: Process, *, path: str, key: str) -> bool:
    """Serving, or failing the test at once (with its output) if it ended."""
    answer = serving(process, path=path, key=key)
    if answer is None:
        raise AssertionError(f"{process.name} ended:\n{process.log.read_text()[-4000:]}")
    return answer


@dataclass
class Cluster:
    """The simulator, a fake Slack and N replicas of `backupbot serve` on one database."""

    simulator: Process
    replicas: list[Process]
    slack: FakeSlack
    store: Store


@pytest.fixture
def fake_slack_server() -> Iterator[tuple[FakeSlack, str]]:
    fake = FakeSlack()
    fake.failures.append(Failure("chat.postMessage", hang=POST_SECONDS, times=10**6))
    with ServerThread(create_fake_slack(fake)) as server:
        yield fake, server.url


def start_cluster(
    count: int, *, database_url: str, slack: tuple[FakeSlack, str], directory: Path
) -> Cluster:
    sim_port = free_port()
    simulator = spawn(
        name="simulator", env=environment(), directory=directory, port=sim_port,
        args=["simulator", "--port", str(sim_port), "--backups", "240"],
    )  # fmt: skip
    env = environment(
        SLACK_BOT_TOKEN="xoxb-replica", SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=f"{slack[1]}/api/", GAUSSDB_ENDPOINT=simulator.url,
        HUAWEICLOUD_PROJECT_ID=SIMULATOR_PROJECT_ID, CLOUD_SDK_AK=SIMULATOR_ACCESS_KEY,
        CLOUD_SDK_SK=SIMULATOR_SECRET_KEY, BACKUPBOT_DATABASE_URL=database_url,
        BACKUPBOT_SCHEDULER_TICK_SECONDS="0.5", BACKUPBOT_CLAIM_LEASE_SECONDS="5",
    )  # fmt: skip
    ports = {sim_port}
    while len(ports) < count + 1:  # distinct ports, though free_port may repeat itself
        ports.add(free_port())
    replicas = []
    for index, port in enumerate(sorted(ports - {sim_port})):
        args = ["serve", "--host", "127.0.0.1", "--port", str(port)]
        replicas.append(
            spawn(name=f"replica-{index}", args=args, env=env, directory=directory, port=port)
        )
    store = Store.connect(database_url)
    cluster = Cluster(simulator, replicas, slack[0], store)
    try:
        wait_until(
            "the simulator", partial(ready, simulator, path="/_simulator/stats", key="requests")
        )
        for replica in replicas:
            wait_until(
                f"{replica.name} to serve",
                partial(ready, replica, path="/healthz", key="background_tasks"),
            )
        # Every replica has migrated (together) and its scheduler ticks: its heartbeat is in.
        since = datetime.now(UTC) - timedelta(minutes=1)
        wait_until(
            "every replica's heartbeat",
            lambda: len(asyncio.run(store.replicas.workers_seen(since=since))) == count,
        )
    except BaseException:
        stop_cluster(cluster)
        raise
    return cluster


def stop_cluster(cluster: Cluster) -> None:
    """Stop everything; show the output of any process that ended on its own (pytest shows it
    when the test failed)."""
    for process in [*cluster.replicas, cluster.simulator]:
        if process.popen.poll() not in (None, -signal.SIGKILL):
            print(f"--- {process.name} ended by itself ({process.popen.returncode}):")
            print(process.log.read_text()[-4000:])
        process.stop()
    cluster.store.close()


def add_failures(simulator: Process, now: datetime) -> list[tuple[str, str]]:
    """Six failed backups, a few minutes old, on six instances: their ids and names."""
    instances = ["orders-prod", "payments-prod", "users-prod", "inventory-prod", "billing-prod",
                 "search-prod"]  # fmt: skip
    specs = [
        {"instance": name, "begin": (now - timedelta(minutes=10 + n)).isoformat(),
         "serial": f"replica-test-{n}", "description": "Backup failed: OBS upload timed out."}
        for n, name in enumerate(instances[:FAILURES])
    ]  # fmt: skip
    added = httpx.post(f"{simulator.url}/_simulator/backups", json=specs, timeout=10).json()
    return [(backup["id"], backup["name"]) for backup in added["added"]]


async def subscribe(store: Store, now: datetime) -> tuple[list[int], list[int]]:
    """Watches that have been running (baseline recorded), then 50 digests due this minute."""
    watches = []
    for index in range(WATCHES):
        watch = await store.subscriptions.add(
            kind="watch", channel_id=f"C0WATCH{index}", created_by="U0OPS",
            created_at=now - timedelta(days=1),
        )  # fmt: skip
        # Its baseline, taken before anything went wrong: every problem is news.
        await store.incidents.take_baseline(
            watch.id, [], channel_id=f"C0WATCH{index}", worker="earlier", now=now
        )
        watches.append(watch.id)
    minute = now.time().replace(second=0, microsecond=0)
    digests = []
    for index in range(DIGESTS):
        digest = await store.subscriptions.add(
            kind="digest", channel_id=f"C0DIGEST{index:02d}", created_by="U0OPS",
            created_at=now - timedelta(days=1), at_time=minute, timezone="UTC",
        )  # fmt: skip
        digests.append(digest.id)
    return watches, digests


def posts(calls: list[Call], prefix: str) -> list[Call]:
    return [
        c for c in calls
        if c.method == "chat.postMessage" and str(c.payload.get("channel", "")).startswith(prefix)
    ]  # fmt: skip


def test_three_replicas_post_every_digest_and_alert_once_through_a_kill(
    database_url: str, fake_slack_server: tuple[FakeSlack, str], tmp_path: Path
) -> None:
    cluster = start_cluster(
        3, database_url=database_url, slack=fake_slack_server, directory=tmp_path
    )
    slack, store = cluster.slack, cluster.store
    wall_minus_monotonic = time.time() - time.monotonic()
    try:
        now = datetime.now(UTC)
        add_failures(cluster.simulator, now)
        watches, digests = asyncio.run(subscribe(store, now))

        slack.wait_for(lambda calls: len(posts(calls, "C0DIGEST")) >= KILL_AFTER, WAIT)
        victim = cluster.replicas[0]
        victim.popen.send_signal(signal.SIGKILL)
        victim.popen.wait()
        killed_at = time.monotonic()
        posted_before_kill = len(posts(slack.calls, "C0DIGEST"))

        wait_until(
            "every digest and incident to be posted and recorded",
            lambda: _all_recorded(store, digests=digests, watches=watches),
        )
        opened = {watch: _opened(store, watch) for watch in watches}  # the rows, then the posts
        calls = list(slack.calls)
        judged = _report(
            store, calls, digests=digests, opened=opened, killed_at=killed_at,
            wall_minus_monotonic=wall_minus_monotonic,
        )  # fmt: skip
        report = asyncio.run(judged)
    finally:
        stop_cluster(cluster)
    incidents_posted = sum(len(found) for found in opened.values())
    print(
        f"\n[{database_url.split(':')[0]}] {DIGESTS} digests, {incidents_posted} incidents "
        f"on {WATCHES} watches, "
        f"3 replicas, one killed after {posted_before_kill} posts; "
        f"claims taken over from it: {report.taken_over}; "
        f"crash window (Slack accepted -> row recorded, incl. the fake's {POST_SECONDS * 1000:.0f}"
        f" ms answer): median {report.median_ms:.0f} ms, max {report.max_ms:.0f} ms over "
        f"{report.measured} posts; repeats inside that window: {report.repeats}"
    )
    assert posted_before_kill < DIGESTS, "the kill fell in the middle"
    assert report.lost == [], "every digest and alert posted"
    assert report.unexplained == [], "no repeat outside the crash window"


@dataclass
class Report:
    """What the replicas did, against ground truth."""

    lost: list[str]
    unexplained: list[str]
    repeats: int
    taken_over: int
    measured: int
    median_ms: float
    max_ms: float


def _all_recorded(store: Store, *, digests: list[int], watches: list[int]) -> bool:
    """Every digest posted; every watch's incidents (all opened by one poll) posted."""
    with store.engine.connect() as connection:
        sends = connection.execute(
            select(digest_sends.c.status).where(digest_sends.c.subscription_id.in_(digests))
        ).scalars()
        if list(sends).count("posted") < len(digests):
            return False
    for watch in watches:
        opened = _opened(store, watch)
        if not opened or None in opened.values():
            return False
    return True


def _opened(store: Store, watch: int) -> dict[tuple[str, int], datetime | None]:
    """(instance, incident id) -> when the row recorded its first message posted (None: not
    yet), read directly, as an auditor would."""
    with store.engine.connect() as connection:
        found = connection.execute(
            select(incidents.c.label, incidents.c.id).where(incidents.c.subscription_id == watch)
        ).all()
        keys = {transition_key(incident, 1): (label, incident) for label, incident in found}
        rows = connection.execute(
            select(alerts.c.alert_key, alerts.c.posted_at).where(
                alerts.c.subscription_id == watch,
                alerts.c.alert_key.in_(list(keys)),
                alerts.c.status == "posted",
            )
        )
        posted = {key: UtcDateTime().process_result_value(at, store.engine.dialect)
                  for key, at in rows}  # fmt: skip
    return {opened: posted.get(key) for key, opened in keys.items()}


async def _report(
    store: Store, calls: list[Call], *, digests: list[int],
    opened: dict[int, dict[tuple[str, int], datetime | None]], killed_at: float,
    wall_minus_monotonic: float,
) -> Report:  # fmt: skip
    lost: list[str] = []
    unexplained: list[str] = []
    windows: list[float] = []
    repeats = taken_over = 0

    def judge(label: str, *, seen: list[Call], recorded: datetime | None, retaken: bool) -> None:
        nonlocal repeats
        if not seen or recorded is None:
            lost.append(label)
            return
        accepted = datetime.fromtimestamp(seen[-1].at + wall_minus_monotonic, UTC)
        windows.append((recorded - accepted).total_seconds() * 1000)
        if len(seen) == 1:
            return
        if len(seen) == 2 and retaken and seen[0].at < killed_at:
            repeats += 1  # accepted from the killed replica, not recorded before it died
        else:
            unexplained.append(f"{label} posted {len(seen)} times")

    for index, digest in enumerate(digests):
        (send,) = await store.sends.of(digest)
        taken_over += send.attempts > 1
        seen = posts(calls, f"C0DIGEST{index:02d}")
        judge(f"digest #{digest}", seen=seen, recorded=send.posted_at, retaken=send.attempts > 1)
    for index, (watch, found) in enumerate(opened.items()):
        messages = [c for c in posts(calls, f"C0WATCH{index}") if not c.payload.get("thread_ts")]
        for (label, incident), recorded in found.items():
            seen = [c for c in messages if f"`{label}`" in json.dumps(c.payload)]
            judge(
                f"incident #{incident} ({label}) of watch #{watch}", seen=seen, recorded=recorded,
                retaken=True,
            )  # fmt: skip
    return Report(
        lost, unexplained, repeats, taken_over, len(windows),
        statistics.median(windows), max(windows),
    )  # fmt: skip


def _metric(process: Process, outcome: str) -> float:
    text = httpx.get(f"{process.url}/metrics", timeout=5).text
    line = f'backupbot_slack_events_total{{outcome="{outcome}"}} '
    return sum(float(row[len(line) :]) for row in text.splitlines() if row.startswith(line))


def test_the_same_slack_event_delivered_to_two_replicas_is_answered_once(
    database_url: str, fake_slack_server: tuple[FakeSlack, str], tmp_path: Path
) -> None:
    cluster = start_cluster(
        2, database_url=database_url, slack=fake_slack_server, directory=tmp_path
    )
    body = json.dumps(
        {
            "type": "event_callback", "team_id": "T0001", "api_app_id": "A0BACKUP",
            "event_id": "Ev0SAMEEVENT", "event_time": int(time.time()),
            "event": {"type": "app_mention", "user": "U0ASKER", "channel": "C0INCIDENT",
                      "text": "<@UBACKUPBOT> orders-prod last 24h", "ts": "1700000000.000100"},
        }
    )  # fmt: skip

    async def deliver_to_both() -> list[int]:
        async with httpx.AsyncClient(timeout=10) as client:
            responses = await asyncio.gather(
                *(
                    client.post(
                        f"{replica.url}/slack/events",
                        content=body,
                        headers={"Content-Type": "application/json", **sign(body)},
                    )
                    for replica in cluster.replicas
                )
            )
        return [response.status_code for response in responses]

    try:
        assert asyncio.run(deliver_to_both()) == [200, 200], "both replicas acknowledge"
        wait_until(
            "one replica to answer and the other to drop the duplicate",
            lambda: (
                sum(_metric(r, "duplicate") for r in cluster.replicas) == 1
                and posts(cluster.slack.calls, "C0INCIDENT")
            ),
        )
        assert [_metric(r, "new") for r in cluster.replicas].count(1) == 1
        (answer,) = posts(cluster.slack.calls, "C0INCIDENT")
    finally:
        stop_cluster(cluster)
    assert answer.payload["thread_ts"] == "1700000000.000100"
