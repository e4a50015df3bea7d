"""Answers in Slack: counts, notes, buttons, help and our own failures (bot/slack/views)."""

from __future__ import annotations

from bot.messages.catalogue import N_, _, ngettext

# --- answers: counts, notes and buttons (slack/views/results) --------------------------------
# Slack mrkdwn that belongs to a sentence (an emoji, *bold*) is part of its words; values come
# in already escaped (or `code`-formatted) by the view.

NO_BACKUPS = N_("No backups")
NO_BACKUPS_LOWER = N_("no backups")
DEFAULT_WINDOW = N_(" (default)")
NO_DATA = N_("no data")
SIZE_UNKNOWN = N_("size unknown")
ALL_INSTANCES = N_("all instances")
ALL = N_("all")
NO_BACKUPS_MATCH = N_("_No backups match._")
SOMEONE = N_("someone")
DETAILS = N_("Details")
PREVIOUS = N_("Previous")
NEXT = N_("Next")
REFRESH = N_("Refresh")
FAILED_ONLY = N_("Failed only")
SHARE_IN_CHANNEL = N_("Share in channel")
BACK_TO_THE_LIST = N_("Back to the list")


def coverage_of_window(read: str) -> str:
    return _("counts cover the newest {read} backups of the window; narrow it to see all").format(
        read=read
    )


def coverage_of(read: str, total: str) -> str:
    return _(
        "counts cover the newest {read} of {total} backups; narrow the window to see all"
    ).format(read=read, total=total)


def running_for(age: str) -> str:
    return _("running for {age}").format(age=age)


def and_more_instances(count: int) -> str:
    return ngettext("…and {count} more instance", "…and {count} more instances", count).format(
        count=count
    )


def information(text: str) -> str:
    return _(":information_source: {text}").format(text=text)


def unreadable_rows(count: int) -> str:
    return ngettext(
        ":warning: {count} row the TaurusDB API sent could not be read and is left out of "
        "this answer (backupbot's log has them)",
        ":warning: {count} rows the TaurusDB API sent could not be read and are left out of "
        "this answer (backupbot's log has them)",
        count,
    ).format(count=count)


def warning(name: str, reason: str) -> str:
    return _(":warning: {name}: {reason}").format(name=name, reason=reason)


def backup_not_of_type(target: str, kind: str | None) -> str:
    """`kind` is the question's backup type (auto, manual), if it named one."""
    if kind == "auto":
        text = _(":information_source: backup {target} is not an auto backup")
    elif kind == "manual":
        text = _(":information_source: backup {target} is not a manual backup")
    else:
        text = _(":information_source: there is no backup {target}")
    return text.format(target=target)


def backup_outside_window(target: str, window: str, when: str) -> str:
    return _(
        ":information_source: backup {target} is outside the window ({window}); it is from {when}"
    ).format(target=target, window=window, when=when)


def no_backups_at_all_of(target: str, kind: str | None) -> str:
    if kind == "auto":
        text = _(":information_source: {target} has no auto backups at all")
    elif kind == "manual":
        text = _(":information_source: {target} has no manual backups at all")
    else:
        text = _(":information_source: {target} has no backups at all")
    return text.format(target=target)


def no_backups_in(
    *, target: str, kind: str | None, any_status: bool, phrase: str, when: str, age: str
) -> str:
    """Nothing `phrase` (the window's words); the newest of the type is from `when`."""
    if kind == "auto":
        text = (
            _(
                ":information_source: {target} has no auto backups of any status {phrase}; "
                "its newest auto one is from {when} ({age} ago)"
            )
            if any_status
            else _(
                ":information_source: {target} has no auto backups {phrase}; its newest "
                "auto one is from {when} ({age} ago)"
            )
        )
    elif kind == "manual":
        text = (
            _(
                ":information_source: {target} has no manual backups of any status "
                "{phrase}; its newest manual one is from {when} ({age} ago)"
            )
            if any_status
            else _(
                ":information_source: {target} has no manual backups {phrase}; its "
                "newest manual one is from {when} ({age} ago)"
            )
        )
    elif any_status:
        text = _(
            ":information_source: {target} has no backups of any status {phrase}; its "
            "newest is from {when} ({age} ago)"
        )
    else:
        text = _(
            ":information_source: {target} has no backups {phrase}; its newest is from "
            "{when} ({age} ago)"
        )
    return text.format(target=target, phrase=phrase, when=when, age=age)


def backups_header(text: str) -> str:
    return _("Backups: {text}").format(text=text)


def of_good_backups(size: str) -> str:
    return _(" · {size} of good backups").format(size=size)


def size_trend(name: str, line: str, size: str) -> str:
    return _("size trend {name} {line} {size}").format(name=name, line=line, size=size)


def details_of_backup(backup_id: str) -> str:
    return _("Details of backup {backup_id!r}").format(backup_id=backup_id)


def matches(count: int) -> str:
    return ngettext("{count} match", "{count} matches", count).format(count=count)


def page_of(page: int, pages: int) -> str:
    return _("page {page} of {pages}").format(page=page, pages=pages)


def as_of(when: str, age: str) -> str:
    return _("as of {when}, {age} ago").format(when=when, age=age)


def shared_by(mention: str) -> str:
    return _(":mega: shared by {mention}").format(mention=mention)


def backup_title(name: str) -> str:
    return _("Backup {name}").format(name=name)


def started(when: str) -> str:
    return _("started {when}").format(when=when)


def ended(when: str) -> str:
    return _(", ended {when}").format(when=when)


# --- help and our own failures (slack/views/notices) ----------------------------------------

STORE_DOWN = (
    N_("subscriptions are unavailable right now"),
    N_("backupbot cannot use its state store; whoever runs it can see why in its logs"),
)
HOME_STORE_DOWN = N_("_Subscriptions are unavailable right now._")
HELP_TITLE = N_("Asking backupbot about backups")
HELP_SUMMARY = N_("How to ask backupbot about backups")
HELP_FOOTER = N_(
    "A slash command answers only you, with a *Share in channel* button; mention "
    "@backupbot to answer in a thread for everyone."
)


def try_examples(examples: str) -> str:
    return _("Try:\n{examples}").format(examples=examples)


def request_id(request: str) -> str:
    return _("request id {request}").format(request=request)


def apology(incident: str) -> str:
    return _(
        ":x: Sorry, backupbot hit an unexpected problem answering that. Please try again; "
        "if it keeps happening, give your admin this id: {incident}"
    ).format(incident=incident)


def apology_summary(incident: str) -> str:
    return _("backupbot hit an unexpected problem (id {incident})").format(incident=incident)


def in_the_last(window: str) -> str:
    """`window` is the language's own words: last 7d."""
    return _("in the {window}").format(window=window)


# --- amounts of time, short (core/human) ---------------------------------------------------


def seconds_short(count: int) -> str:
    return _("{count} s").format(count=count)


def minutes_short(count: int) -> str:
    return _("{count} min").format(count=count)


def hours_short(count: int) -> str:
    return _("{count} h").format(count=count)


def days_short(count: int) -> str:
    return _("{count} d").format(count=count)


def hours_minutes_short(hours: int, minutes: int) -> str:
    return _("{hours} h {minutes:02d} min").format(hours=hours, minutes=minutes)


# --- sizes, short (core/human): `amount` already written as the reader writes numbers -----


def megabytes_short(amount: str) -> str:
    return _("{amount} MB").format(amount=amount)


def gigabytes_short(amount: str) -> str:
    return _("{amount} GB").format(amount=amount)


def terabytes_short(amount: str) -> str:
    return _("{amount} TB").format(amount=amount)
