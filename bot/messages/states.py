"""Display names of values stored or sent as they are (health states, timeline marks,
backup statuses), and counts of them: words that change with the enums, not the reasons."""

from __future__ import annotations

from bot.messages.catalogue import N_, _

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
