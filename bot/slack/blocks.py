"""Block Kit's bricks: the button ids, Slack's limits, escaping, and the small blocks every
view is built from (bot/slack/views/ builds the messages).

Everything users typed or the API returned is escaped before it enters mrkdwn, so a
query containing `<!channel>` can never ping anyone. Slack's limits are honoured here
(50 blocks, section text 3,000, header 150, button text 75 and value 2,000); the tests
validate every view with `slack_sdk.models.blocks`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.core.backup import BackupStatus
from bot.errors import ButtonTooLarge
from bot.slack.button_state import ButtonCodec, ButtonState

Block = dict[str, Any]
log = logging.getLogger("backupbot.slack")

ACTION_PREVIOUS = "backups_previous"
ACTION_NEXT = "backups_next"
ACTION_REFRESH = "backups_refresh"
ACTION_FAILED_ONLY = "backups_failed_only"
ACTION_DETAILS = "backups_details"
ACTION_BACK = "backups_back"
ACTION_SHARE = "backups_share"
ACTION_RUN = "backups_run"
ACTION_TAKE_BACKUP = "backups_take"  # a confirmation's buttons: the action, or not
ACTION_CANCEL_BACKUP = "backups_cancel"
BACKUP_ACTIONS = (ACTION_TAKE_BACKUP, ACTION_CANCEL_BACKUP)
ACTIONS = (
    ACTION_PREVIOUS,
    ACTION_NEXT,
    ACTION_REFRESH,
    ACTION_FAILED_ONLY,
    ACTION_DETAILS,
    ACTION_BACK,
    ACTION_SHARE,
    ACTION_RUN,
    *BACKUP_ACTIONS,
)

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MARKS = {
    BackupStatus.FAILED: ":red_circle:",
    BackupStatus.BUILDING: ":large_yellow_circle:",
    BackupStatus.COMPLETED: ":large_green_circle:",
    BackupStatus.AVAILABLE: ":large_green_circle:",
    BackupStatus.UNKNOWN: ":white_circle:",
}


@dataclass(frozen=True)
class View:
    """A message: its blocks and the text shown in notifications (mrkdwn too: escaped)."""

    blocks: list[Block]
    text: str

    @classmethod
    def of(cls, blocks: list[Block], text: str) -> View:
        """A view whose notification text is escaped and short, like everything else."""
        return cls(blocks=blocks[:MAX_BLOCKS], text=escape(truncate(text, 300)))


def escape(text: str) -> str:
    """Make text safe for mrkdwn: `&`, `<` and `>` become entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_MENTION = re.compile(r"&lt;@([UW][A-Z0-9]{2,30})&gt;")


def escape_but_mentions(text: str) -> str:
    """`escape`, keeping user mentions (`<@U123>`) of our own words: they ping one person,
    never a channel (`<!channel>` stays escaped)."""
    return _MENTION.sub(r"<@\1>", escape(text))


def code(text: str) -> str:
    """Inline code, so `_` and `*` in names stay literal; backticks cannot be escaped."""
    return "`" + escape(text).replace("`", "'") + "`"


def date_token(moment: datetime, layout: str = "{date_short_pretty} {time}") -> str:
    """A time every reader sees in their own time zone, with a UTC fallback."""
    fallback = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{layout}|{fallback}>"


def truncate(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, an ellipsis saying so."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mrkdwn_section(text: str) -> Block:
    """A section of mrkdwn text, cut to Slack's 3,000 characters."""
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": truncate(text, MAX_SECTION_TEXT)},
    }


def text_context(*texts: str) -> Block:
    """A context block of up to 10 mrkdwn texts."""
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": truncate(t, MAX_SECTION_TEXT)} for t in texts[:10]],
    }


def header(text: str) -> Block:
    """A header, cut to Slack's 150 characters."""
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": truncate(text, MAX_HEADER_TEXT), "emoji": True},
    }


def button_value(codec: ButtonCodec, state: ButtonState, *, button: str) -> str | None:
    """The value of a button for `state`, or None (and a log line) when Slack would refuse
    it: the answer is still shown, without that one button."""
    try:
        return codec.encode(state)
    except ButtonTooLarge as error:
        log.warning("left out the %s button: %s", button, error)
        return None


def buttons(codec: ButtonCodec, *specs: tuple[str, str, ButtonState, str | None]) -> list[Block]:
    """Buttons (text, action_id, state, style), leaving out any whose value cannot fit."""
    made = []
    for text, action_id, state, style in specs:
        value = button_value(codec, state, button=text)
        if value is not None:
            made.append(button(text, action_id, value, style))
    return made


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    """One button, its text cut to Slack's 75 characters."""
    made: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": truncate(text, 75), "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style is not None:
        made["style"] = style
    return made
