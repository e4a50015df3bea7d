"""The query language's words: errors and hints of questions, windows, time zones,
request parameters, the help text, targets (bot/core)."""

from __future__ import annotations

from collections.abc import Sequence

# --- query errors and hints (core/parse) --------------------------------------------------

KEEP_ONE_WINDOW = "keep one of them"
ONE_PROFILE_AT_A_TIME = "ask about one cloud account at a time"
ALL_AND_NAMES = "'all' means every instance, but instances were named too"
DROP_ALL_OR_NAMES = "drop 'all' or the names"
PROFILE_NAME_HINT = "profiles are named like @prod or @prod-ap (letters, digits, '-' and '_')"
INSTANCE_NAME_HINT = "names have 4-64 letters, digits, '-' or '_' and start with a letter"
ID_HINT = "ids are 32 letters or digits followed by in07 (instances) or br07 (backups)"


def too_long(length: int) -> str:
    return f"that command is too long ({length} characters)"


def keep_it_under(limit: int, targets: int) -> str:
    return f"keep it under {limit}: name at most {targets} instances"


def two_windows(first: str, second: str) -> str:
    return f"two windows: '{first}' and '{second}'"


def two_profiles(first: str, second: str) -> str:
    return f"two profiles: @{first} and @{second}"


def too_many_targets(count: int) -> str:
    return f"too many targets ({count})"


def at_most_targets(limit: int) -> str:
    return f"ask about at most {limit} at once"


def not_a_profile_name(word: str) -> str:
    return f"'{word}' is not a profile name"


def not_an_instance_name(word: str) -> str:
    return f"'{word}' is not an instance name"


def unknown_word(word: str) -> str:
    return f"unknown word '{word}'"


def did_you_mean_keyword(typo: str) -> str:
    return f"did you mean '{typo}'?"


def or_write_as_a_name(word: str, prefix: str) -> str:
    return f" For an instance named {word}, write {prefix}{word}"


def not_a_window_alone(word: str) -> str:
    return f"'{word}' on its own is not a window"


def write_since_or_from(word: str) -> str:
    return f"write since {word}, or from {word} to ..."


def write_last(amount: str) -> str:
    return f"write e.g. last {amount}d, last {amount}h or last {amount}w"


def not_an_id(word: str) -> str:
    return f"'{word}' is not an instance or backup id"


# --- windows (core/window_grammar, core/window, core/bounds) --------------------------------

DATE_HINT = "write dates as YYYY-MM-DD, e.g. 2026-11-01"
DATETIME_HINT = "write e.g. 2026-11-01T09:00+08:00, or just the date 2026-11-01"
EMPTY_WINDOW_HINT = "use at least 1, e.g. last 1h"
FROM_TO_EXAMPLE = "from 2026-11-01 to 2026-11-03"
SINCE_EXAMPLE = "since 2026-11-01"
TO_NEEDS_FROM = "'to' needs a 'from' before it"
WRITE_FROM_TO = f"write {FROM_TO_EXAMPLE}"
SWAP_THE_DATES = "swap the two dates"
LAST_NIGHT_HINT = "write last night, or e.g. past 12h"
THIS_NEEDS_WEEK_OR_MONTH = "'this' needs week or month"
SINCE_HINT = "write since YYYY-MM-DD, since monday or since yesterday"
PICK_AN_EARLIER_START = "pick a start before now"
SWAP_THE_TIMES = "swap the two times"
STARTS_IN_THE_FUTURE = "starts in the future"
ENDS_BEFORE_IT_STARTS = "ends before it starts"
ENDS_AS_IT_STARTS = "ends as it starts"
ENDS_IN_THE_FUTURE = "ends in the future"


def empty_window(text: str) -> str:
    return f"'{text}' is an empty window"


def too_far_back(text: str) -> str:
    return f"'{text}' reaches too far back"


def longest_window(longest: str) -> str:
    return f"the longest window is {longest}; use 'since YYYY-MM-DD' for older"


def not_a_date(text: str) -> str:
    return f"'{text}' is not a date"


