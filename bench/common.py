"""Helpers shared by the benchmarks: a simulator in its own process, and timing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType

import httpx


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class SimulatorProcess:
    """`backupbot simulator` in a child process, so its work does not share our CPU time."""

    def __init__(self, *, latency: float, backups: int = 0) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = ["--port", str(self.port), "--latency", str(latency)]
        if backups:
            args += ["--backups", str(backups)]
        self._args = [sys.executable, "-m", "bot", "simulator", *args]
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> SimulatorProcess:
        self._process = subprocess.Popen(self._args, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url}/_simulator/stats", timeout=1).raise_for_status()
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("the simulator did not start")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(10)

    def requests(self) -> int:
        """API requests the simulator has answered since the last reset."""
        count: int = httpx.get(f"{self.url}/_simulator/stats").json()["requests"]
        return count

    def reset(self) -> None:
        """Forget counted requests."""
        httpx.post(f"{self.url}/_simulator/reset").raise_for_status()


@dataclass(frozen=True)
class Child:
    """A server in a child process."""

    url: str
    pid: int


@contextmanager
def serve_child(args: list[str], env: dict[str, str], port: int) -> Iterator[Child]:
    """Run `args` (a server on `port`) until the block ends; yields once /healthz answers."""
    child = subprocess.Popen(args, env={**os.environ, **env}, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/healthz", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or child.poll() is not None:
                    raise RuntimeError(f"{args} did not start") from None
                time.sleep(0.1)
        yield Child(url, child.pid)
    finally:
        child.terminate()
        child.wait(10)
