"""The query language's words: errors and hints of questions, windows, time zones,
request parameters, the help text, targets (bot/core)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.messages.catalogue import N_, _, alternatives
from bot.messages.digests import kind_name

# --- query errors and hints (core/parse) --------------------------------------------------

KEEP_ONE_WINDOW = N_("keep one of them")
ONE_PROFILE_AT_A_TIME = N_("ask about one cloud account at a time")
ALL_AND_NAMES = N_("'all' means every instance, but instances were named too")
DROP_ALL_OR_NAMES = N_("drop 'all' or the names")
PROFILE_NAME_HINT = N_("profiles are named like @prod or @prod-ap (letters, digits, '-' and '_')")
INSTANCE_NAME_HINT = N_("names have 4-64 letters, digits, '-' or '_' and start with a letter")
ID_HINT = N_("ids are 32 letters or digits followed by in07 (instances) or br07 (backups)")


def too_long(length: int) -> str:
    return _("that command is too long ({length} characters)").format(length=length)


def keep_it_under(limit: int, targets: int) -> str:
    return _("keep it under {limit}: name at most {targets} instances").format(
        limit=limit, targets=targets
    )


def two_windows(first: str, second: str) -> str:
    return _("two windows: '{first}' and '{second}'").format(first=first, second=second)


def two_profiles(first: str, second: str) -> str:
    return _("two profiles: @{first} and @{second}").format(first=first, second=second)


def too_many_targets(count: int) -> str:
    return _("too many targets ({count})").format(count=count)


def at_most_targets(limit: int) -> str:
    return _("ask about at most {limit} at once").format(limit=limit)


def not_a_profile_name(word: str) -> str:
    return _("'{word}' is not a profile name").format(word=word)


def not_an_instance_name(word: str) -> str:
    return _("'{word}' is not an instance name").format(word=word)


def unknown_word(word: str) -> str:
    return _("unknown word '{word}'").format(word=word)


def did_you_mean_keyword(typo: str) -> str:
    return _("did you mean '{typo}'?").format(typo=typo)


def or_write_as_a_name(word: str, prefix: str) -> str:
    return _(" For an instance named {word}, write {prefix}{word}").format(word=word, prefix=prefix)


def not_a_window_alone(word: str) -> str:
    return _("'{word}' on its own is not a window").format(word=word)


def write_since_or_from(word: str) -> str:
    return _("write since {word}, or from {word} to ...").format(word=word)


def write_last(amount: str) -> str:
    return _("write e.g. last {amount}d, last {amount}h or last {amount}w").format(amount=amount)


def not_an_id(word: str) -> str:
    return _("'{word}' is not an instance or backup id").format(word=word)


# --- windows (core/window_grammar, core/window, core/bounds) --------------------------------

DATE_HINT = N_("write dates as YYYY-MM-DD, e.g. 2026-11-01")
DATETIME_HINT = N_("write e.g. 2026-11-01T09:00+08:00, or just the date 2026-11-01")
EMPTY_WINDOW_HINT = N_("use at least 1, e.g. last 1h")
FROM_TO_EXAMPLE = "from 2026-11-01 to 2026-11-03"  # grammar: never translated
SINCE_EXAMPLE = "since 2026-11-01"  # grammar: never translated
TO_NEEDS_FROM = N_("'to' needs a 'from' before it")
WRITE_FROM_TO = N_("write from 2026-11-01 to 2026-11-03")
SWAP_THE_DATES = N_("swap the two dates")
LAST_NIGHT_HINT = N_("write last night, or e.g. past 12h")
THIS_NEEDS_WEEK_OR_MONTH = N_("'this' needs week or month")
SINCE_HINT = N_("write since YYYY-MM-DD, since monday or since yesterday")
PICK_AN_EARLIER_START = N_("pick a start before now")
SWAP_THE_TIMES = N_("swap the two times")


def empty_window(text: str) -> str:
    return _("'{text}' is an empty window").format(text=text)


def too_far_back(text: str) -> str:
    return _("'{text}' reaches too far back").format(text=text)


def longest_window(longest: str) -> str:
    return _("the longest window is {longest}; use 'since YYYY-MM-DD' for older").format(
        longest=longest
    )


def not_a_date(text: str) -> str:
    return _("'{text}' is not a date").format(text=text)


def not_a_datetime(text: str) -> str:
    return _("'{text}' is not a date-time").format(text=text)


def needs_an_offset(text: str) -> str:
    return _("'{text}' needs a UTC offset").format(text=text)


def write_with_offset(text: str, day: str) -> str:
    return _("write e.g. {text}+00:00, or just the date {day}").format(text=text, day=day)


def out_of_range(text: str) -> str:
    return _("'{text}' is out of range").format(text=text)


def date_between(earliest: int, latest: int) -> str:
    return _("use a date between {earliest} and {latest}").format(earliest=earliest, latest=latest)


def from_needs_an_end(start: str) -> str:
    return _("'from {start}' needs an end").format(start=start)


def write_from_to(start: str) -> str:
    return _("write from {start} to YYYY-MM-DD, or since {start}").format(start=start)


def start_after_end(start: str, end: str) -> str:
    return _("from {start} to {end}: the start is after the end").format(start=start, end=end)


def needs_a_date(keyword: str) -> str:
    return _("'{keyword}' needs a date").format(keyword=keyword)


def write_example(example: str) -> str:
    return _("write e.g. {example}").format(example=example)


def needs_an_amount(keyword: str) -> str:
    return _("'{keyword}' needs an amount").format(keyword=keyword)


def write_amounts(keyword: str) -> str:
    return _("write e.g. {keyword} 24h, {keyword} 7d or {keyword} 2w").format(keyword=keyword)


def not_a_window(words: str) -> str:
    return _("'{words}' is not a window").format(words=words)


def needs_a_unit(words: str) -> str:
    return _("'{words}' needs a unit").format(words=words)


def units_of(amount: str) -> str:
    return _("{amount}d, {amount}h, {amount}w or {amount}m").format(amount=amount)


def write_this(prefix: str) -> str:
    return _(
        "write this week or this month; for an instance named this, write {prefix}this"
    ).format(prefix=prefix)


def starts_in_the_future(words: str) -> str:
    return _("'{words}' starts in the future").format(words=words)


def ends_before_it_starts(words: str) -> str:
    return _("'{words}' ends before it starts").format(words=words)


# --- time zones (core/zones) ---------------------------------------------------------------

ZONE_HINT = N_("use an IANA name such as Europe/Paris")


def unknown_zone(name: str) -> str:
    return _("unknown time zone '{name}'").format(name=name)


# --- request parameters (core/params): the operator's words, before any request ------------

INSTANCE_ID_RULE = N_("an instance id is 32 letters or digits followed by in07")
BACKUP_ID_RULE = N_("a backup id is 32 letters or digits followed by br07")
NAME_IS = N_("a name is 4-64 letters, digits, '-' or '_', starting with a letter")
TIMES_NEED_AN_OFFSET = N_("times need a UTC offset")
CHECK_THE_VALUE = N_("check the value and try again")
START_IN_THE_FUTURE = N_("the start of the window is in the future")
PICK_AN_EARLIER_START_TIME = N_("pick a start time before now")
STARTS_AFTER_IT_ENDS = N_("the window starts after it ends")
SWAP_OR_WIDEN = N_("swap the two times or widen the window")
END_IN_THE_FUTURE = N_("the end of the window is in the future")
LEAVE_THE_END_OUT = N_("leave the end out to mean 'until now'")


def invalid_parameter(where: str, problem: str) -> str:
    return _("invalid {where}: {problem}").format(where=where, problem=problem)


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
) -> str:
    """The whole help; the syntax and the examples are the language's (core/language/help)."""
    shown = "\n".join(f"  {example}" for example in examples)
    return _(
        "Ask about backups in words, in any order:  {syntax}\n"
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
        "{shown}\n"
        "\n"
        "In a channel:\n"
        "  {digest_add:<52}a daily digest (default 09:00,\n"
        "                                                     your time zone, every instance)\n"
        "  {digest_others}\n"
        "  {watch:<23}follow each instance's health: a failed or missed automated\n"
        "                         backup, its retry, recovery "
        "(one message, changes in its thread)\n"
        "  {watch_others}\n"
        "\n"
        "Health, judged by each instance's backup policy, with 14 days at a glance:\n"
        "  {health:<30}ok, running, failed (TaurusDB retries), no automated\n"
        "                                backups, restore gap, stale, missed, failed after retry,\n"
        "                                no backups at all, instance not normal; worst first"
    ).format(
        syntax=syntax,
        shown=shown,
        digest_add=digest_add,
        digest_others=digest_others,
        watch=watch,
        watch_others=watch_others,
        health=health,
    )


