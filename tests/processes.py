"""Running backupbot as a user does, in processes of its own, and waiting on them."""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import TypeVar

import httpx

from bot.support.serving import free_port

T = TypeVar("T")
OURS = ("CLOUD_SDK_", "HUAWEICLOUD_", "GAUSSDB_", "BACKUPBOT_", "SLACK_", "HC_CONTAINER_")
# prctl(2): drop a capability from the bounding set; capability(7): what root's are.
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2
WAIT = 60.0  # seconds any one condition may take on a busy machine before a test fails
# Where a process started by a test looks for cloud credentials when it is told nothing:
# a port on 127.0.0.1 nobody listens on (refused at once) and a file that does not exist,
# never the real metadata service nor the tester's own ~/.huaweicloud/credentials. The
# in-process guard (tests/conftest.py) cannot see into other processes.
NOWHERE = "http://127.0.0.1:9"
SAFE = {
    "BACKUPBOT_METADATA_URL": NOWHERE,
    "HUAWEICLOUD_SDK_IAM_ENDPOINT": NOWHERE,
    "HUAWEICLOUD_SDK_CREDENTIALS_FILE": "/nonexistent/backupbot-tests/credentials",
}


def environment(**values: str) -> dict[str, str]:
    """This environment without any configuration of ours, plus `values`; the credential
    sources a test does not name point nowhere (SAFE)."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(OURS)}
    return {**clean, **SAFE, **values}


def run_backupbot(
    *args: str, env: dict[str, str], disk_full: bool = False, permissions: bool = False
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` to the end; with `disk_full`, no file it writes may grow; with
    `permissions`, file permissions hold for it, root or not."""
    steps = [step for step, wanted in ((full_disk, disk_full), (obey_permissions, permissions))
             if wanted]  # fmt: skip

    def before() -> None:
        for step in steps:
            step()

    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=environment(**env), capture_output=True,
        text=True, check=False, preexec_fn=before if steps else None,
    )  # fmt: skip


def full_disk() -> None:
    """In a child process: no file may grow past one byte, as on a full disk (root too).

    Root ignores file permissions, so a read-only file stops nothing in a test run as
    root; RLIMIT_FSIZE stops everyone.
    """
    resource.setrlimit(resource.RLIMIT_FSIZE, (1, 1))


def obey_permissions() -> None:
    """In a child process: file permissions hold, even for root.

    Root reads and writes any file through CAP_DAC_OVERRIDE (and CAP_DAC_READ_SEARCH);
    dropped from the bounding set before exec, the program run has neither. For anyone
    else, permissions hold anyway (and dropping them is refused: nothing to do).
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)


def wait_until(what: str, condition: Callable[[], T | None], *, timeout: float = WAIT) -> T:
    """Poll `condition` until it returns something; fail naming `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)  # between two looks at another process's progress


def serve_briefly(env: dict[str, str], *, simulator: bool = True) -> tuple[int | None, str]:
    """`backupbot serve` (on the built-in simulator, or as `env` says) until it answers
    /healthz, or ends: its exit code (None if it served, then was stopped) and everything
    it wrote, stdout and stderr."""
    port = free_port()
    simulated = ["--simulator"] if simulator else []
    with tempfile.TemporaryFile("w+") as output:
        popen = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", *simulated, "--host", "127.0.0.1",
             "--port", str(port)],
            env=environment(**env), stdout=output, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            wait_until("serve to answer or end", lambda: _answers(popen, port))
        finally:
            ended = popen.poll()
            popen.terminate()
            popen.wait(WAIT)
        output.seek(0)
        return ended, output.read()


def _answers(popen: subprocess.Popen[str], port: int) -> bool:
    if popen.poll() is not None:
        return True
    try:
        return "ok" in httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).json()
    except (httpx.HTTPError, ValueError):
        return False
