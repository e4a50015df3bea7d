"""Answers in Slack: counts, notes, buttons, help and our own failures (bot/slack/views)."""

from __future__ import annotations

# --- answers: counts, notes and buttons (slack/views/results) --------------------------------
# Slack mrkdwn that belongs to a sentence (an emoji, *bold*) is part of its words; values come
# in already escaped (or `code`-formatted) by the view.

NO_BACKUPS = "No backups"
NO_BACKUPS_LOWER = "no backups"
DEFAULT_WINDOW = " (default)"
NO_DATA = "no data"
SIZE_UNKNOWN = "size unknown"
ALL_INSTANCES = "all instances"
ALL = "all"
NO_BACKUPS_MATCH = "_No backups match._"
SOMEONE = "someone"
DETAILS = "Details"
PREVIOUS = "Previous"
NEXT = "Next"
REFRESH = "Refresh"
FAILED_ONLY = "Failed only"
SHARE_IN_CHANNEL = "Share in channel"
BACK_TO_THE_LIST = "Back to the list"
OF_ANY_STATUS = "of any status "


def coverage_of_window(read: str) -> str:
    return f"counts cover the newest {read} backups of the window; narrow it to see all"


def coverage_of(read: str, total: str) -> str:
    return f"counts cover the newest {read} of {total} backups; narrow the window to see all"


def running_for(age: str) -> str:
    return f"running for {age}"


def and_more_instances(count: int) -> str:
    return f"…and {count} more instances"


def information(text: str) -> str:
    return f":information_source: {text}"


def unreadable_rows(count: int) -> str:
    rows = "1 row" if count == 1 else f"{count} rows"
    return (
        f":warning: {rows} the TaurusDB API sent could not be read and "
        f"{'is' if count == 1 else 'are'} left out of this answer "
        "(backupbot's log has them)"
    )


def warning(name: str, reason: str) -> str:
    return f":warning: {name}: {reason}"


def backup_not_of_type(target: str, kind: str) -> str:
    return f":information_source: backup {target} is not a {kind}backup"


def backup_outside_window(target: str, window: str, when: str) -> str:
    return (
        f":information_source: backup {target} is outside the window ({window}); it is from {when}"
    )


def no_backups_at_all_of(target: str, kind: str) -> str:
    return f":information_source: {target} has no {kind}backups at all"


def no_backups_in(
    *, target: str, kind: str, any_status: str, phrase: str, when: str, age: str
) -> str:
    return (
        f":information_source: {target} has no {kind}backups {any_status}"
        f"{phrase}; its newest {kind and kind + 'one '}is from {when} ({age} ago)"
    )


def backups_header(text: str) -> str:
    return f"Backups: {text}"


def of_good_backups(size: str) -> str:
    return f" · {size} of good backups"


def size_trend(name: str, line: str, size: str) -> str:
    return f"size trend {name} {line} {size}"


def details_of_backup(backup_id: str) -> str:
    return f"Details of backup {backup_id!r}"


def matches(count: int) -> str:
    return f"{count} match{'es' if count != 1 else ''}"


def page_of(page: int, pages: int) -> str:
    return f"page {page} of {pages}"


def as_of(when: str, age: str) -> str:
    return f"as of {when}, {age} ago"


def shared_by(mention: str) -> str:
    return f":mega: shared by {mention}"


def backup_title(name: str) -> str:
    return f"Backup {name}"


def started(when: str) -> str:
    return f"started {when}"


def ended(when: str) -> str:
    return f", ended {when}"


# --- help and our own failures (slack/views/notices) ----------------------------------------

STORE_DOWN = (
    "subscriptions are unavailable right now",
    "backupbot cannot use its state store; whoever runs it can see why in its logs",
)
HELP_TITLE = "Asking backupbot about backups"
HELP_SUMMARY = "How to ask backupbot about backups"
HELP_FOOTER = (
    "A slash command answers only you, with a *Share in channel* button; "
    "mention @backupbot to answer in a thread for everyone."
)


def try_examples(examples: str) -> str:
    return f"Try:\n{examples}"


def request_id(request: str) -> str:
    return f"request id {request}"


def apology(incident: str) -> str:
    return (
        ":x: Sorry, backupbot hit an unexpected problem answering that. Please try "
        f"again; if it keeps happening, give your admin this id: {incident}"
    )


def apology_summary(incident: str) -> str:
    return f"backupbot hit an unexpected problem (id {incident})"
