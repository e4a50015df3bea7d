"""Everything a user can type after /backups: a query, or a command of its own."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from bot.core.query import Query, parse_query, tokenize

HELP_WORDS = ("help", "?", "-h", "--help")

HELP_TEXT = """\
Ask about backups in words, in any order:  [TARGET ...] [WINDOW] [FILTER ...]

TARGET  an instance name (orders-prod), an instance id (32 letters/digits + in07)
        or a backup id (... + br07). Several are merged; none, or 'all', means
        every instance. For an instance named like a keyword: instance:NAME.
WINDOW  last 30m | last 24h | last 7d | last 2w, today, yesterday,
        since 2026-11-01, from 2026-11-01 to 2026-11-03, or one date (that day).
        Dates are YYYY-MM-DD in your time zone, or ISO date-times with an offset
        (2026-11-01T09:00+08:00). Without a window: last 7d (backup ids: any time).
FILTER  failed, building, completed, available, ok (= completed or available);
        auto or manual. Statuses are alternatives; a type narrows.

Examples:
  orders-prod last 7d failed
  failed building today
  orders-prod payments-prod from 2026-11-01 to 2026-11-03 manual
  yesterday ok auto"""

EXAMPLES = ("orders-prod last 7d failed", "failed building today", "last 24h")


@dataclass(frozen=True)
class HelpCommand:
    """`help`: the language, with examples."""


@dataclass(frozen=True)
class QueryCommand:
    """A question about backups."""

    query: Query


Command = HelpCommand | QueryCommand


def parse_command(text: str, *, known_names: Collection[str] = ()) -> Command:
    """Read what the user typed; raises QueryError (a UserError) when it cannot."""
    words = tokenize(text)
    if words and words[0].lower() in HELP_WORDS:
        return HelpCommand()
    return QueryCommand(parse_query(text, known_names=known_names))
