"""Health's words: why a policy is unknown, each state's reason, instance statuses
and policies as the API sends them (bot/core)."""

from __future__ import annotations

from bot.messages.catalogue import N_, _, ngettext

# --- health: why a policy is unknown, and each state's reason (core/engine, core/assess) ---

LISTING_UNREADABLE = N_("the instance listing could not be read")
NOT_IN_THE_LISTING = N_("not in the instance listing")
NO_PERMISSION_TO_READ_IT = N_("no permission to read it")
KEEP_DAYS_ZERO = N_("keep_days 0")
NO_WINDOW_OR_DAYS = N_("no backup window or days")


def with_id_tail(name: str, tail: str) -> str:
    return _("{name} (…{tail})").format(name=name, tail=tail)


def grant(action: str, legacy_action: str | None) -> str:
    if legacy_action is None:
        return _("grant {action}").format(action=action)
    return _("grant {action} (role/policy-based: {legacy_action})").format(
        action=action, legacy_action=legacy_action
    )


def judged_by_threshold(*, listing: bool, limit: str, action: str, legacy: str | None) -> str:
    """May not list instances (`listing`), else may not read backup policies; `legacy`: the
    action's role/policy-based equivalent, if it has one."""
    if listing and legacy is not None:
        text = _(
            "backupbot may not list instances, so health is judged by the {limit} threshold, "
            "and instances without backups are not shown: grant {action} "
            "(role/policy-based: {legacy})"
        )
    elif listing:
        text = _(
            "backupbot may not list instances, so health is judged by the {limit} threshold, "
            "and instances without backups are not shown: grant {action}"
        )
    elif legacy is not None:
        text = _(
            "backupbot may not read backup policies, so health is judged by the {limit} "
            "threshold: grant {action} (role/policy-based: {legacy})"
        )
    else:
        text = _(
            "backupbot may not read backup policies, so health is judged by the {limit} "
            "threshold: grant {action}"
        )
    return text.format(limit=limit, action=action, legacy=legacy)


def not_understood(problem: str) -> str:
    return _("not understood: {problem}").format(problem=problem)


def policy_unknown(why: str) -> str:
    return _("policy unknown ({why})").format(why=why)


def automated_backups_off(why: str) -> str:
    return _("automated backups are off ({why})").format(why=why)


def expected(schedule: str) -> str:
    return _("expected {schedule}").format(schedule=schedule)


def no_backups_at_all_in(covered: str, expectation: str) -> str:
    return _("no backups at all in the last {covered}; {expectation}").format(
        covered=covered, expectation=expectation
    )


def instance_is(status: str, reason: str) -> str:
    return _("instance {status}; {reason}").format(status=status, reason=reason)


def no_good_backup_in(covered: str) -> str:
    return _("no good backup in the last {covered}").format(covered=covered)


def last_good_backup(age: str) -> str:
    return _("last good backup {age} ago").format(age=age)


def judged_by_the(expectation: str, limit: str) -> str:
    return _("{expectation}, judged by the {limit} threshold").format(
        expectation=expectation, limit=limit
    )


def new_instance(age: str, note: str) -> str:
    return _("new instance, created {age} ago; {note}").format(age=age, note=note)


def first_backup_due(window: str) -> str:
    return _("first backup due {window}").format(window=window)


def backed_up_at(at: str, failed_at: str | None) -> str:
    if failed_at is None:
        return _("backed up at {at}").format(at=at)
    return _("backed up at {at}, after a failure at {failed_at}").format(at=at, failed_at=failed_at)


# In the failures below, `said` (and `retry_said`) is what the API said of the backup,
# " (its words)", or nothing.
def failed_retry_due(*, at: str, said: str, retry_at: str) -> str:
    return _("backup failed at {at}{said} — TaurusDB retries at about {retry_at}").format(
        at=at, said=said, retry_at=retry_at
    )


def failed_and_the_retry(
    *, at: str, said: str, retry_at: str, retry_failed: bool, retry_said: str
) -> str:
    """The retry failed too (`retry_failed`), or ended another way without a good backup."""
    if retry_failed:
        text = _("backup failed at {at}{said}, and the retry at {retry_at} failed too{retry_said}")
    else:
        text = _(
            "backup failed at {at}{said}, and the retry at {retry_at} did not succeed{retry_said}"
        )
    return text.format(at=at, said=said, retry_at=retry_at, retry_said=retry_said)


