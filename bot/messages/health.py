"""Health's words: why a policy is unknown, each state's reason, instance statuses
and policies as the API sends them (bot/core)."""

from __future__ import annotations

# --- health: why a policy is unknown, and each state's reason (core/engine, core/assess) ---

LISTING_UNREADABLE = "the instance listing could not be read"
NOT_IN_THE_LISTING = "not in the instance listing"
NO_PERMISSION_TO_READ_IT = "no permission to read it"
MAY_NOT_LIST_INSTANCES = "list instances"
MAY_NOT_READ_POLICIES = "read backup policies"
INSTANCES_WITHOUT_BACKUPS_UNSEEN = ", and instances without backups are not shown"
KEEP_DAYS_ZERO = "keep_days 0"
NO_WINDOW_OR_DAYS = "no backup window or days"
FAILED_TOO = "failed too"
DID_NOT_SUCCEED = "did not succeed"


def with_id_tail(name: str, tail: str) -> str:
    return f"{name} (…{tail})"


def grant(action: str, legacy_action: str | None) -> str:
    if legacy_action is None:
        return f"grant {action}"
    return f"grant {action} (role/policy-based: {legacy_action})"


def judged_by_threshold(
    *, what: str, limit: str, unseen: str, action: str, legacy: str | None
) -> str:
    return (
        f"backupbot may not {what}, so health is judged by the {limit} threshold"
        f"{unseen}: {grant(action, legacy)}"
    )


def not_understood(problem: str) -> str:
    return f"not understood: {problem}"


def policy_unknown(why: str) -> str:
    return f"policy unknown ({why})"


def automated_backups_off(why: str) -> str:
    return f"automated backups are off ({why})"


def expected(schedule: str) -> str:
    return f"expected {schedule}"


def no_backups_at_all_in(covered: str, expectation: str) -> str:
    return f"no backups at all in the last {covered}; {expectation}"


def instance_is(status: str, reason: str) -> str:
    return f"instance {status}; {reason}"


def no_good_backup_in(covered: str) -> str:
    return f"no good backup in the last {covered}"


def last_good_backup(age: str) -> str:
    return f"last good backup {age} ago"


def judged_by_the(expectation: str, limit: str) -> str:
    return f"{expectation}, judged by the {limit} threshold"


def new_instance(age: str, note: str) -> str:
    return f"new instance, created {age} ago; {note}"


def first_backup_due(window: str) -> str:
    return f"first backup due {window}"


def backed_up_at(at: str) -> str:
    return f"backed up at {at}"


def after_a_failure_at(at: str) -> str:
    return f", after a failure at {at}"


def backup_running_since(at: str) -> str:
    return f"backup running since {at}"


def retry_running_since(at: str, failed_at: str) -> str:
    return f"retry running since {at}, after a failure at {failed_at}"


def no_backup_started(window: str) -> str:
    return f"no backup started in the {window} window"


def backup_failed_at(at: str, said: str) -> str:
    return f"backup failed at {at}{said}"


def retries_at_about(first: str, at: str) -> str:
    return f"{first} — TaurusDB retries at about {at}"


def and_the_retry(first: str, at: str, verb: str) -> str:
    return f"{first}, and the retry at {at} {verb}"


def and_no_retry_by(first: str, deadline: str) -> str:
    return f"{first}, and no retry started by {deadline}"


# --- instances and policies as the API sends them (core/instances) -------------------------

# An instance's status (v3 and v3.1 listings, upper-cased) as a person would say it.
INSTANCE_STATUS_WORDS: dict[str, str] = {
    "BUILD": "being created",
    "CREATING": "being created",
    "FAILED": "creation failed",
    "CREATEFAIL": "creation failed",
    "ABNORMAL": "abnormal",
    "FROZEN": "frozen (account in arrears)",
    "MODIFYING": "being modified",
    "REBOOTING": "rebooting",
    "RESTORING": "being restored",
    "SWITCHOVER": "switching over",
    "MIGRATING": "migrating",
    "MODIFYING DATABASE PORT": "changing its port",
    "STORAGE FULL": "out of storage",
}


def in_status(status: str) -> str:
    return f"in status {status!r}"


def negative_keep_days(keep_days: int) -> str:
    return f"keep_days {keep_days} is negative"


def window_not_hh_mm(text: str) -> str:
    return f"backup window {text!r} is not hh:mm-HH:MM"


def window_not_a_time_range(text: str) -> str:
    return f"backup window {text!r} is not a valid time range"


def window_is_empty(text: str) -> str:
    return f"backup window {text!r} is empty"


def period_day_out_of_range(text: str) -> str:
    return f"backup period {text!r} has a day that is not 1-7"


# --- a policy or a listing backupbot could not read whole (huawei/inventory, core/judge) -----

POLICY_NO_ANSWER = "the TaurusDB API did not answer"
POLICY_ANSWER_UNREADABLE = "the TaurusDB API's answer could not be read"


def policy_refused(status: int, code: str) -> str:
    detail = f"HTTP {status}, {code}" if code else f"HTTP {status}"
    return f"the TaurusDB API refused to show it ({detail})"


def not_a_whole_number(field: str, value: str) -> str:
    return f"{field} {value} is not a whole number"


def not_text(field: str, value: str) -> str:
    return f"{field} {value} is not text"


def not_readable(field: str, value: str) -> str:
    return f"{field} {value} could not be read"


UNEXPECTED_READ_FAILURE = "an unexpected problem, logged for the operator"


def read_failed(summary: str, status: int | None) -> str:
    return summary if status is None else f"{summary}, HTTP {status}"


def listing_failed(reason: str, limit: str) -> str:
    return (
        f"The instance listing could not be read ({reason}): health judges the instances "
        f"the backups show, by the {limit} threshold, and instances without backups are "
        "not shown"
    )


# The instance record's fields health uses, as a person says them.
LISTING_FIELD_WORDS = {"status": "status", "created": "creation time", "name": "name"}


def field_of_instances(field: str, count: int) -> str:
    many = "1 instance" if count == 1 else f"{count:,} instances"
    return f"the {LISTING_FIELD_WORDS.get(field, field)} of {many}"


def records_without_id(count: int) -> str:
    many = "1 instance record" if count == 1 else f"{count:,} instance records"
    return f"{many} without an id"


def listing_partly_unread(parts: list[str]) -> str:
    return (
        f"backupbot could not read part of the instance listing ({'; '.join(parts)}): "
        "health judges those instances without it"
    )