def backup_help(*, syntax: str) -> str:
    """The help's paragraph on taking a backup; the syntax is the language's."""
    return _(
        "Take a backup now (needs a rule that allows it; you confirm with a click):\n  {syntax}"
    ).format(syntax=syntax)


DIGEST_NEEDS_A_COMMAND = N_("'digest' needs a command")
TIME_OF_DAY_HINT = N_("use HH:MM on a 24-hour clock, e.g. at 08:30")
HEALTH_TAKES_INSTANCES = N_("health takes only instances")
NAME_INSTANCES = N_("name instances")


def not_a_digest_command(action: str) -> str:
    return _("'digest {action}' is not a digest command").format(action=action)


def needs_a_value(word: str) -> str:
    return _("'{word}' needs a value").format(word=word)


def not_a_time_of_day(text: str) -> str:
    return _("'at {text}' is not a time of day").format(text=text)


def remove_needs_a_number(kind: str) -> str:
    return _("'{kind} remove' needs the number of a {name}").format(kind=kind, name=kind_name(kind))


def see_the_numbers(kind: str) -> str:
    return _("see the numbers with '{kind} list', then e.g. {kind} remove 3").format(kind=kind)


def health_judges_now(example: str) -> str:
    return _("it always judges now, with the last 14 days; try 'health {example}'").format(
        example=example
    )


