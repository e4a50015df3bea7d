"""`backupbot demo`: the bot in a terminal, over the built-in simulator.

The answers are the Block Kit the Slack app sends, rendered for the terminal; its
buttons are keys. No Slack workspace and no cloud account needed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from zoneinfo import ZoneInfo

from bot import messages
from bot.app.terminal import action_for_key, buttons, render_blocks
from bot.core.language.commands import BackupCommand
from bot.errors import UpstreamError, UserError
from bot.slack.answers import Answers
from bot.slack.blocks import View

QUIT_WORDS = ("q", "quit", "exit")
PROMPT = "\n/backups "
ReadLine = Callable[[str], Awaitable[str | None]]  # a line typed after a prompt; None at the end
TakeBackup = Callable[[BackupCommand], Awaitable[None]]


class Demo:
    """One terminal session: questions in, rendered views out."""

    def __init__(
        self,
        answers: Answers,
        *,
        zone: ZoneInfo,
        colour: bool,
        out: Callable[[str], None],
        backup: TakeBackup,
    ) -> None:
        self.answers = answers
        self.backup = backup
        self.zone = zone
        self.colour = colour
        self.out = out
        self.current: list[dict[str, Any]] = []

    def show(self, view: View) -> None:
        """Print a view and remember its buttons."""
        self.current = view.blocks
        self.out(render_blocks(view.blocks, colour=self.colour, zone=self.zone))

    def complain(self, message: str, hint: str) -> None:
        """A mistake, as Slack would show it to the asker alone."""
        self.out(f"⚠ {message}" + (f"\n  {hint}" if hint else ""))

    async def handle(self, line: str) -> bool:
        """Act on one line of input; False when the user wants to leave."""
        text = line.strip()
        if not text:
            return True
        if text.lower() in QUIT_WORDS:
            return False
        try:
            action = action_for_key(self.current, text.lower())
            if action is not None:
                value = buttons(self.current)[text.lower()]
                outcome = await self.answers.for_click(
                    action, value, zone=self.zone, shareable=False
                )
            else:
                command = self.answers.parse(text)
                if isinstance(command, BackupCommand):  # asked, confirmed and followed here
                    await self.backup(command)
                    return True
                outcome = await self.answers.for_command(command, zone=self.zone, shareable=False)
            self.show(outcome.view)
        except UserError as error:
            self.complain(error.said, error.hint)
        except UpstreamError as error:
            self.complain(str(error), "")
        return True

    async def run(self, read_line: ReadLine) -> None:
        """The interactive loop: read, answer, until quit or end of input."""
        self.out(messages.DEMO_TOUR)
        while True:
            line = await read_line(PROMPT)
            if line is None or not await self.handle(line):
                return
