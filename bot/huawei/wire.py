"""The API's wire format: its time strings, and query parameters as the strings it takes.

Times are written `yyyy-mm-ddThh:mm:ss+hhmm`; every query value is a string, as in the
official SDK. The core works with typed values (`ListBackupsParams`); only this adapter
and its simulator speak strings.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.core.params import ListBackupsParams

API_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
API_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$")


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


def to_query(params: ListBackupsParams) -> list[tuple[str, str]]:
    """The (name, value) strings the API takes for `params`, in the order of its fields."""
    pairs: list[tuple[str, str]] = []
    for field in type(params).model_fields:
        value = getattr(params, field)
        if value is None:
            continue
        if isinstance(value, datetime):
            pairs.append((field, format_api_time(value)))
        else:
            pairs.append((field, str(value)))
    return pairs