def not_a_datetime(text: str) -> str:
    return f"'{text}' is not a date-time"


def needs_an_offset(text: str) -> str:
    return f"'{text}' needs a UTC offset"


def write_with_offset(text: str, day: str) -> str:
    return f"write e.g. {text}+00:00, or just the date {day}"


def out_of_range(text: str) -> str:
    return f"'{text}' is out of range"


def date_between(earliest: int, latest: int) -> str:
    return f"use a date between {earliest} and {latest}"


def from_needs_an_end(start: str) -> str:
    return f"'from {start}' needs an end"


def write_from_to(start: str) -> str:
    return f"write from {start} to YYYY-MM-DD, or since {start}"


def start_after_end(start: str, end: str) -> str:
    return f"from {start} to {end}: the start is after the end"


def needs_a_date(keyword: str) -> str:
    return f"'{keyword}' needs a date"


def write_example(example: str) -> str:
    return f"write e.g. {example}"


def needs_an_amount(keyword: str) -> str:
    return f"'{keyword}' needs an amount"


def write_amounts(keyword: str) -> str:
    return f"write e.g. {keyword} 24h, {keyword} 7d or {keyword} 2w"


def not_a_window(words: str) -> str:
    return f"'{words}' is not a window"


def needs_a_unit(words: str) -> str:
    return f"'{words}' needs a unit"


def units_of(amount: str) -> str:
    return f"{amount}d, {amount}h, {amount}w or {amount}m"


def write_this(prefix: str) -> str:
    return f"write this week or this month; for an instance named this, write {prefix}this"


def starts_in_the_future(words: str) -> str:
    return f"'{words}' {STARTS_IN_THE_FUTURE}"


def ends_before_it_starts(words: str) -> str:
    return f"'{words}' {ENDS_BEFORE_IT_STARTS}"


# --- time zones (core/zones) ---------------------------------------------------------------

ZONE_HINT = "use an IANA name such as Europe/Paris"


def unknown_zone(name: str) -> str:
    return f"unknown time zone '{name}'"


# --- request parameters (core/params): the operator's words, before any request ------------

NAME_RULE = "4-64 letters, digits, '-' or '_', starting with a letter"
INSTANCE_ID_RULE = "an instance id is 32 letters or digits followed by in07"
BACKUP_ID_RULE = "a backup id is 32 letters or digits followed by br07"
NAME_IS = f"a name is {NAME_RULE}"
TIMES_NEED_AN_OFFSET = "times need a UTC offset"
CHECK_THE_VALUE = "check the value and try again"
START_IN_THE_FUTURE = "the start of the window is in the future"
PICK_AN_EARLIER_START_TIME = "pick a start time before now"
STARTS_AFTER_IT_ENDS = "the window starts after it ends"
SWAP_OR_WIDEN = "swap the two times or widen the window"
END_IN_THE_FUTURE = "the end of the window is in the future"
LEAVE_THE_END_OUT = "leave the end out to mean 'until now'"


def invalid_parameter(where: str, problem: str) -> str:
    return f"invalid {where}: {problem}"


# --- help and the language (core/commands) -------------------------------------------------


