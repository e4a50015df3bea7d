"""Access denials and the access file (bot/access)."""

from __future__ import annotations

from bot.messages.catalogue import N_, _

# --- access denials and the access file (access) -------------------------------------------

OTHER_WORKSPACE = N_("backupbot answers only in the workspace that installed it")
ADD_THIS_WORKSPACE = N_("ask whoever runs it to add this workspace to BACKUPBOT_ACCESS_FILE")
RULES_DO_NOT_ALLOW = N_(
    "the access rules (BACKUPBOT_ACCESS_FILE) don't allow it for this channel or user; "
    "ask whoever runs backupbot"
)
ACCESS_FILE_HINT = N_("see the access example in the README")


def may_not_ask_about(profile: str) -> str:
    return _("sorry, you can't ask about @{profile} here").format(profile=profile)


def not_a_slack_id(value: str) -> str:
    return _("'{value}' is not a Slack id (like T0123, C0123, U0123, S0123)").format(value=value)
