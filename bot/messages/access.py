"""Access denials and the access file (bot/access)."""

from __future__ import annotations

# --- access denials and the access file (access) -------------------------------------------

OTHER_WORKSPACE = "backupbot answers only in the workspace that installed it"
ADD_THIS_WORKSPACE = "ask whoever runs it to add this workspace to BACKUPBOT_ACCESS_FILE"
RULES_DO_NOT_ALLOW = (
    "the access rules (BACKUPBOT_ACCESS_FILE) don't allow it for this channel or user; "
    "ask whoever runs backupbot"
)
ACCESS_FILE_HINT = "see the access example in the README"


def may_not_ask_about(profile: str) -> str:
    return f"sorry, you can't ask about @{profile} here"


def not_a_slack_id(value: str) -> str:
    return f"'{value}' is not a Slack id (like T0123, C0123, U0123, S0123)"
