"""`backupbot check` on the state store: where it is, its schema, writable; it changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.schedule.migrate import head
from tests.processes import run_backupbot
from tests.schedule.test_migrations import FIXTURE


def state_line(output: str) -> str:
    (line,) = [line for line in output.splitlines() if " state: " in line]
    return line


def test_check_says_a_new_state_file_will_be_made_and_makes_none(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    result = run_backupbot("check", env={"BACKUPBOT_STATE": str(state)})
    assert state_line(result.stdout) == (
        f"- state: SQLite file {state}: no backupbot tables yet; backupbot migrates it to "
        f"schema {head()} at start (or run backupbot migrate)"
    )
    assert not state.exists()


def test_check_names_an_old_schema_and_leaves_it_alone(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    shutil.copy(FIXTURE, state)
    before = state.read_bytes()
    result = run_backupbot("check", env={"BACKUPBOT_STATE": str(state)})
    expected = f"schema 0001; backupbot migrates it to schema {head()} at start"
    assert expected in state_line(result.stdout)
    assert state.read_bytes() == before


def test_check_passes_a_migrated_writable_store(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    assert run_backupbot("migrate", env={"BACKUPBOT_STATE": str(state)}).returncode == 0
    result = run_backupbot("check", env={"BACKUPBOT_STATE": str(state)})
    assert state_line(result.stdout) == (
        f"✔ state: SQLite file {state} is ready (schema {head()}, writable)"
    )


def test_check_fails_a_store_that_cannot_be_written(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    assert run_backupbot("migrate", env={"BACKUPBOT_STATE": str(state)}).returncode == 0
    result = run_backupbot("check", env={"BACKUPBOT_STATE": str(state)}, disk_full=True)
    assert result.returncode == 1
    assert state_line(result.stdout).startswith(
        f"✖ state: BACKUPBOT_STATE: SQLite file {state} cannot be used: "
    )
