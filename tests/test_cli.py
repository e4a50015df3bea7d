"""The command line answers, and bad input gets a line and a hint, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot` as a user would, with a clean configuration."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CLOUD_SDK_", "HUAWEICLOUD_", "GAUSSDB_", "BACKUPBOT_", "SLACK_"))
    }
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


def test_demo_lists_simulated_backups() -> None:
    result = run_cli("demo")
    assert result.returncode == 0, result.stderr
    assert "simulated" in result.stdout
    assert "TaurusDB-" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [("HUAWEICLOUD_PROJECT_ID", "nope"), ("BACKUPBOT_PAGE_CONCURRENCY", "-3")],
)
def test_malformed_configuration_is_one_clear_line(variable: str, value: str) -> None:
    result = run_cli("demo", env={variable: value})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"backupbot: {variable}")
    assert "hint:" in result.stderr


def test_unknown_command_gets_usage_not_a_traceback() -> None:
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "usage: backupbot" in result.stderr
