"""The state store's and permissions' errors (bot/errors)."""

from __future__ import annotations

from bot.messages.catalogue import N_, _

# --- the state store and permissions (errors) ----------------------------------------------

WRITTEN = N_("written")
READ = N_("read")


def store_failed(database: str, verb: str, reason: str) -> str:
    return _("the state store ({database}) could not be {verb}: {reason}").format(
        database=database, verb=verb, reason=reason
    )


def iam_user_needs(action: str, legacy_action: str) -> str:
    return _(
        "The IAM user needs {action} (with role/policy-based authorization: {legacy_action})."
    ).format(action=action, legacy_action=legacy_action)


def said_nothing(kind: str) -> str:
    return _("{kind}, without a word of explanation").format(kind=kind)
