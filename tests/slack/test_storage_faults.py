"""A state store that cannot be written, through the front door: said in words, counted as
`storage_error`, /healthz 503, and questions still answered.

Tests run as root, which file permissions do not stop, so "cannot be written" is made
real in ways root cannot ignore: a full disk (the process may not grow any file, as
RLIMIT_FSIZE makes it) for a `backupbot serve` process on SQLite, and a PostgreSQL
database turned read-only (as after a fail-over to a replica) under the in-process app.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import create_engine, text

from bot.huawei.simulator.server import SimulatorServer
from bot.schedule.database import database_url as parse_url
from bot.support.serving import free_port
from tests.conftest import FakeTime
from tests.databases import SERVERS, scratch_database
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, Call, FakeSlack, sign
from tests.processes import environment, full_disk, run_backupbot, wait_until
from tests.slack.conftest import Harness, start_bot

UNAVAILABLE = "subscriptions are unavailable right now"


def texts(calls: list[Call]) -> list[str]:
    return [json.dumps(call.payload, ensure_ascii=False) for call in calls]


@dataclass
class Served:
    """`backupbot serve --simulator` in a process whose output is read as it comes."""

    popen: subprocess.Popen[str]
    url: str
    lines: list[str] = field(default_factory=list)

    def drain(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append(line)

    def command(self, text_: str, response_url: str) -> int:
        body = urlencode(
            {
                "team_id": "T0001", "channel_id": "C0INCIDENT", "user_id": "U0ASKER",
                "command": "/backups", "text": text_, "response_url": response_url,
                "trigger_id": "t", "api_app_id": "A0BACKUP",
            }
        )  # fmt: skip
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
        return httpx.post(f"{self.url}/slack/events", content=body, headers=headers).status_code


@pytest.fixture
def served_on_a_full_disk(
    tmp_path: Path, fake_slack: tuple[FakeSlack, str]
) -> Iterator[tuple[Served, Path]]:
    state = tmp_path / "state.sqlite3"
    made = run_backupbot("migrate", env={"BACKUPBOT_STATE": str(state)})
    assert made.returncode == 0, made.stderr
    port = free_port()
    popen = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--simulator", "--host", "127.0.0.1",
         "--port", str(port)],
        env=environment(
            SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=f"{fake_slack[1]}/api/", BACKUPBOT_STATE=str(state),
        ),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=full_disk,
    )  # fmt: skip
    served = Served(popen, f"http://127.0.0.1:{port}")
    assert popen.stdout is not None
    reader = threading.Thread(target=served.drain, args=(popen.stdout,), daemon=True)
    reader.start()
    try:
        yield served, state
    finally:
        popen.terminate()
        popen.wait(10)
        reader.join(5)


def _health(url: str) -> httpx.Response | None:
    try:
        return httpx.get(f"{url}/healthz", timeout=2)
    except httpx.HTTPError:
        return None


def test_a_full_disk_is_said_in_words_counted_and_reported_by_healthz(
    served_on_a_full_disk: tuple[Served, Path], fake_slack: tuple[FakeSlack, str]
) -> None:
    served, state = served_on_a_full_disk
    slack, slack_url = fake_slack
    unhealthy = wait_until(
        "/healthz to report the store", lambda: (r := _health(served.url)) and r.status_code == 503
    )
    assert unhealthy
    health = httpx.get(f"{served.url}/healthz").json()
    assert health["ok"] is False
    assert f"SQLite file {state}" in health["store"]
    assert "could not be written" in health["store"]
    assert httpx.get(f"{served.url}/livez").status_code == 200, "questions are still answered"

    assert served.command("digest add", f"{slack_url}/respond/add") == 200
    (refusal,) = slack.wait_for_method("response_url", 1)
    assert UNAVAILABLE in refusal.payload["text"]
    assert refusal.payload["response_type"] == "ephemeral"

    assert served.command("orders-prod last 24h", f"{slack_url}/respond/ask") == 200
    answer = slack.wait_for_method("response_url", 2)[1]
    assert "Backups: orders-prod" in texts([answer])[0], "questions are still answered"

    metrics = httpx.get(f"{served.url}/metrics").text
    assert 'backupbot_commands_total{kind="command",outcome="storage_error"} 1.0' in metrics
    assert 'outcome="bug"' not in metrics
    logs = "".join(served.lines)
    audit = [json.loads(line) for line in served.lines if '"backupbot.audit"' in line]
    assert [entry["outcome"] for entry in audit] == ["storage_error", "ok"]
    assert f"SQLite file {state}" in logs, "the operator is told which file"
    assert "Traceback" not in logs
    assert BOT_TOKEN not in logs
    assert SIGNING_SECRET not in logs


@pytest.fixture
def read_only_postgres() -> Iterator[str]:
    with scratch_database("postgresql") as url:
        yield url


async def test_a_database_gone_read_only_is_said_in_words_and_questions_go_on(
    simulator: SimulatorServer,
    fake_slack: tuple[FakeSlack, str],
    fake_time: FakeTime,
    tmp_path: Path,
    read_only_postgres: str,
) -> None:
    url = read_only_postgres
    bot, server = start_bot(
        simulator, fake_slack, fake_time, tmp_path / "unused.sqlite3",
        env={"BACKUPBOT_DATABASE_URL": url},
    )  # fmt: skip
    name = parse_url(url).database
    admin = create_engine(SERVERS["postgresql"].url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:  # a fail-over to a read-only replica, in effect
            connection.execute(
                text(f"ALTER DATABASE {name} SET default_transaction_read_only = on")
            )
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
        async with httpx.AsyncClient(timeout=30) as client:
            harness = Harness(bot, server, fake_slack[0], fake_slack[1], client)
            await harness.command("watch orders-prod")
            (refusal,) = harness.slack.wait_for_method("response_url", 1)
            assert UNAVAILABLE in refusal.payload["text"]
            health = await client.get(f"{server.url}/healthz")
            assert health.status_code == 503
            assert (await client.get(f"{server.url}/livez")).status_code == 200, "still serving"
            assert "read-only transaction" in health.json()["store"]
            assert name in health.json()["store"], "the operator is told which database"
            await harness.command("payments-prod last 24h")
            answer = harness.slack.wait_for_method("response_url", 2)[1]
            assert "Backups: payments-prod" in texts([answer])[0]
    finally:
        server.stop()
        admin.dispose()


def test_backupbot_migrate_refuses_an_emptied_state_file_in_one_line(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    state.write_bytes(b"")
    result = run_backupbot("migrate", env={"BACKUPBOT_STATE": str(state)})
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"backupbot: BACKUPBOT_STATE: SQLite file {state} cannot be used: "
        "it is empty (0 bytes), so not a backupbot state file",
        "  hint: restore it from a backup, or delete it to start afresh",
    ]
    assert state.stat().st_size == 0


def test_backupbot_migrate_says_in_one_line_that_the_disk_is_full(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    result = run_backupbot("migrate", env={"BACKUPBOT_STATE": str(state)}, disk_full=True)
    assert result.returncode == 2
    (problem, hint) = result.stderr.splitlines()
    assert problem.startswith(f"backupbot: BACKUPBOT_STATE: SQLite file {state} cannot be used: ")
    assert hint.startswith("  hint: ")
    assert not state.exists(), "no half-made state file left behind"
    assert list(tmp_path.iterdir()) == []


def test_backupbot_migrate_hides_the_password_of_a_database_url() -> None:
    result = run_backupbot(
        "migrate", env={"BACKUPBOT_DATABASE_URL": "postgresql://bot:s3cr3t-pw@127.0.0.1:9/state"}
    )
    assert result.returncode == 2
    assert "s3cr3t-pw" not in result.stdout + result.stderr
    assert "postgresql+psycopg://***@127.0.0.1:9/state cannot be used" in result.stderr
    assert len(result.stderr.splitlines()) == 2
