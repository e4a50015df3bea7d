"""Restore answers: the question's words, the verdicts, the timeline (core/restore,
core/language/restore_words, slack/views/restore)."""

from __future__ import annotations

from bot.messages.catalogue import N_, _, ngettext

# --- the question (core/language/restore_words, core/restore/point) ---------------------------

RESTORE_NEEDS_AN_INSTANCE = N_("restore needs an instance")
RESTORE_TIME_HINT = N_(
    "write a time as 03:15, yesterday 23:40, 2026-12-06 03:15 or 2026-12-06T03:15+08:00"
)
TWO_RESTORE_TIMES = N_("a restore question takes one time")
ONE_RESTORE_TIME = N_("keep one time")
TABLE_NAME_HINT = N_(
    "write the table as DB.TABLE, e.g. shop.orders (letters, digits, _, $ and - only)"
)
TWO_TABLES = N_("a restore question takes one table")
ONE_TABLE = N_("ask about one table at a time")
ONE_INSTANCE_TO_RESTORE = N_("a restore question is about one instance")
ASK_ONE_AT_A_TIME = N_("ask about one instance at a time")
CLOCKS_WENT_FORWARD_HINT = N_("the clocks went forward then: pick a time an hour later")
RESTORE_POINT_PAST_HINT = N_("a restore point must have passed; give a time before now")


def restore_help(*, syntax: str, examples: tuple[str, ...]) -> str:
    """The restore part of the help; the syntax and the examples are the language's."""
    shown = "\n".join(f"  {example}" for example in examples)
    return _(
        "Can an instance be restored, and to when (read-only):  {syntax}\n"
        "  TIME is 03:15 (the most recent 03:15 that has passed), yesterday 23:40,\n"
        "  2026-12-06 03:15 (your time zone) or 2026-12-06T03:15+08:00. Without a\n"
        "  time: the restorable ranges of the retention window, gaps marked.\n"
        "{shown}"
    ).format(syntax=syntax, shown=shown)


def not_a_restore_time(word: str) -> str:
    return _("'{word}' is not a time to restore to").format(word=word)


def not_a_table_name(word: str) -> str:
    return _("'{word}' is not a table name").format(word=word)


def not_a_restore_word(word: str) -> str:
    return _("'{word}' is neither an instance nor a time").format(word=word)


def restore_syntax(syntax: str) -> str:
    return _("write {syntax}").format(syntax=syntax)


def no_such_wall_time(text: str, zone: str) -> str:
    return _("{text} did not happen in {zone}").format(text=text, zone=zone)


def restore_point_in_future(text: str) -> str:
    return _("{text} is in the future").format(text=text)


RESTORE_NOT_AVAILABLE = N_("this cloud account cannot answer restore questions")
RESTORE_NEEDS_THE_API = N_("restore answers need the TaurusDB API")

# --- the answer (slack/views/restore) ----------------------------------------------------------
# Values come in formatted and escaped by the view; *bold* and emoji are part of the words.

RESTORE_TITLE = N_("Restore")
NO_FULL_BACKUP_LISTED = N_(
    "No good full backup that ended before that point is listed: how much log a restore "
    "replays is not known."
)
TABLE_NOT_CHECKED = N_(
    "The table cannot be checked: the API lists tables only at restorable points."
)
RESTORE_PARAMS_INTRO = N_("A restore request's parameters (add the target instance):")
NO_RANGES_IN_RETENTION = N_("Nothing is restorable inside the retention window.")
READ_ONLY_FOOTER = N_("backupbot only reads: it never restores anything.")


# A moment in restore answers, as a CLDR pattern (each language its own): 2026-12-06 03:15:00.
# It is also what a restore question takes, so people can copy it back.
RESTORE_STAMP = N_("yyyy-MM-dd HH:mm:ss")
UTC_STAMP_SAME_DAY = N_("HH:mm")  # UTC beside a local time of the same date
UTC_STAMP_OTHER_DAY = N_("yyyy-MM-dd HH:mm")  # UTC beside a local time of another date


def moment_with_utc(*, local: str, zone: str, utc: str) -> str:
    """A moment in the asker's zone, UTC beside."""
    return _("{local} ({zone}, {utc} UTC)").format(local=local, zone=zone, utc=utc)


def restore_yes(*, instance: str, local: str, zone: str, utc: str) -> str:
    return _("*{instance}* can be restored to {local} ({zone}) = {utc} UTC.").format(
        instance=instance, local=local, zone=zone, utc=utc
    )


def restore_no(*, instance: str, local: str, zone: str, utc: str) -> str:
    return _("*{instance}* cannot be restored to {local} ({zone}) = {utc} UTC.").format(
        instance=instance, local=local, zone=zone, utc=utc
    )


