"""Renders docs/answer.png: what `backupbot demo` shows, drawn as a terminal would.

Run: .venv/bin/pip install pillow && .venv/bin/python docs/screenshot.py [QUESTION]
(Pillow is needed only here, so it is not a dependency of backupbot.)
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.core.clock import utc_now
from bot.core.engine import Ask
from bot.core.query import parse_query
from bot.services import open_engines
from bot.slack.answers import Answers
from bot.slack.state import ButtonCodec
from bot.terminal import render_blocks

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
COLOURS = {"31": "#ff6b6b", "32": "#69db7c", "33": "#ffd43b", "35": "#da77f2", "36": "#66d9e8"}
ANSI = re.compile(r"\x1b\[([0-9;]*)m")


async def terminal_text(question: str) -> str:
    """The demo's answer to `question`, with colours."""
    async with open_engines(Settings(), simulator=True) as engines:
        answers = Answers(
            engines=engines, codec=ButtonCodec(b"docs"), clock=utc_now, simulated=True
        )
        engine = engines.engine(None)
        answer = await engine.answer(Ask(parse_query(question), zone=ZoneInfo("Europe/Paris")))
        view = answers.answer_view(answer, shareable=False)
    return f"/backups {question}\n\n" + render_blocks(
        view.blocks, colour=True, zone=ZoneInfo("Europe/Paris")
    )


def draw(text: str, path: Path) -> None:
    """Draw ANSI-coloured text as a dark terminal window."""
    from PIL import Image, ImageDraw, ImageFont  # only this script needs Pillow

    regular, bold = ImageFont.truetype(FONT, 15), ImageFont.truetype(BOLD, 15)
    lines = text.split("\n")
    width = max(len(ANSI.sub("", line)) for line in lines) * 9 + 40
    image = Image.new("RGB", (width, len(lines) * 21 + 40), "#1e1f26")
    canvas = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        x, y = 20, 20 + row * 21
        style: dict[str, object] = {"fill": "#e9ecef", "font": regular}
        for index, piece in enumerate(ANSI.split(line)):
            if index % 2:  # an escape's codes: odd positions of the split
                style = {"fill": "#e9ecef", "font": regular}
                for code in piece.split(";"):
                    if code in COLOURS:
                        style["fill"] = COLOURS[code]
                    elif code == "1":
                        style["font"] = bold
                    elif code == "2":
                        style["fill"] = "#868e96"
                continue
            if piece and set(piece) == {"─"}:  # a divider: one clean rule
                canvas.line((x, y + 10, width - 20, y + 10), fill="#495057", width=1)
                continue
            canvas.text((x, y), piece, **style)  # type: ignore[arg-type]
            x += int(canvas.textlength(piece, font=style["font"]))  # type: ignore[arg-type]
    image.save(path)


if __name__ == "__main__":
    question = " ".join(sys.argv[1:]) or "last 24h"
    draw(asyncio.run(terminal_text(question)), Path(__file__).with_name("answer.png"))