def takes_only_instances(kind: str) -> str:
    return _("a {name} takes only instances").format(name=kind_name(kind))


def covers_the_last_day(kind: str, example: str) -> str:
    return _("it always covers every backup of the last 24 h; try '{kind} add {example}'").format(
        kind=kind, example=example
    )


def not_single_backups(kind: str) -> str:
    """`kind` names a thing here (a digest, a watch, health), in the reader's words."""
    return _("{name} is about instances, not single backups").format(name=kind_name(kind))


# --- targets and unknown names (core/targets, core/engine) ---------------------------------

CHECK_THE_BACKUP_ID = N_("check the id: it is shown in each backup's details")
CHECK_THE_INSTANCE_ID = N_("check the id, or ask by instance name")
NAMES_ARE_CASE_SENSITIVE = N_("names are case-sensitive; ask without a name to see every instance")


def no_backup_with_id(backup_id: str) -> str:
    return _("no backup with id {backup_id}").format(backup_id=backup_id)


def no_backups_for_instance_id(instance_id: str) -> str:
    return _("no backups for instance id {instance_id}").format(instance_id=instance_id)


def did_you_mean_names(names: list[str]) -> str:
    return _("did you mean {names}?").format(names=alternatives(names))


def no_instance_named(name: str) -> str:
    return _("no instance named {name}").format(name=name)


def no_such_profile(name: str) -> str:
    return _("there is no profile @{name}").format(name=name)


def the_profiles_are(known: str) -> str:
    return _("the profiles are {known}").format(known=known)


def try_an_example(example: str) -> str:
    return _("try e.g. '{example}', or 'help' for the whole language").format(example=example)


def use_digest_commands(*, add: str, listing: str, remove: str, now: str) -> str:
    return _("use {add}, {listing}, {remove} or {now}").format(
        add=add, listing=listing, remove=remove, now=now
    )


def not_a_language(tag: str) -> str:
    return _("'{tag}' is not a language backupbot speaks").format(tag=tag)


def languages(known: Sequence[str]) -> str:
    return _("write e.g. lang zh-CN; backupbot speaks {known}").format(known=alternatives(known))