def failed_no_retry_by(*, at: str, said: str, deadline: str) -> str:
    return _("backup failed at {at}{said}, and no retry started by {deadline}").format(
        at=at, said=said, deadline=deadline
    )


def backup_running_since(at: str) -> str:
    return _("backup running since {at}").format(at=at)


def retry_running_since(at: str, failed_at: str) -> str:
    return _("retry running since {at}, after a failure at {failed_at}").format(
        at=at, failed_at=failed_at
    )


def no_backup_started(window: str) -> str:
    return _("no backup started in the {window} window").format(window=window)


# --- instances and policies as the API sends them (core/instances) -------------------------

# An instance's status (v3 and v3.1 listings, upper-cased) as a person would say it.
INSTANCE_STATUS_WORDS: dict[str, str] = {
    "BUILD": N_("being created"),
    "CREATING": N_("being created"),
    "FAILED": N_("creation failed"),
    "CREATEFAIL": N_("creation failed"),
    "ABNORMAL": N_("abnormal"),
    "FROZEN": N_("frozen (account in arrears)"),
    "MODIFYING": N_("being modified"),
    "REBOOTING": N_("rebooting"),
    "RESTORING": N_("being restored"),
    "SWITCHOVER": N_("switching over"),
    "MIGRATING": N_("migrating"),
    "MODIFYING DATABASE PORT": N_("changing its port"),
    "STORAGE FULL": N_("out of storage"),
}


def in_status(status: str) -> str:
    return _("in status {status!r}").format(status=status)


def negative_keep_days(keep_days: int) -> str:
    return _("keep_days {keep_days} is negative").format(keep_days=keep_days)


def window_not_hh_mm(text: str) -> str:
    return _("backup window {text!r} is not hh:mm-HH:MM").format(text=text)


def window_not_a_time_range(text: str) -> str:
    return _("backup window {text!r} is not a valid time range").format(text=text)


def window_is_empty(text: str) -> str:
    return _("backup window {text!r} is empty").format(text=text)


def period_day_out_of_range(text: str) -> str:
    return _("backup period {text!r} has a day that is not 1-7").format(text=text)


# --- a policy or a listing backupbot could not read whole (huawei/inventory, core/judge) -----

POLICY_NO_ANSWER = N_("the TaurusDB API did not answer")
POLICY_ANSWER_UNREADABLE = N_("the TaurusDB API's answer could not be read")


def policy_refused(status: int, code: str) -> str:
    detail = (
        _("HTTP {status}, {code}").format(status=status, code=code)
        if code
        else _("HTTP {status}").format(status=status)
    )
    return _("the TaurusDB API refused to show it ({detail})").format(detail=detail)


def not_a_whole_number(field: str, value: str) -> str:
    return _("{field} {value} is not a whole number").format(field=field, value=value)


def not_text(field: str, value: str) -> str:
    return _("{field} {value} is not text").format(field=field, value=value)


def not_readable(field: str, value: str) -> str:
    return _("{field} {value} could not be read").format(field=field, value=value)


UNEXPECTED_READ_FAILURE = N_("an unexpected problem, logged for the operator")


def read_failed(summary: str, status: int | None) -> str:
    return (
        summary
        if status is None
        else _("{summary}, HTTP {status}").format(summary=summary, status=status)
    )


def listing_failed(reason: str, limit: str) -> str:
    return _(
        "The instance listing could not be read ({reason}): health judges the instances "
        "the backups show, by the {limit} threshold, and instances without backups are not "
        "shown"
    ).format(reason=reason, limit=limit)


def field_of_instances(field: str, count: int) -> str:
    """`field` is the record's field: status, created or name (else shown as it is)."""
    if field == "status":
        text = ngettext(
            "the status of {count:,} instance", "the status of {count:,} instances", count
        )
    elif field == "created":
        text = ngettext(
            "the creation time of {count:,} instance",
            "the creation time of {count:,} instances",
            count,
        )
    elif field == "name":
        text = ngettext("the name of {count:,} instance", "the name of {count:,} instances", count)
    else:
        text = ngettext(
            "the {field} of {count:,} instance", "the {field} of {count:,} instances", count
        )
    return text.format(field=field, count=count)


