"""The README's picture can be made again: the script that draws it still runs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "screenshot.py"


async def test_the_screenshot_script_renders_the_demo_answer() -> None:
    spec = importlib.util.spec_from_file_location("screenshot", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text: str = await module.terminal_text("last 24h")
    assert text.startswith("/backups last 24h")
    assert "Backups: last 24h" in text
    assert (SCRIPT.parent / "answer.png").stat().st_size > 10_000
