"""Amounts as people read them: sizes, ages and durations, short and unambiguous.

Shared by answers, health and every view, so one amount reads the same everywhere.
"""

from __future__ import annotations

from datetime import timedelta

from bot import messages
from bot.messages.catalogue import decimal


def human_size(megabytes: float) -> str:
    """Sizes as people say them: 812 MB, 48.2 GB, 1.3 TB (the API's MB may be fractional),
    with the reader's decimal sign and unit words.

    Whole megabytes are enough under a gigabyte, except under 10 MB, where rounding a
    fractional size could turn 0.4 MB into "0 MB".
    """
    if round(megabytes) < 1024:
        if megabytes != int(megabytes) and round(megabytes, 1) < 10:
            return messages.megabytes_short(decimal(megabytes, places=1))
        return messages.megabytes_short(decimal(megabytes, places=0))
    if round(megabytes / 1024, 1) < 1024:  # 1048575 MB is 1.0 TB, not 1024.0 GB
        return messages.gigabytes_short(decimal(megabytes / 1024, places=1))
    return messages.terabytes_short(decimal(megabytes / 1024 / 1024, places=1))


def human_age(age: timedelta) -> str:
    """Ages as people say them: 45 s, 12 min, 5 h, 3 d."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 90:
        return messages.seconds_short(seconds)
    if seconds < 90 * 60:
        return messages.minutes_short(seconds // 60)
    if seconds < 48 * 3600:
        return messages.hours_short(seconds // 3600)
    return messages.days_short(seconds // 86400)


def human_duration(minutes: int | None) -> str:
    """Backup durations: 7 min, 2 h 05 min."""
    if minutes is None:
        return "-"
    if minutes < 60:
        return messages.minutes_short(minutes)
    return messages.hours_minutes_short(minutes // 60, minutes % 60)