def records_without_id(count: int) -> str:
    return ngettext(
        "{count:,} instance record without an id",
        "{count:,} instance records without an id",
        count,
    ).format(count=count)


def listing_partly_unread(parts: list[str]) -> str:
    return _(
        "backupbot could not read part of the instance listing ({parts}): health judges "
        "those instances without it"
    ).format(parts=_("; ").join(parts))


# --- display names of values stored or sent as they are (core/health/reports, core/backup) --
# Keyed by the stored value, which never changes; only what a person reads is translated.

STATE_NAMES = {
    "instance not normal": N_("instance not normal"),
    "no backups at all": N_("no backups at all"),
    "failed after retry": N_("failed after retry"),
    "missed": N_("missed"),
    "stale": N_("stale"),
    "restore gap": N_("restore gap"),
    "no automated backups": N_("no automated backups"),
    "failed": N_("failed"),
    "running": N_("running"),
    "ok": N_("ok"),
}
# The same, opening a line (a thread's reply): capitalised in the catalogue, not in code.
STATE_TITLES = {
    "instance not normal": N_("Instance not normal"),
    "no backups at all": N_("No backups at all"),
    "failed after retry": N_("Failed after retry"),
    "missed": N_("Missed"),
    "stale": N_("Stale"),
    "restore gap": N_("Restore gap"),
    "no automated backups": N_("No automated backups"),
    "failed": N_("Failed"),
    "running": N_("Running"),
    "ok": N_("Ok"),
}
MARK_NAMES = {
    "missed": N_("missed"),
    "failed": N_("failed"),
    "retrying": N_("retrying"),
    "running": N_("running"),
    "pending": N_("pending"),
    "no backup": N_("no backup"),
    "unknown": N_("unknown"),
    "good": N_("good"),
    "none expected": N_("none expected"),
}
BACKUP_STATUS_NAMES = {
    "BUILDING": N_("building"),
    "COMPLETED": N_("completed"),
    "FAILED": N_("failed"),
    "AVAILABLE": N_("available"),
    "UNKNOWN": N_("unknown"),
}


def state_line(*, mark: str, name: str, state: str, reason: str) -> str:
    return _("{mark} *{name}: {state}*: {reason}").format(
        mark=mark, name=name, state=state, reason=reason
    )


def state_notice(name: str, state: str) -> str:
    return _("{name}: {state}").format(name=name, state=state)


def state_reply(*, mark: str, title: str, reason: str) -> str:
    return _("{mark} *{title}*: {reason}").format(mark=mark, title=title, reason=reason)


def counted(count: int, what: str) -> str:
    """A count of a state or status ('2 missed'), `what` its display name."""
    return _("{count:,} {what}").format(count=count, what=what)


def in_a_row(parts: list[str]) -> str:
    """Counts side by side: '2 missed, 38 ok'."""
    return _(", ").join(parts)


# --- times in health's reasons (core/health/reports), as CLDR patterns: each language its own
WEEKDAY_TIME = N_("EEE HH:mm")  # Mon 02:14
DATE_TIME = N_("MMM dd HH:mm")  # Nov 20 02:14
DAILY = N_("daily")


def and_then(first: str, second: str) -> str:
    """Two things health says of an instance, side by side: 'a; b'."""
    return _("{first}; {second}").format(first=first, second=second)


GRID_DAY = N_("MMM d")  # the grid's first and last day, a CLDR pattern: Nov 25
WEEK_INITIALS = "MTWTFSS"  # one column a day, Monday first: Latin letters in every language


def health_line(*, mark: str, name: str, state: str, rest: str) -> str:
    """An instance, its state, then why (`rest`: the reason, said by then_why)."""
    return _("{mark} *{name}: {state}*{rest}").format(mark=mark, name=name, state=state, rest=rest)


def then_why(reason: str) -> str:
    return _(": {reason}").format(reason=reason)
