"""Restore answers: the question's words, the verdicts, the timeline (core/restore,
core/language/restore_words, slack/views/restore)."""

from __future__ import annotations

# --- the question (core/language/restore_words, core/restore/point) ---------------------------

RESTORE_NEEDS_AN_INSTANCE = "restore needs an instance"
RESTORE_TIME_HINT = (
    "write a time as 03:15, yesterday 23:40, 2026-12-06 03:15 or 2026-12-06T03:15+08:00"
)
TWO_RESTORE_TIMES = "a restore question takes one time"
ONE_RESTORE_TIME = "keep one time"
TABLE_NAME_HINT = "write the table as DB.TABLE, e.g. shop.orders (letters, digits, _, $ and - only)"
TWO_TABLES = "a restore question takes one table"
ONE_TABLE = "ask about one table at a time"
ONE_INSTANCE_TO_RESTORE = "a restore question is about one instance"
ASK_ONE_AT_A_TIME = "ask about one instance at a time"
CLOCKS_WENT_FORWARD_HINT = "the clocks went forward then: pick a time an hour later"
RESTORE_POINT_PAST_HINT = "a restore point must have passed; give a time before now"


def restore_help(*, syntax: str, examples: tuple[str, ...]) -> str:
    """The restore part of the help; the syntax and the examples are the language's."""
    shown = "\n".join(f"  {example}" for example in examples)
    return (
        "\n\n"
        f"Can an instance be restored, and to when (read-only):  {syntax}\n"
        "  TIME is 03:15 (the most recent 03:15 that has passed), yesterday 23:40,\n"
        "  2026-12-06 03:15 (your time zone) or 2026-12-06T03:15+08:00. Without a\n"
        "  time: the restorable ranges of the retention window, gaps marked.\n"
        f"{shown}"
    )


def not_a_restore_time(word: str) -> str:
    return f"'{word}' is not a time to restore to"


def not_a_table_name(word: str) -> str:
    return f"'{word}' is not a table name"


def not_a_restore_word(word: str) -> str:
    return f"'{word}' is neither an instance nor a time"


def restore_syntax(syntax: str) -> str:
    return f"write {syntax}"


def no_such_wall_time(text: str, zone: str) -> str:
    return f"{text} did not happen in {zone}"


def restore_point_in_future(text: str) -> str:
    return f"{text} is in the future"


RESTORE_NOT_AVAILABLE = "this cloud account cannot answer restore questions"
RESTORE_NEEDS_THE_API = "restore answers need the TaurusDB API"

# --- the answer (slack/views/restore) ----------------------------------------------------------
# Values come in formatted and escaped by the view; *bold* and emoji are part of the words.

RESTORE_TITLE = "Restore"
NO_FULL_BACKUP_LISTED = (
    "No good full backup that ended before that point is listed: how much log a restore "
    "replays is not known."
)
TABLE_NOT_CHECKED = "The table cannot be checked: the API lists tables only at restorable points."
RESTORE_PARAMS_INTRO = "A restore request's parameters (add the target instance):"
NO_RANGES_IN_RETENTION = "Nothing is restorable inside the retention window."
READ_ONLY_FOOTER = "backupbot only reads: it never restores anything."


def restore_yes(*, instance: str, local: str, zone: str, utc: str) -> str:
    return f":white_check_mark: *{instance}* can be restored to {local} ({zone}) = {utc} UTC."


def restore_no(*, instance: str, local: str, zone: str, utc: str) -> str:
    return f":x: *{instance}* cannot be restored to {local} ({zone}) = {utc} UTC."


def restorable_from_to(*, start: str, end: str, ago: str) -> str:
    return f"Restorable continuously from {start} to {end} ({ago} ago)."


def restore_starts_from(*, name: str, ended: str, size: str, replay: str) -> str:
    return (
        f"A restore starts from the full backup {name} (ended {ended}, {size}) "
        f"and replays {replay} of log."
    )


def nearest_before(at: str) -> str:
    return f"Nearest restorable point before: {at} (the end of the range before)."


def nearest_after(at: str) -> str:
    return f"Nearest restorable point after: {at} (the start of the range after)."


def gap_around(*, after: str, before: str) -> str:
    return f"Nothing can be restored between {after} and {before}: the log there is missing."


def last_log_before_gap(*, name: str, ended: str) -> str:
    return f"The last log backup before the gap, {name}, ended {ended}; none followed it."


def earliest_point_is(*, at: str, days: int) -> str:
    return f"That is before the earliest point, {at} (retention: {days} days)."


def newest_point_is(*, at: str, ago: str) -> str:
    return (
        f"That is after the newest restorable point, {at} ({ago} ago): "
        "the log is backed up every few minutes."
    )


def table_existed_and_exists(name: str) -> str:
    return f"Table {name} existed at that point, and still exists now."


def table_existed_now_gone(name: str) -> str:
    return f"Table {name} existed at that point, and no longer exists now."


def table_did_not_exist(name: str) -> str:
    return f"Table {name} did not exist at that point."


def table_did_not_exist_near(name: str, near: str) -> str:
    return f"Table {name} did not exist at that point. Did you mean {near}?"


def timeline_title(instance: str, days: int) -> str:
    return f"{instance}: restorable over the last {days} days"


def times_in_zone(zone: str) -> str:
    return f"Times in {zone}, UTC beside."


def earliest_restorable(at: str) -> str:
    return f"Earliest restorable point: {at}."


def restorable_range(*, start: str, end: str) -> str:
    return f"• restorable from {start} to {end}"


def restore_gap_line(*, after: str, before: str) -> str:
    return f"• :warning: gap: nothing restorable from {after} to {before}"


def more_ranges(count: int) -> str:
    return f"…and {count} older ranges"


def ranges_unreadable(count: int) -> str:
    return f"{count} ranges the API sent could not be read and are not shown."


def restore_requests(requests: int) -> str:
    return f"{requests} API requests"


def restore_summary(*, instance: str, verdict: str) -> str:
    return f"{instance}: {verdict}"


# --- `backupbot check` (app/check) -------------------------------------------------------------

CHECK_RESTORE = "TaurusDB restore times"


def may_not_read_restore_times(permission: str) -> str:
    return f"may not read restorable times: {permission}; restore questions are refused"


def may_read_restore_times(label: str, count: int) -> str:
    return f"may read restorable times ({label}: {count} ranges in the last day)"


# --- health (core/answering/restore_health, slack/views/fleet_health) -------------------------


def restore_gap_reason(*, after: str, before: str, count: int) -> str:
    if count == 1:
        return f"nothing restorable from {after} to {before} (log backups missing)"
    return f"nothing restorable from {after} to {before}, and {count - 1} earlier gaps"


def earliest_points(points: str) -> str:
    return f"Earliest restorable points: {points}"
