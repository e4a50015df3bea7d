"""The README's picture shows what backupbot answers today, pixel for pixel."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from PIL import Image, ImageChops

SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "screenshot.py"


def _screenshot() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshot", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_the_readme_picture_is_todays_answer() -> None:
    screenshot = _screenshot()
    text: str = await screenshot.terminal_text()
    assert text.startswith(f"/backups {screenshot.QUESTION}")
    drawn: Image.Image = screenshot.draw(text)
    with Image.open(screenshot.PICTURE) as kept:
        stale = (
            kept.size != drawn.size
            or ImageChops.difference(kept.convert("RGB"), drawn).getbbox() is not None
        )
    assert not stale, "docs/answer.png is out of date: run .venv/bin/python docs/screenshot.py"
