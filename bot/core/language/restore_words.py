"""The restore question's words: `restore INSTANCE [TIME] [table DB.TABLE] [@NAME]`.

TIME is `HH:MM[:SS]` (the most recent such time that has passed), `today`/`yesterday`
or `YYYY-MM-DD` then `HH:MM[:SS]` (the asker's zone), or `YYYY-MM-DDTHH:MM[:SS]` with
an offset (`Z`, `+08:00`) or without one (the asker's zone). Nothing here knows "now":
the point is resolved when the question is answered (`bot.core.restore.point`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta, timezone

from bot import messages
from bot.core.language.help import RESTORE_EXAMPLE, RESTORE_SYNTAX, RESTORE_TABLE_EXAMPLE
from bot.core.language.lexicon import (
    DATE_RE,
    EARLIEST_YEAR,
    INSTANCE_PREFIX,
    LATEST_YEAR,
    PROFILE_RE,
    TABLE_WORD,
    Words,
)
from bot.core.params import INSTANCE_ID_RE, NAME_RE
from bot.core.query import Target
from bot.core.restore.question import (
    AskedTime,
    ClockTime,
    DayTime,
    ExactTime,
    RestoreQuestion,
    TableName,
)
from bot.errors import QueryError

CLOCK_RE = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?$")
STAMP_RE = re.compile(
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[tT]([0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)"
    r"(?:(Z|z)|([+-])([0-9]{2}):?([0-9]{2}))?$"
)
TIMEISH_RE = re.compile(r"^[0-9]{1,4}[:.-][0-9]|^[0-9]{1,2}(am|pm)$", re.IGNORECASE)
# MySQL names as TaurusDB lists them: letters, digits, `_`, `$` and `-`, 64 at most each.
IDENTIFIER = r"[A-Za-z0-9_$-]{1,64}"
TABLE_RE = re.compile(rf"^({IDENTIFIER})\.({IDENTIFIER})$")
DAY_WORDS = {"today": 0, "yesterday": 1}


def parse_restore(words: list[str], *, known_names: Collection[str] = ()) -> RestoreQuestion:
    """The words after `restore`, read into a RestoreQuestion, or QueryError naming the word."""
    reading = Words(words)
    instance: Target | None = None
    at: AskedTime | None = None
    table: TableName | None = None
    profile: str | None = None
    for word in reading:
        lowered = word.lower()
        if word.startswith("@"):
            profile = _profile(word, profile)
        elif lowered == TABLE_WORD:
            table = _table(reading.next_word(), table)
        elif lowered in DAY_WORDS or DATE_RE.match(lowered):
            at = _once(at, word, _day_time(word, reading.next_word()))
        elif CLOCK_RE.match(word):
            at = _once(at, word, ClockTime(_clock(word)))
        elif STAMP_RE.match(word):
            at = _once(at, word, _stamp(word))
        elif TIMEISH_RE.match(word):
            raise QueryError(
                messages.not_a_restore_time(word), messages.RESTORE_TIME_HINT, word=word
            )
        else:
            instance = _instance(word, instance, known_names)
    if instance is None:
        raise QueryError(
            messages.RESTORE_NEEDS_AN_INSTANCE,
            messages.write_example(RESTORE_EXAMPLE),
            word="restore",
        )
    return RestoreQuestion(instance=instance, at=at, table=table, profile=profile)


def _bad_time(word: str) -> QueryError:
    return QueryError(messages.not_a_restore_time(word), messages.RESTORE_TIME_HINT, word=word)


def _once(asked: AskedTime | None, word: str, new: AskedTime) -> AskedTime:
    if asked is not None:
        raise QueryError(messages.TWO_RESTORE_TIMES, messages.ONE_RESTORE_TIME, word=word)
    return new


def _profile(word: str, before: str | None) -> str:
    name = word[1:].lower()
    if not PROFILE_RE.match(name):
        raise QueryError(messages.not_a_profile_name(word), messages.PROFILE_NAME_HINT, word=word)
    if before is not None and before != name:
        raise QueryError(
            messages.two_profiles(before, name), messages.ONE_PROFILE_AT_A_TIME, word=word
        )
    return name


def _table(word: str | None, before: TableName | None) -> TableName:
    if word is None:
        raise QueryError(
            messages.needs_a_value(TABLE_WORD),
            messages.write_example(RESTORE_TABLE_EXAMPLE),
            word=TABLE_WORD,
        )
    match = TABLE_RE.match(word)
    if match is None:
        raise QueryError(messages.not_a_table_name(word), messages.TABLE_NAME_HINT, word=word)
    if before is not None:
        raise QueryError(messages.TWO_TABLES, messages.ONE_TABLE, word=word)
    return TableName(match[1], match[2])


def _clock(word: str) -> time:
    match = CLOCK_RE.match(word)
    if match is None:
        raise _bad_time(word)
    return time(int(match[1]), int(match[2]), int(match[3] or 0))


def _day_time(word: str, clock_word: str | None) -> DayTime:
    if clock_word is None or not CLOCK_RE.match(clock_word):
        shown = f"{word} {clock_word}" if clock_word else word
        raise QueryError(
            messages.not_a_restore_time(shown), messages.RESTORE_TIME_HINT, word=clock_word or word
        )
    lowered = word.lower()
    if lowered in DAY_WORDS:
        return DayTime(_clock(clock_word), days_ago=DAY_WORDS[lowered])
    return DayTime(_clock(clock_word), day=_date(word))


def _date(word: str) -> date:
    try:
        day = date.fromisoformat(word if len(word) == 10 else _padded(word))
    except ValueError:
        day = None
    if day is None or not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise QueryError(messages.not_a_date(word), messages.DATE_HINT, word=word)
    return day


def _padded(word: str) -> str:
    year, month, day = word.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _stamp(word: str) -> AskedTime:
    match = STAMP_RE.match(word)
    assert match is not None  # the caller matched it
    day = _date(match[1])
    at = _clock(match[2])
    if match[3]:
        return ExactTime(datetime.combine(day, at, tzinfo=UTC))
    if match[4]:
        hours, minutes = int(match[5]), int(match[6])
        if hours > 23 or minutes > 59:
            raise QueryError(
                messages.not_a_restore_time(word), messages.RESTORE_TIME_HINT, word=word
            )
        offset = timedelta(hours=hours, minutes=minutes) * (1 if match[4] == "+" else -1)
        return ExactTime(datetime.combine(day, at, tzinfo=timezone(offset)))
    return DayTime(at, day=day)


def _instance(word: str, before: Target | None, known_names: Collection[str]) -> Target:
    if word.lower().startswith(INSTANCE_PREFIX):
        name = word[len(INSTANCE_PREFIX) :]
        target = Target("instance_name", name) if NAME_RE.match(name) else None
    elif INSTANCE_ID_RE.match(word):
        target = Target("instance_id", word)
    elif word in known_names or NAME_RE.match(word):
        target = Target("instance_name", word)
    else:
        target = None
    if target is None:
        raise QueryError(
            messages.not_a_restore_word(word), messages.restore_syntax(RESTORE_SYNTAX), word=word
        )
    if before is not None and before != target:
        raise QueryError(messages.ONE_INSTANCE_TO_RESTORE, messages.ASK_ONE_AT_A_TIME, word=word)
    return target
