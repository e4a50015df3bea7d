"""The command language: `[TARGET ...] [WINDOW] [FILTER ...]`, words in any order.

`parse_query(text)` returns a Query or raises QueryError naming the offending word and
suggesting the fix; nothing else escapes. Every Query has one canonical text form,
`canonical(query)`, and `parse_query(canonical(q)) == q`: buttons carry that text and
the cache keys on it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from bot.core.backup import BackupStatus
from bot.core.params import BACKUP_ID_RE, INSTANCE_ID_RE, NAME_RE
from bot.errors import UserError

# Generous enough that any canonical text (at most ~900 characters: ten names of 64, a
# window, filters) parses back, small enough to refuse a pasted log file.
MAX_QUERY_LENGTH = 1000
EARLIEST_YEAR, LATEST_YEAR = 2000, 2999
MAX_TARGETS = 10
MAX_LAST = {"m": 60 * 24 * 366, "h": 24 * 366, "d": 366 * 3, "w": 52 * 3}
INSTANCE_PREFIX = "instance:"

Unit = Literal["m", "h", "d", "w"]
BackupType = Literal["auto", "manual"]
Moment = date | datetime  # a whole day in the asker's time zone, or an exact instant
TargetKind = Literal["instance_name", "instance_id", "backup_id"]

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
    "tues": 1, "thur": 3, "thurs": 3,
}  # fmt: skip
WINDOW_WORDS = ("last", "past", "this", "today", "yesterday", "since", "from", "to")
KEYWORDS = (*STATUS_WORDS, *TYPE_WORDS, *WINDOW_WORDS, "all")
_DURATION_RE = re.compile(r"^([0-9]+)([a-z]+)$")
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$")
_DATETIME_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[tT ][0-9]{1,2}:[0-9]{2}")
_NUMBER_RE = re.compile(r"^[0-9]+$")
PROFILE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


class QueryError(UserError):
    """A command the language cannot read; `word` is the offending word, if one is to blame."""

    def __init__(self, message: str, hint: str = "", *, word: str | None = None) -> None:
        super().__init__(message, hint)
        self.word = word


@dataclass(frozen=True)
class Last:
    """The last N minutes, hours, days or weeks, up to now."""

    amount: int
    unit: Unit


@dataclass(frozen=True)
class Today:
    """Since midnight in the asker's time zone."""


@dataclass(frozen=True)
class Yesterday:
    """The whole of yesterday in the asker's time zone."""


@dataclass(frozen=True)
class Since:
    """From a day (its midnight, asker's time zone) or an instant, up to now."""

    start: Moment


@dataclass(frozen=True)
class Between:
    """From one moment to another; a day as the end includes that whole day."""

    start: Moment
    end: Moment


@dataclass(frozen=True)
class ThisWeek:
    """Since Monday 00:00 of this ISO week, in the asker's time zone."""


@dataclass(frozen=True)
class ThisMonth:
    """Since the 1st of this month, 00:00, in the asker's time zone."""


@dataclass(frozen=True)
class LastNight:
    """Yesterday 18:00 to today 09:00 (or now, if earlier), in the asker's time zone."""


@dataclass(frozen=True)
class SinceWeekday:
    """Since 00:00 of the most recent such weekday (today, if today is one), asker's zone."""

    weekday: int  # 0 is Monday, as in date.weekday()


@dataclass(frozen=True)
class SinceYesterday:
    """Since yesterday 00:00 in the asker's time zone."""


Window = (
    Last | Today | Yesterday | Since | Between | ThisWeek | ThisMonth | LastNight | SinceWeekday
    | SinceYesterday
)  # fmt: skip
DEFAULT_WINDOW: Window = Last(7, "d")


@dataclass(frozen=True, order=True)
class Target:
    """An instance (by name or id) or one backup (by id)."""

    kind: TargetKind
    value: str


@dataclass(frozen=True)
class Query:
    """What the user asked, typed. Hashable: it is part of cache keys."""

    targets: tuple[Target, ...] = ()
    window: Window | None = None
    statuses: frozenset[BackupStatus] = field(default_factory=frozenset)
    backup_type: BackupType | None = None
    profile: str | None = None

    @property
    def effective_window(self) -> Window | None:
        """The window that applies: as given, else the default (none for backup ids only)."""
        if self.window is not None:
            return self.window
        if self.targets and all(target.kind == "backup_id" for target in self.targets):
            return None
        return DEFAULT_WINDOW


