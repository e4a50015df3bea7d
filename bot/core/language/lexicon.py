"""The words of the command language, the shapes of its other words, and its limits.

The parser reads with these, the canonical form avoids them, and typo suggestions are
drawn from them: a new keyword is added here once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.core.backup import BackupStatus
from bot.core.query import BackupType, Unit

# Generous enough that any canonical text (at most ~900 characters: ten names of 64, a
# window, filters) parses back, small enough to refuse a pasted log file.
MAX_QUERY_LENGTH = 1000
EARLIEST_YEAR, LATEST_YEAR = 2000, 2999
MAX_TARGETS = 10
MAX_LAST = {"m": 60 * 24 * 366, "h": 24 * 366, "d": 366 * 3, "w": 52 * 3}
INSTANCE_PREFIX = "instance:"

UNIT_WORDS: dict[str, Unit] = {
    "m": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "d": "d", "day": "d", "days": "d",
    "w": "w", "wk": "w", "wks": "w", "week": "w", "weeks": "w",
}  # fmt: skip
STATUS_WORDS: dict[str, frozenset[BackupStatus]] = {
    "failed": frozenset({BackupStatus.FAILED}),
    "fail": frozenset({BackupStatus.FAILED}),
    "failure": frozenset({BackupStatus.FAILED}),
    "failures": frozenset({BackupStatus.FAILED}),
    "building": frozenset({BackupStatus.BUILDING}),
    "completed": frozenset({BackupStatus.COMPLETED}),
    "available": frozenset({BackupStatus.AVAILABLE}),
    "ok": frozenset({BackupStatus.COMPLETED, BackupStatus.AVAILABLE}),
}
TYPE_WORDS: dict[str, BackupType] = {"auto": "auto", "manual": "manual"}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_WORDS: dict[str, int] = {
    **{day: number for number, day in enumerate(WEEKDAYS)},
    **{day[:3]: number for number, day in enumerate(WEEKDAYS)},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
WINDOW_WORDS = ("last", "past", "this", "today", "yesterday", "since", "from", "to")
KEYWORDS = (*STATUS_WORDS, *TYPE_WORDS, *WINDOW_WORDS, "all")
DURATION_RE = re.compile(r"^([0-9]+)([a-z]+)$")
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$")
DATETIME_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[tT ][0-9]{1,2}:[0-9]{2}")
NUMBER_RE = re.compile(r"^[0-9]+$")
PROFILE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")

# The command verbs: a command's first word (anything else is a question), and what follows.
HELP_WORDS = ("help", "?", "-h", "--help")
HEALTH_WORD = "health"
DIGEST_WORDS = ("digest", "digests")
WATCH_WORDS = ("watch", "watches")
ADD_WORD, NOW_WORD, LIST_WORD, REMOVE_WORD = "add", "now", "list", "remove"
AT_WORD, TZ_WORD, LANG_WORD = "at", "tz", "lang"
BACKUP_WORD = "backup"  # an action: take a backup now, once confirmed
RESTORE_WORD, TABLE_WORD = "restore", "table"


def tokenize(text: str) -> list[str]:
    """Words separated by spaces or commas."""
    return [word for word in re.split(r"[\s,]+", text.strip()) if word]


class Words:
    """The words of a command, walked once, left to right."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.position = 0

    def __iter__(self) -> Iterator[str]:
        while self.position < len(self.words):
            word = self.words[self.position]
            self.position += 1
            yield word

    def next_word(self) -> str | None:
        """The next word, consumed; None at the end."""
        if self.position >= len(self.words):
            return None
        word = self.words[self.position]
        self.position += 1
        return word

    def peek(self) -> str | None:
        """The next word, left for the next reader; None at the end."""
        return self.words[self.position] if self.position < len(self.words) else None
