"""One line of `backupbot check`'s report, shared by its checks."""

from __future__ import annotations

from dataclasses import dataclass

from bot import messages


@dataclass(frozen=True)
class Finding:
    """One line of the report: passed (True), failed (False) or merely noted (None).

    A warning (`warn`) is noted, not failed: something works less well than it could,
    and `check` still exits 0.
    """

    ok: bool | None
    subject: str
    text: str
    warn: bool = False

    def line(self) -> str:
        """The finding as printed."""
        mark = "⚠" if self.warn else {True: "✔", False: "✖", None: "-"}[self.ok]
        return messages.check_line(mark=mark, subject=self.subject, text=self.text)