def restorable_from_to(*, start: str, end: str, ago: str) -> str:
    return _("Restorable continuously from {start} to {end} ({ago} ago).").format(
        start=start, end=end, ago=ago
    )


def restore_starts_from(*, name: str, ended: str, size: str, replay: str) -> str:
    return _(
        "A restore starts from the full backup {name} (ended {ended}, {size}) "
        "and replays {replay} of log."
    ).format(name=name, ended=ended, size=size, replay=replay)


def nearest_before(at: str) -> str:
    return _("Nearest restorable point before: {at} (the end of the range before).").format(at=at)


def nearest_after(at: str) -> str:
    return _("Nearest restorable point after: {at} (the start of the range after).").format(at=at)


def gap_around(*, after: str, before: str) -> str:
    return _(
        "Nothing can be restored between {after} and {before}: the log there is missing."
    ).format(after=after, before=before)


def last_log_before_gap(*, name: str, ended: str) -> str:
    return _("The last log backup before the gap, {name}, ended {ended}; none followed it.").format(
        name=name, ended=ended
    )


def earliest_point_is(*, at: str, days: int) -> str:
    return ngettext(
        "That is before the earliest point, {at} (retention: {days} day).",
        "That is before the earliest point, {at} (retention: {days} days).",
        days,
    ).format(at=at, days=days)


def newest_point_is(*, at: str, ago: str) -> str:
    return _(
        "That is after the newest restorable point, {at} ({ago} ago): "
        "the log is backed up every few minutes."
    ).format(at=at, ago=ago)


def table_existed_and_exists(name: str) -> str:
    return _("Table {name} existed at that point, and still exists now.").format(name=name)


def table_existed_now_gone(name: str) -> str:
    return _("Table {name} existed at that point, and no longer exists now.").format(name=name)


def table_did_not_exist(name: str) -> str:
    return _("Table {name} did not exist at that point.").format(name=name)


def table_did_not_exist_near(name: str, near: str) -> str:
    """`near`: one table name, or several as alternatives (catalogue.alternatives)."""
    return _("Table {name} did not exist at that point. Did you mean {near}?").format(
        name=name, near=near
    )


def timeline_title(instance: str, days: int) -> str:
    return ngettext(
        "{instance}: restorable over the last {days} day",
        "{instance}: restorable over the last {days} days",
        days,
    ).format(instance=instance, days=days)


def times_in_zone(zone: str) -> str:
    return _("Times in {zone}, UTC beside.").format(zone=zone)


def earliest_restorable(at: str) -> str:
    return _("Earliest restorable point: {at}.").format(at=at)


def restorable_range(*, start: str, end: str) -> str:
    return _("• restorable from {start} to {end}").format(start=start, end=end)


def restore_gap_line(*, after: str, before: str) -> str:
    return _("• :warning: gap: nothing restorable from {after} to {before}").format(
        after=after, before=before
    )


def more_ranges(count: int) -> str:
    return ngettext("…and {count:,} older range", "…and {count:,} older ranges", count).format(
        count=count
    )


def ranges_unreadable(count: int) -> str:
    return ngettext(
        "{count:,} range the API sent could not be read and is not shown.",
        "{count:,} ranges the API sent could not be read and are not shown.",
        count,
    ).format(count=count)


def restore_requests(requests: int) -> str:
    return ngettext("{count:,} API request", "{count:,} API requests", requests).format(
        count=requests
    )


# --- `backupbot check` (app/check) -------------------------------------------------------------

CHECK_RESTORE = N_("TaurusDB restore times")


def may_not_read_restore_times(permission: str) -> str:
    return _("may not read restorable times: {permission}; restore questions are refused").format(
        permission=permission
    )


def may_read_restore_times(label: str, count: int) -> str:
    return ngettext(
        "may read restorable times ({label}: {count:,} range in the last day)",
        "may read restorable times ({label}: {count:,} ranges in the last day)",
        count,
    ).format(label=label, count=count)


# --- health (core/answering/restore_health, slack/views/fleet_health) -------------------------


def restore_gap_reason(*, after: str, before: str, count: int) -> str:
    """The newest gap, and how many gaps came before it (`count` counts them all)."""
    if count == 1:
        return _("nothing restorable from {after} to {before} (log backups missing)").format(
            after=after, before=before
        )
    return ngettext(
        "nothing restorable from {after} to {before}, and {earlier:,} earlier gap",
        "nothing restorable from {after} to {before}, and {earlier:,} earlier gaps",
        count - 1,
    ).format(after=after, before=before, earlier=count - 1)


def instance_at(*, name: str, at: str) -> str:
    """One instance's earliest restorable point, in a list of them."""
    return _("{name} {at}").format(name=name, at=at)


def earliest_points(points: str) -> str:
    return _("Earliest restorable points: {points}").format(points=points)
