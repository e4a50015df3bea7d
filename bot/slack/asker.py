"""Who asked what, and where: what the listeners read from Bolt's context and payloads, so
nothing past them handles a raw Slack payload."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Asker:
    """A command, mention, DM or click: for access checks, replies and the audit line.

    `kind` is command, mention, dm or click; `text` what was typed (a click's action id);
    `response_url` Slack's for commands and clicks, None for events.
    """

    kind: str
    team: str
    user: str
    channel: str
    text: str
    response_url: str | None = None


@dataclass(frozen=True)
class Click:
    """A button press: which button, its value, and the message it sits on.

    `message_ts` is None when that message cannot be updated (an ephemeral one, or Slack
    did not say which).
    """

    action_id: str
    value: str
    ephemeral: bool
    message_ts: str | None
