"""What a foreign error says, for a line of ours: its first line, without Python's
`[Errno N]`; its kind when it says nothing (many network errors don't)."""

from __future__ import annotations

import re

from bot import messages

_ERRNO = re.compile(r"\[Errno -?\d+\]\s*")


def words_of(error: BaseException) -> str:
    """What a foreign error says, for a line of ours."""
    return first_line(str(error)) or messages.said_nothing(type(error).__name__)


def first_line(text: str) -> str:
    """The first line of `text` that says something, without Python's `[Errno N]`."""
    lines = [line.strip() for line in _ERRNO.sub("", text).splitlines() if line.strip()]
    return lines[0] if lines else ""
