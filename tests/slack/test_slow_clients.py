"""Slow clients cannot hold `backupbot serve`'s connections: each request has a deadline.

`serve` runs as a process with a small configured bound; raw sockets send their headers a
line at a time, or their body ten bytes at a time, until the server closes them.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import httpx
import pytest

from bot.app.http_server import REQUEST_TIMEOUT
from bot.support.serving import free_port
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack

CONNECTIONS = 50
PACE = 0.2  # how long each slow client waits for an answer before sending a little more
GIVE_UP = 60.0  # a failure bound, not a measurement: the server should close in ~1 s


@pytest.fixture
def serve(fake_slack: tuple[FakeSlack, str], tmp_path: Path) -> Iterator[int]:
    """`backupbot serve --simulator` allowing 1 s to receive a request; yields its port."""
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "BACKUPBOT_"))
    }
    environment.update(
        {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
         "SLACK_API_URL": f"{fake_slack[1]}/api/", "BACKUPBOT_STATE": str(tmp_path / "s.sqlite3"),
         "BACKUPBOT_HTTP_READ_TIMEOUT": "1"}
    )  # fmt: skip
    log = tmp_path / "serve.log"  # a file, not a pipe: a full pipe would stall the server
    child = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--simulator", "--host", "127.0.0.1",
         "--port", str(port)],
        env=environment, stdout=subprocess.DEVNULL, stderr=log.open("w"),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                assert child.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "serve never came up"
                time.sleep(0.1)  # waiting for another process to start
        yield port
        assert "Traceback" not in log.read_text()
    finally:
        child.terminate()
        child.wait(10)


async def slow_client(port: int, pieces: Iterable[bytes]) -> bytes:
    """Send `pieces` one by one, each after the server stayed silent for PACE; return what
    the server said before closing the connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    heard = b""
    deadline = time.monotonic() + GIVE_UP
    try:
        for piece in pieces:
            try:
                writer.write(piece)
                await writer.drain()
            except ConnectionError:
                return heard + await reader.read()
            try:
                chunk = await asyncio.wait_for(reader.read(4096), PACE)
            except TimeoutError:
                assert time.monotonic() < deadline, "the server kept a slow client"
                continue
            if not chunk:
                return heard
            heard += chunk + await asyncio.wait_for(reader.read(), GIVE_UP)
            return heard
    except ConnectionError:
        return heard
    finally:
        writer.close()
    raise AssertionError("ran out of pieces")


def header_lines() -> Iterator[bytes]:
    yield b"POST /slack/events HTTP/1.1\r\nHost: backupbot\r\n"
    for number in itertools.count():
        yield f"X-Slow-{number}: still coming\r\n".encode()


def body_bytes() -> Iterator[bytes]:
    yield (
        b"POST /slack/events HTTP/1.1\r\nHost: backupbot\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
    )
    while True:
        yield b"text=aaaa&"


def silence() -> Iterator[bytes]:
    while True:
        yield b""


async def test_slow_headers_slow_bodies_and_silence_are_cut_off(serve: int) -> None:
    clients = [
        *(slow_client(serve, header_lines()) for _ in range(CONNECTIONS)),
        *(slow_client(serve, body_bytes()) for _ in range(CONNECTIONS)),
        *(slow_client(serve, silence()) for _ in range(10)),
    ]
    answers = await asyncio.gather(*clients)  # each returns once the server closed it
    # A 408 first, unless bytes still in flight made the close a reset that swallowed it.
    assert all(answer in (b"", REQUEST_TIMEOUT) for answer in answers), set(answers)
    async with httpx.AsyncClient() as client:
        health = await client.get(f"http://127.0.0.1:{serve}/healthz")
    assert health.status_code == 200
    assert health.json()["background_tasks"] == 0, "no slow body reached a listener"
