"""Reading a window from the words of a command: `last 7d`, `since monday`, `from X to Y`.

The words become a Window value; what it means in absolute times, for a given asker at a
given moment, is `bot.core.answering.window`'s business.
"""

from __future__ import annotations

from datetime import date, datetime

from bot import messages
from bot.core.bounds import WindowFault, window_fault
from bot.core.language.lexicon import (
    DATE_RE,
    DATETIME_RE,
    DURATION_RE,
    EARLIEST_YEAR,
    INSTANCE_PREFIX,
    LATEST_YEAR,
    MAX_LAST,
    NUMBER_RE,
    UNIT_WORDS,
    WEEKDAY_WORDS,
    Words,
)
from bot.core.query import FIXED_WINDOWS, Between, Last, Moment, Since, SinceWeekday, Unit, Window
from bot.errors import QueryError


def duration(text: str) -> Last | None:
    """`7d`, `24h`, `30min`...: the window they mean, or None if `text` is not one."""
    match = DURATION_RE.match(text.lower())
    if match is None or match[2] not in UNIT_WORDS:
        return None
    return _checked_last(int(match[1]), UNIT_WORDS[match[2]], text)


def _checked_last(amount: int, unit: Unit, text: str) -> Last:
    if amount < 1:
        raise QueryError(messages.empty_window(text), messages.EMPTY_WINDOW_HINT, word=text)
    if amount > MAX_LAST[unit]:
        raise QueryError(
            messages.too_far_back(text),
            messages.longest_window(f"{MAX_LAST[unit]}{unit}"),
            word=text,
        )
    return Last(amount, unit)


def parse_moment(text: str) -> Moment:
    """A date (`2026-11-01`) or an ISO date-time with an offset (`2026-11-01T09:00+08:00`)."""
    if DATE_RE.match(text):
        try:
            day = date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
        except ValueError:
            raise QueryError(messages.not_a_date(text), messages.DATE_HINT, word=text) from None
        return _plausible(day, text)
    if DATETIME_RE.match(text):
        try:
            moment = datetime.fromisoformat(text.upper().replace(" ", "T"))
        except ValueError:
            raise QueryError(
                messages.not_a_datetime(text),
                messages.DATETIME_HINT,
                word=text,
            ) from None
        if moment.tzinfo is None:
            raise QueryError(
                messages.needs_an_offset(text),
                messages.write_with_offset(text, text[:10]),
                word=text,
            )
        return _plausible(moment, text)
    raise QueryError(messages.not_a_date(text), messages.DATE_HINT, word=text)


def _plausible(moment: Moment, text: str) -> Moment:
    # Far-off years are typos, and near the ends of the calendar arithmetic overflows.
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise QueryError(
            messages.out_of_range(text),
            messages.date_between(EARLIEST_YEAR, LATEST_YEAR),
            word=text,
        )
    return moment


def format_moment(moment: Moment) -> str:
    """A moment as the language writes it: 2026-11-01, or 2026-11-01T09:00:00+08:00."""
    return moment.isoformat()


def read_window(word: str, words: Words) -> tuple[str, Window]:
    """The window that starts at `word`, reading on as far as it needs; the word is returned
    with it, to blame when a second window follows."""
    lowered = word.lower()
    if lowered in FIXED_WINDOWS:  # today, yesterday
        return word, FIXED_WINDOWS[lowered]
    if lowered in ("last", "past"):
        return word, _read_last(words, lowered)
    if lowered == "this":
        return word, _read_this(words)
    if lowered == "since":
        return word, _read_since(words)
    if lowered == "from":
        start = _required_moment(words, "from", messages.FROM_TO_EXAMPLE)
        joiner = words.next_word()
        if joiner is None or joiner.lower() != "to":
            raise QueryError(
                messages.from_needs_an_end(format_moment(start)),
                messages.write_from_to(format_moment(start)),
                word=joiner or "from",
            )
        end_word = words.peek() or "to"
        end = _required_moment(words, "to", messages.FROM_TO_EXAMPLE)
        return word, _between(start, end, end_word)
    if lowered == "to":
        raise QueryError(messages.TO_NEEDS_FROM, messages.WRITE_FROM_TO, word=word)
    last = duration(word)
    if last is not None:
        return word, last
    day = parse_moment(word)
    return word, Between(day, day)


def _between(start: Moment, end: Moment, end_word: str) -> Between:
    """`from start to end`, refused here when its order does not depend on the asker's zone:
    two days, or two instants (a day and an instant are ordered when resolved)."""
    if isinstance(start, datetime) == isinstance(end, datetime):
        fault = window_fault(start, end)
        if fault is WindowFault.ENDS_BEFORE_IT_STARTS:
            raise QueryError(
                messages.start_after_end(format_moment(start), format_moment(end)),
                messages.SWAP_THE_DATES,
                word=end_word,
            )
    return Between(start, end)


def _required_moment(words: Words, keyword: str, example: str) -> Moment:
    word = words.next_word()
    if word is None:
        raise QueryError(
            messages.needs_a_date(keyword), messages.write_example(example), word=keyword
        )
    return parse_moment(word)


def _read_last(words: Words, keyword: str) -> Window:
    """After `last` or `past`: an amount and a unit, a unit alone, or (after `last`) night."""
    word = words.next_word()
    if word is None:
        raise QueryError(
            messages.needs_an_amount(keyword),
            messages.write_amounts(keyword),
            word=keyword,
        )
    lowered = word.lower()
    if lowered == "night":
        if keyword == "last":
            return FIXED_WINDOWS["last night"]
        raise QueryError(
            messages.not_a_window(f"{keyword} {word}"), messages.LAST_NIGHT_HINT, word=word
        )
    if lowered in UNIT_WORDS:  # "last week", "past day"
        return Last(1, UNIT_WORDS[lowered])
    last = duration(word)
    if last is not None:
        return last
    if NUMBER_RE.match(lowered):
        unit_word = words.peek()
        if unit_word is not None and unit_word.lower() in UNIT_WORDS:
            words.next_word()
            return _checked_last(int(lowered), UNIT_WORDS[unit_word.lower()], f"{word} {unit_word}")
        raise QueryError(
            messages.needs_a_unit(f"{keyword} {word}"),
            messages.units_of(word),
            word=word,
        )
    raise QueryError(
        messages.not_a_window(f"{keyword} {word}"),
        messages.write_amounts(keyword),
        word=word,
    )


def _read_this(words: Words) -> Window:
    word = words.next_word()
    window = FIXED_WINDOWS.get(f"this {(word or '').lower()}")
    if window is not None:
        return window
    raise QueryError(
        messages.not_a_window(f"this {word}") if word else messages.THIS_NEEDS_WEEK_OR_MONTH,
        messages.write_this(INSTANCE_PREFIX),
        word=word or "this",
    )


def _read_since(words: Words) -> Window:
    word = words.peek()
    lowered = (word or "").lower()
    if lowered in WEEKDAY_WORDS:
        words.next_word()
        return SinceWeekday(WEEKDAY_WORDS[lowered])
    if lowered == "yesterday":
        words.next_word()
        return FIXED_WINDOWS["since yesterday"]
    if word is not None and not (DATE_RE.match(word) or DATETIME_RE.match(word)):
        words.next_word()
        raise QueryError(
            messages.not_a_date(word),
            messages.SINCE_HINT,
            word=word,
        )
    return Since(_required_moment(words, "since", messages.SINCE_EXAMPLE))
