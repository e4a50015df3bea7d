"""Time zones by name: one reading, one wording of the mistake, wherever a zone is typed.

The configuration, `digest add ... tz`, the digests file, the CLI's `--tz`, stored
subscriptions and Slack profiles all name zones the same way.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import messages
from bot.errors import QueryError


def zone_named(text: str) -> ZoneInfo:
    """The IANA time zone `text` names (white space around it ignored), or QueryError."""
    name = text.strip()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise QueryError(messages.unknown_zone(name), messages.ZONE_HINT, word=name) from None
