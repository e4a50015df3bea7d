"""The state store's and permissions' errors (bot/errors)."""

from __future__ import annotations

from bot.messages.catalogue import _

# --- the state store and permissions (errors) ----------------------------------------------


def store_failed(database: str, reason: str, *, writing: bool) -> str:
    if writing:
        text = _("the state store ({database}) could not be written: {reason}")
    else:
        text = _("the state store ({database}) could not be read: {reason}")
    return text.format(database=database, reason=reason)


def iam_user_needs(action: str, legacy_action: str | None) -> str:
    if legacy_action is None:
        return _("The IAM user needs {action}.").format(action=action)
    return _(
        "The IAM user needs {action} (with role/policy-based authorization: {legacy_action})."
    ).format(action=action, legacy_action=legacy_action)


def said_nothing(kind: str) -> str:
    return _("{kind}, without a word of explanation").format(kind=kind)
