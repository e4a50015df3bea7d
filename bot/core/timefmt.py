"""Time strings as the TaurusDB API writes them: `yyyy-mm-ddThh:mm:ss+hhmm`."""

from __future__ import annotations

from datetime import UTC, datetime

API_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def parse_api_time(text: str) -> datetime:
    """Parse an API time; accepts `+0800`, `+08:00` and `Z`, reads a naive time as UTC."""
    # fromisoformat (C, fast) reads every form the API uses since Python 3.11.
    parsed = datetime.fromisoformat(text.strip())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_api_time(moment: datetime) -> str:
    """Format an aware time the way the API documents it, in UTC (`+0000`)."""
    if moment.tzinfo is None:
        raise ValueError("API times must be timezone-aware")
    return moment.astimezone(UTC).strftime(API_TIME_FORMAT)