def _damerau(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one edit (typos, not spelling)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def suggest(word: str, choices: Collection[str], *, within: int = 1) -> str | None:
    """The choice nearest to `word`, if it is within `within` edits.

    Only choices longer than `within` count: one edit turns any letter into "m".
    """
    candidates = [
        choice
        for choice in choices
        if len(choice) > within + 1 and abs(len(choice) - len(word)) <= within
    ]
    best = min(candidates, key=lambda choice: _damerau(word, choice), default=None)
    return best if best is not None and _damerau(word, best) <= within else None


def _duration(text: str) -> Last | None:
    """`7d`, `24h`, `30min`...: the window they mean, or None if `text` is not one."""
    match = _DURATION_RE.match(text.lower())
    if match is None or match[2] not in UNIT_WORDS:
        return None
    return _checked_last(int(match[1]), UNIT_WORDS[match[2]], text)


def _checked_last(amount: int, unit: Unit, text: str) -> Last:
    if amount < 1:
        raise QueryError(f"'{text}' is an empty window", "use at least 1, e.g. last 1h", word=text)
    if amount > MAX_LAST[unit]:
        raise QueryError(
            f"'{text}' reaches too far back",
            f"the longest window is {MAX_LAST[unit]}{unit}; use 'since YYYY-MM-DD' for older",
            word=text,
        )
    return Last(amount, unit)


def parse_moment(text: str) -> Moment:
    """A date (`2026-11-01`) or an ISO date-time with an offset (`2026-11-01T09:00+08:00`)."""
    if _DATE_RE.match(text):
        try:
            day = date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
        except ValueError:
            raise QueryError(
                f"'{text}' is not a date", "write dates as YYYY-MM-DD, e.g. 2026-11-01", word=text
            ) from None
        return _plausible(day, text)
    if _DATETIME_RE.match(text):
        try:
            moment = datetime.fromisoformat(text.upper().replace(" ", "T"))
        except ValueError:
            raise QueryError(
                f"'{text}' is not a date-time",
                "write e.g. 2026-11-01T09:00+08:00, or just the date 2026-11-01",
                word=text,
            ) from None
        if moment.tzinfo is None:
            raise QueryError(
                f"'{text}' needs a UTC offset",
                f"write e.g. {text}+00:00, or just the date {text[:10]}",
                word=text,
            )
        return _plausible(moment, text)
    raise QueryError(
        f"'{text}' is not a date", "write dates as YYYY-MM-DD, e.g. 2026-11-01", word=text
    )


def _plausible(moment: Moment, text: str) -> Moment:
    # Far-off years are typos, and near the ends of the calendar arithmetic overflows.
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise QueryError(
            f"'{text}' is out of range",
            f"use a date between {EARLIEST_YEAR} and {LATEST_YEAR}",
            word=text,
        )
    return moment


def _format_moment(moment: Moment) -> str:
    return moment.isoformat()


class _Reader:
    """Walks the words of a command once, left to right."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.position = 0

    def __iter__(self) -> Iterator[str]:
        while self.position < len(self.words):
            word = self.words[self.position]
            self.position += 1
            yield word

    def next_word(self) -> str | None:
        if self.position >= len(self.words):
            return None
        word = self.words[self.position]
        self.position += 1
        return word

    def peek(self) -> str | None:
        return self.words[self.position] if self.position < len(self.words) else None


def tokenize(text: str) -> list[str]:
    """Words separated by spaces or commas."""
    return [word for word in re.split(r"[\s,]+", text.strip()) if word]


def parse_query(text: str, *, known_names: Collection[str] = ()) -> Query:
    """Read a command into a Query, or raise QueryError with the word to blame and a fix.

    `known_names` are instance names seen recently: a word that is one of them is never
    taken for a misspelt keyword.
    """
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            f"that command is too long ({len(text)} characters)",
            f"keep it under {MAX_QUERY_LENGTH}: name at most {MAX_TARGETS} instances",
        )
    targets: set[Target] = set()
    statuses: set[BackupStatus] = set()
    types: set[BackupType] = set()
    windows: list[tuple[str, Window]] = []
    said_all = False
    profiles: list[str] = []
    reader = _Reader(tokenize(text))
    for word in reader:
        lowered = word.lower()
        if word.startswith("@"):
            profiles.append(_profile(word))
        elif lowered in STATUS_WORDS:
            statuses |= STATUS_WORDS[lowered]
        elif lowered in TYPE_WORDS:
            types.add(TYPE_WORDS[lowered])
        elif lowered == "all":
            said_all = True
        elif lowered in WINDOW_WORDS or _duration(word) or _DATE_RE.match(lowered):
            windows.append(_read_window(word, reader))
        elif lowered.startswith(INSTANCE_PREFIX):
            targets.add(_instance_name(word[len(INSTANCE_PREFIX) :], word))
        elif INSTANCE_ID_RE.match(word):
            targets.add(Target("instance_id", word))
        elif BACKUP_ID_RE.match(word):
            targets.add(Target("backup_id", word))
        else:
            targets.add(_bare_word(word, known_names))
    if len(windows) > 1:
        (_, first), (second_word, second) = windows[:2]
        raise QueryError(
            f"two windows: '{window_text(first)}' and '{window_text(second)}'",
            "keep one of them",
            word=second_word,
        )
    if len(set(profiles)) > 1:
        raise QueryError(
            f"two profiles: @{profiles[0]} and @{profiles[1]}",
            "ask about one cloud account at a time",
            word=f"@{profiles[1]}",
        )
    if said_all and targets:
        raise QueryError(
            "'all' means every instance, but instances were named too",
            "drop 'all' or the names",
            word="all",
        )
    if len(targets) > MAX_TARGETS:
        raise QueryError(
            f"too many targets ({len(targets)})", f"ask about at most {MAX_TARGETS} at once"
        )
    return Query(
        targets=tuple(sorted(targets)),
        window=windows[0][1] if windows else None,
        statuses=frozenset(statuses),
        # both types named means either type: no narrowing
        backup_type=next(iter(types)) if len(types) == 1 else None,
        profile=profiles[0] if profiles else None,
    )


def _profile(word: str) -> str:
    name = word[1:].lower()
    if not PROFILE_RE.match(name):
        raise QueryError(
            f"'{word}' is not a profile name",
            "profiles are named like @prod or @prod-ap (letters, digits, '-' and '_')",
            word=word,
        )
    return name


def _instance_name(name: str, word: str) -> Target:
    if not NAME_RE.match(name):
        raise QueryError(
            f"'{word}' is not an instance name",
            "names have 4-64 letters, digits, '-' or '_' and start with a letter",
            word=word,
        )
    return Target("instance_name", name)


def _bare_word(word: str, known_names: Collection[str]) -> Target:
    lowered = word.lower()
    if word in known_names:
        return Target("instance_name", word)
    typo = suggest(lowered, KEYWORDS) or suggest(lowered, UNIT_WORDS)
    if typo is not None and lowered not in UNIT_WORDS:
        hint = f"did you mean '{typo}'?"
        if NAME_RE.match(word):
            hint += f" For an instance named {word}, write {INSTANCE_PREFIX}{word}"
        raise QueryError(f"unknown word '{word}'", hint, word=word)
    if _DATETIME_RE.match(word):
        raise QueryError(
            f"'{word}' on its own is not a window",
            f"write since {word}, or from {word} to ...",
            word=word,
        )
    if lowered in UNIT_WORDS or _NUMBER_RE.match(lowered):
        amount = lowered if _NUMBER_RE.match(lowered) else "7"
        raise QueryError(
            f"'{word}' on its own is not a window",
            f"write e.g. last {amount}d, last {amount}h or last {amount}w",
            word=word,
        )
    if NAME_RE.match(word):
        return Target("instance_name", word)
    if re.fullmatch(r"[A-Za-z0-9]{30,40}", word):
        raise QueryError(
            f"'{word}' is not an instance or backup id",
            "ids are 32 letters or digits followed by in07 (instances) or br07 (backups)",
            word=word,
        )
    raise QueryError(
        f"unknown word '{word}'",
        "try e.g. 'orders-prod last 7d failed', or 'help' for the whole language",
        word=word,
    )


def _read_window(word: str, reader: _Reader) -> tuple[str, Window]:
    lowered = word.lower()
    if lowered == "today":
        return word, Today()
    if lowered == "yesterday":
        return word, Yesterday()
    if lowered in ("last", "past"):
        return word, _read_last(reader, lowered)
    if lowered == "this":
        return word, _read_this(reader)
    if lowered == "since":
        return word, _read_since(reader)
    if lowered == "from":
        start = _required_moment(reader, "from", "from 2026-11-01 to 2026-11-03")
        joiner = reader.next_word()
        if joiner is None or joiner.lower() != "to":
            raise QueryError(
                f"'from {_format_moment(start)}' needs an end",
                f"write from {_format_moment(start)} to YYYY-MM-DD, "
                f"or since {_format_moment(start)}",
                word=joiner or "from",
            )
        end_word = reader.peek() or "to"
        end = _required_moment(reader, "to", "from 2026-11-01 to 2026-11-03")
        return word, _between(start, end, end_word)
    if lowered == "to":
        raise QueryError(
            "'to' needs a 'from' before it", "write from 2026-11-01 to 2026-11-03", word=word
        )
    duration = _duration(word)
    if duration is not None:
        return word, duration
    day = parse_moment(word)
    return word, Between(day, day)


def _between(start: Moment, end: Moment, end_word: str) -> Between:
    comparable = isinstance(start, datetime) == isinstance(end, datetime)
    if comparable and start > end:
        raise QueryError(
            f"from {_format_moment(start)} to {_format_moment(end)}: the start is after the end",
            "swap the two dates",
            word=end_word,
        )
    return Between(start, end)


def _required_moment(reader: _Reader, keyword: str, example: str) -> Moment:
    word = reader.next_word()
    if word is None:
        raise QueryError(f"'{keyword}' needs a date", f"write e.g. {example}", word=keyword)
    return parse_moment(word)


def _read_last(reader: _Reader, keyword: str) -> Last | LastNight:
    """After `last` or `past`: an amount and a unit, a unit alone, or (after `last`) night."""
    word = reader.next_word()
    if word is None:
        raise QueryError(
            f"'{keyword}' needs an amount",
            f"write e.g. {keyword} 24h, {keyword} 7d or {keyword} 2w",
            word=keyword,
        )
    lowered = word.lower()
    if lowered == "night":
        if keyword == "last":
            return LastNight()
        raise QueryError(
            f"'{keyword} {word}' is not a window", "write last night, or e.g. past 12h", word=word
        )
    if lowered in UNIT_WORDS:  # "last week", "past day"
        return Last(1, UNIT_WORDS[lowered])
    duration = _duration(word)
    if duration is not None:
        return duration
    if _NUMBER_RE.match(lowered):
        unit_word = reader.peek()
        if unit_word is not None and unit_word.lower() in UNIT_WORDS:
            reader.next_word()
            return _checked_last(int(lowered), UNIT_WORDS[unit_word.lower()], f"{word} {unit_word}")
        raise QueryError(
            f"'{keyword} {word}' needs a unit",
            f"{word}d, {word}h, {word}w or {word}m",
            word=word,
        )
    raise QueryError(
        f"'{keyword} {word}' is not a window",
        f"write e.g. {keyword} 24h, {keyword} 7d or {keyword} 2w",
        word=word,
    )


def _read_this(reader: _Reader) -> ThisWeek | ThisMonth:
    word = reader.next_word()
    lowered = (word or "").lower()
    if lowered == "week":
        return ThisWeek()
    if lowered == "month":
        return ThisMonth()
    raise QueryError(
        f"'this {word}' is not a window" if word else "'this' needs week or month",
        f"write this week or this month; for an instance named this, write {INSTANCE_PREFIX}this",
        word=word or "this",
    )


def _read_since(reader: _Reader) -> Since | SinceWeekday | SinceYesterday:
    word = reader.peek()
    lowered = (word or "").lower()
    if lowered in WEEKDAY_WORDS:
        reader.next_word()
        return SinceWeekday(WEEKDAY_WORDS[lowered])
    if lowered == "yesterday":
        reader.next_word()
        return SinceYesterday()
    if word is not None and not (_DATE_RE.match(word) or _DATETIME_RE.match(word)):
        reader.next_word()
        raise QueryError(
            f"'{word}' is not a date",
            "write since YYYY-MM-DD, since monday or since yesterday",
            word=word,
        )
    return Since(_required_moment(reader, "since", "since 2026-11-01"))


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
        case Today():
            return "today"
        case Yesterday():
            return "yesterday"
        case Since(start):
            return f"since {_format_moment(start)}"
        case Between(start, end):
            return f"from {_format_moment(start)} to {_format_moment(end)}"
        case ThisWeek():
            return "this week"
        case ThisMonth():
            return "this month"
        case LastNight():
            return "last night"
        case SinceWeekday(weekday):
            return f"since {WEEKDAYS[weekday]}"
        case SinceYesterday():
            return "since yesterday"
    raise AssertionError(f"unknown window {window!r}")


def _target_text(target: Target) -> str:
    if target.kind != "instance_name":
        return target.value
    value = target.value
    ambiguous = (
        value.lower() in KEYWORDS
        or value.lower() in UNIT_WORDS
        or _duration(value.lower()) is not None
        or INSTANCE_ID_RE.match(value)
        or BACKUP_ID_RE.match(value)
        or value.lower().startswith(INSTANCE_PREFIX)
        or suggest(value.lower(), KEYWORDS) is not None
        or suggest(value.lower(), UNIT_WORDS) is not None
    )
    return f"{INSTANCE_PREFIX}{value}" if ambiguous else value
