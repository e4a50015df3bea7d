"""Health's words: why a policy is unknown, each state's reason, and the times and lines
they are said in (bot/core/health, the health views)."""

from __future__ import annotations

from bot.messages.catalogue import N_, _

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