def help_text(
    *,
    syntax: str,
    examples: Sequence[str],
    digest_add: str,
    digest_others: str,
    watch: str,
    watch_others: str,
    health: str,
    backup: str,
) -> str:
    """The whole help; the syntax and the examples are the language's (core/language/help)."""
    shown = "\n".join(f"  {example}" for example in examples)
    return (
        f"Ask about backups in words, in any order:  {syntax}\n"
        "\n"
        "TARGET  an instance name (orders-prod), an instance id (32 letters/digits + in07)\n"
        "        or a backup id (... + br07). Several are merged; none, or 'all', means\n"
        "        every instance. For an instance named like a keyword: instance:NAME.\n"
        "WINDOW  last 30m | last 24h | last 7d | last 2w (or past 3 days, past week),\n"
        "        today, yesterday, since yesterday (its 00:00 to now),\n"
        "        this week (since Monday 00:00), this month (since the 1st, 00:00),\n"
        "        last night (yesterday 18:00 to today 09:00, or to now if earlier),\n"
        "        since monday (any day, or mon..sun: since that day's 00:00, today if\n"
        "        it is that day), since 2026-11-01, from 2026-11-01 to 2026-11-03,\n"
        "        or one date (that whole day). Days and hours are in your time zone;\n"
        "        ISO date-times carry an offset (2026-11-01T09:00+08:00).\n"
        "        Without a window: last 7d (backup ids: any time).\n"
        "FILTER  failed, building, completed, available, ok (= completed or available);\n"
        "        auto or manual. Statuses are alternatives; a type narrows.\n"
        "@NAME   another cloud account (a profile), e.g. @prod-ap; without it, the default.\n"
        "\n"
        "Examples:\n"
        f"{shown}\n"
        "\n"
        "In a channel:\n"
        f"  {digest_add:<52}a daily digest (default 09:00,\n"
        f"  {'':<51}your time zone, every instance)\n"
        f"  {digest_others}\n"
        f"  {watch:<23}follow each instance's health: a failed or missed automated\n"
        f"  {'':<23}backup, its retry, recovery (one message, changes in its thread)\n"
        f"  {watch_others}\n"
        "\n"
        "Health, judged by each instance's backup policy, with 14 days at a glance:\n"
        f"  {health:<30}ok, running, failed (TaurusDB retries), failed after\n"
        f"  {'':<30}retry, missed, no automated backups, no backups at all,\n"
        f"  {'':<30}instance not normal; worst first\n"
        "\n"
        "Take a backup now (needs a rule that allows it; you confirm with a click):\n"
        f"  {backup}"
    )


DIGEST_NEEDS_A_COMMAND = "'digest' needs a command"
TIME_OF_DAY_HINT = "use HH:MM on a 24-hour clock, e.g. at 08:30"
HEALTH_TAKES_INSTANCES = "health takes only instances"
NAME_INSTANCES = "name instances"


def not_a_digest_command(action: str) -> str:
    return f"'digest {action}' is not a digest command"


def needs_a_value(word: str) -> str:
    return f"'{word}' needs a value"


def not_a_time_of_day(text: str) -> str:
    return f"'at {text}' is not a time of day"


def remove_needs_a_number(kind: str) -> str:
    return f"'{kind} remove' needs the number of a {kind}"


def see_the_numbers(kind: str) -> str:
    return f"see the numbers with '{kind} list', then e.g. {kind} remove 3"


def health_judges_now(example: str) -> str:
    return f"it always judges now, with the last 14 days; try 'health {example}'"


def takes_only_instances(kind: str) -> str:
    return f"a {kind} takes only instances"


def covers_the_last_day(kind: str, example: str) -> str:
    return f"it always covers every backup of the last 24 h; try '{kind} add {example}'"


def not_single_backups(kind: str) -> str:
    return f"{kind} is about instances, not single backups"


# --- targets and unknown names (core/targets, core/engine) ---------------------------------

CHECK_THE_BACKUP_ID = "check the id: it is shown in each backup's details"
CHECK_THE_INSTANCE_ID = "check the id, or ask by instance name"
NAMES_ARE_CASE_SENSITIVE = "names are case-sensitive; ask without a name to see every instance"


def no_backup_with_id(backup_id: str) -> str:
    return f"no backup with id {backup_id}"


def no_backups_for_instance_id(instance_id: str) -> str:
    return f"no backups for instance id {instance_id}"


def did_you_mean_names(names: list[str]) -> str:
    return "did you mean " + " or ".join(names) + "?"


def no_instance_named(name: str) -> str:
    return f"no instance named {name}"


def no_such_profile(name: str) -> str:
    return f"there is no profile @{name}"


def the_profiles_are(known: str) -> str:
    return f"the profiles are {known}"


def try_an_example(example: str) -> str:
    return f"try e.g. '{example}', or 'help' for the whole language"


def use_digest_commands(*, add: str, listing: str, remove: str, now: str) -> str:
    return f"use {add}, {listing}, {remove} or {now}"
