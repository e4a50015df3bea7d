"""Running backupbot as a user does, in processes of its own, and waiting on them."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
OURS = ("CLOUD_SDK_", "HUAWEICLOUD_", "GAUSSDB_", "BACKUPBOT_", "SLACK_", "HC_CONTAINER_")
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
    *args: str, env: dict[str, str], disk_full: bool = False
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` to the end; with `disk_full`, no file it writes may grow."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=environment(**env), capture_output=True,
        text=True, check=False, preexec_fn=full_disk if disk_full else None,
    )  # fmt: skip


def full_disk() -> None:
    """In a child process: no file may grow past one byte, as on a full disk (root too).

    Root ignores file permissions, so a read-only file stops nothing in a test run as
    root; RLIMIT_FSIZE stops everyone.
    """
    resource.setrlimit(resource.RLIMIT_FSIZE, (1, 1))


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
