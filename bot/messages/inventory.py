"""Instances and policies as the API sends them, and what backupbot could not read of them
(bot/core/health/instances, bot/huawei/inventory, the inventory cache): words that change
with the API, not with how health is judged."""

from __future__ import annotations

from bot.messages.catalogue import N_, _, ngettext

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


# Functions, not constants: a read shared by readers says them later, to each (Wording).
def policy_no_answer() -> str:
    return _("the TaurusDB API did not answer")


def policy_answer_unreadable() -> str:
    return _("the TaurusDB API's answer could not be read")


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


def unexpected_read_failure() -> str:
    return _("an unexpected problem, logged for the operator")


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
