"""Renders docs/answer.png: what `backupbot demo` shows, drawn as a terminal would.

Run: .venv/bin/python docs/screenshot.py
The answer is asked of the simulator at a fixed moment with fonts kept beside this
script, so the picture is the same on every machine: tests/test_docs.py redraws it and
fails when the README's picture no longer shows what backupbot answers today.
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw, ImageFont

from bot.app.engines import open_engines
from bot.app.terminal import render_blocks
from bot.config import Settings
from bot.core.answering.answer import Ask
from bot.core.language.parse import parse_query
from bot.slack.answers import Answers
from bot.slack.button_state import ButtonCodec

HERE = Path(__file__).resolve().parent
PICTURE = HERE / "answer.png"
QUESTION = "last 24h"
MOMENT = datetime(2026, 11, 27, 8, 42, 7, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Paris")
FONT = HERE / "fonts" / "DejaVuSansMono.ttf"
BOLD = HERE / "fonts" / "DejaVuSansMono-Bold.ttf"
COLOURS = {"31": "#ff6b6b", "32": "#69db7c", "33": "#ffd43b", "35": "#da77f2", "36": "#66d9e8"}
ANSI = re.compile(r"\x1b\[([0-9;]*)m")


def _at_the_moment() -> datetime:
    return MOMENT


async def terminal_text(question: str = QUESTION) -> str:
    """The demo's answer to `question` at MOMENT, with colours."""
    async with open_engines(Settings(), simulator=True, clock=_at_the_moment) as engines:
        answers = Answers(
            engines=engines, codec=ButtonCodec(b"docs"), clock=_at_the_moment, simulated=True
        )
        engine = engines.engine(None)
        answer = await engine.answer(Ask(parse_query(question), zone=ZONE))
        view = answers.answer_view(answer, shareable=False)
    return f"/backups {question}\n\n" + render_blocks(view.blocks, colour=True, zone=ZONE)


def draw(text: str) -> Image.Image:
    """ANSI-coloured text as a dark terminal window."""
    regular, bold = ImageFont.truetype(str(FONT), 15), ImageFont.truetype(str(BOLD), 15)
    lines = text.split("\n")
    width = max(len(ANSI.sub("", line)) for line in lines) * 9 + 40
    image = Image.new("RGB", (width, len(lines) * 21 + 40), "#1e1f26")
    canvas = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        x, y = 20, 20 + row * 21
        fill, font = "#e9ecef", regular
        for index, piece in enumerate(ANSI.split(line)):
            if index % 2:  # an escape's codes: odd positions of the split
                fill, font = "#e9ecef", regular
                for code in piece.split(";"):
                    if code in COLOURS:
                        fill = COLOURS[code]
                    elif code == "1":
                        font = bold
                    elif code == "2":
                        fill = "#868e96"
                continue
            if piece and set(piece) == {"─"}:  # a divider: one clean rule
                canvas.line((x, y + 10, width - 20, y + 10), fill="#495057", width=1)
                continue
            canvas.text((x, y), piece, fill=fill, font=font)
            x += int(canvas.textlength(piece, font=font))
    return image


if __name__ == "__main__":
    draw(asyncio.run(terminal_text())).save(PICTURE)
    print(f"wrote {PICTURE}")
