"""The one text form of every query: what buttons carry, what the cache keys on, what
answers and logs show. `bot.core.language.parse` reads it back to the same Query.
"""

from __future__ import annotations

import functools

from bot.core.language.lexicon import (
    INSTANCE_PREFIX,
    KEYWORDS,
    STATUS_WORDS,
    UNIT_WORDS,
    WEEKDAYS,
)
from bot.core.language.typos import suggest
from bot.core.language.window_grammar import duration, format_moment
from bot.core.params import BACKUP_ID_RE, INSTANCE_ID_RE
from bot.core.query import (
    FIXED_WINDOWS,
    Between,
    Last,
    Query,
    Since,
    SinceWeekday,
    Target,
    Window,
)

_FIXED_WORDS = {window: words for words, window in FIXED_WINDOWS.items()}


@functools.lru_cache(maxsize=4096)
def canonical(query: Query) -> str:
    """The one text form of a query: what buttons carry and what the cache keys on."""
    words = [f"@{query.profile}"] if query.profile else []
    words += [_target_text(target) for target in query.targets]
    if query.window is not None:
        words.append(window_text(query.window))
    ok = STATUS_WORDS["ok"]
    statuses = set(query.statuses)
    if ok <= statuses:
        words.append("ok")
        statuses -= ok
    words.extend(status.value.lower() for status in sorted(statuses))
    if query.backup_type is not None:
        words.append(query.backup_type)
    return " ".join(words)


def window_text(window: Window) -> str:
    """A window in the language's own words."""
    match window:
        case Last(amount, unit):
            return f"last {amount}{unit}"
        case Since(start):
            return f"since {format_moment(start)}"
        case Between(start, end):
            return f"from {format_moment(start)} to {format_moment(end)}"
        case SinceWeekday(weekday):
            return f"since {WEEKDAYS[weekday]}"
    return _FIXED_WORDS[window]


def _target_text(target: Target) -> str:
    if target.kind != "instance_name":
        return target.value
    value = target.value
    ambiguous = (
        value.lower() in KEYWORDS
        or value.lower() in UNIT_WORDS
        or duration(value.lower()) is not None
        or INSTANCE_ID_RE.match(value)
        or BACKUP_ID_RE.match(value)
        or value.lower().startswith(INSTANCE_PREFIX)
        or suggest(value.lower(), KEYWORDS) is not None
        or suggest(value.lower(), UNIT_WORDS) is not None
    )
    return f"{INSTANCE_PREFIX}{value}" if ambiguous else value
