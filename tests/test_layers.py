"""Imports point inward: the core needs no adapter, and production never loads the simulator."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def modules_loaded_by(*imports: str) -> set[str]:
    """The modules a fresh interpreter holds after importing `imports`."""
    script = "; ".join(
        [
            *(f"import {name}" for name in imports),
            "import sys, json",
            "print(json.dumps(list(sys.modules)))",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(result.stdout))


@pytest.mark.parametrize("entry", ["bot.cli", "bot.app.modes", "bot.app.engines"])
def test_the_production_path_does_not_load_the_simulator(entry: str) -> None:
    loaded = modules_loaded_by(entry)
    assert entry in loaded
    assert not {name for name in loaded if name.startswith("bot.huawei.simulator")}


def test_the_core_loads_no_adapter_and_no_io_framework() -> None:
    core = [
        "bot.core.answering.engine",
        "bot.core.language.commands",
        "bot.core.health.assess",
        "bot.core.health.digest",
    ]
    loaded = modules_loaded_by(*core)
    forbidden = ("bot.huawei", "bot.slack", "bot.schedule", "httpx", "slack_bolt", "sqlalchemy")
    assert not {name for name in loaded if name.startswith(forbidden)}


def test_reading_the_settings_loads_no_database_library() -> None:
    """Settings are read by every command, `--help` and `query` included: checking a
    database URL there must not cost SQLAlchemy's import (nor any room of backupbot's)."""
    loaded = modules_loaded_by("bot.config")
    assert "bot.config" in loaded
    assert not {name for name in loaded if name.startswith(("sqlalchemy", "alembic"))}
    rooms = ("bot.schedule", "bot.slack", "bot.huawei", "bot.app", "bot.core")
    assert not {name for name in loaded if name.startswith(rooms)}
