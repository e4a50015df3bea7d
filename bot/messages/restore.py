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
