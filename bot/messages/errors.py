"""The state store's and permissions' errors (bot/errors)."""

from __future__ import annotations

# --- the state store and permissions (errors) ----------------------------------------------

WRITTEN = "written"
READ = "read"


def store_failed(database: str, verb: str, reason: str) -> str:
    return f"the state store ({database}) could not be {verb}: {reason}"


def iam_user_needs(action: str, legacy_action: str | None) -> str:
    if legacy_action is None:
        return f"The IAM user needs {action}."
    return f"The IAM user needs {action} (with role/policy-based authorization: {legacy_action})."


def said_nothing(kind: str) -> str:
    return f"{kind}, without a word of explanation"
