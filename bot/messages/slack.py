"""Slack's own words: the guard's replies, start-up, what the front door refuses (bot/slack)."""

from __future__ import annotations

from bot.messages.digests import PLURALS

# --- Slack: the guard's replies, buttons, answers, subscriptions (slack/*) --------------------

SIMULATED_LABEL = ":test_tube: simulated data from the built-in TaurusDB simulator"
INVITE_ME = "if this is a private channel, invite me with /invite @backupbot"
SLACK_UNREACHABLE = "Slack could not be reached just now"
PLEASE_ASK_AGAIN = "please ask again"
SLACK_RATE_LIMITED = "Slack asked backupbot to slow down, so the answer could not be posted"
ASK_LATER = "please ask again in a few minutes"
STALE_BUTTON = "that button is from an older answer backupbot can no longer read"
ASK_AGAIN = "ask again with /backups"
SUBSCRIBE_BY_SLASH_COMMAND = "digests and watches are set up with the slash command"
TYPE_THE_SLASH_COMMAND = "type /backups digest ... or /backups watch ... in the channel"
BACKUP_NO_LONGER_LISTED = "that backup is no longer listed"
REFRESH_THE_LIST = "refresh the list"
INVITE_ME_AND_RETRY = "invite me with /invite @backupbot, then try again"
REMOVE_FROM_THE_FILE = "remove it there (BACKUPBOT_DIGESTS_FILE) and restart backupbot"
# Why Slack will not take a scheduled post, by its error code.
CHANNEL_GONE = {
    "channel_not_found": "the channel no longer exists or backupbot cannot see it",
    "not_in_channel": "backupbot is not a member of the channel",
    "is_archived": "the channel was archived",
}
NO_MESSAGE_YET = "the incident has no message yet"


def slack_refused_delivery(code: str) -> str:
    return f"Slack refused to deliver the answer ({code})"


def button_too_large(length: int, limit: int) -> str:
    return f"its value would be {length:,} characters, over Slack's {limit:,}"


def health_title(targets: str) -> str:
    return f"Backup health: {targets}"


def cannot_post_here(reason: str) -> str:
    return f"I cannot post in this channel: {reason}"


def no_such_subscription(kind: str, number: int) -> str:
    return f"there is no {kind} #{number} in this channel"


def see_the_subscriptions(kind: str) -> str:
    return f"see this channel's {PLURALS[kind]} with /backups {kind} list"


def watch_exists(number: int, scope: str) -> str:
    return f"watch #{number} already covers {scope} here"


def declared_in_the_file(kind: str, number: int) -> str:
    return f"{kind} #{number} is declared in the config file"


def channel_gone(why: str, code: str) -> str:
    return f"{why} ({code})"


def slack_refused_message(code: str) -> str:
    return f"Slack refused the message: {code}"


def slack_unreachable(error: object) -> str:
    return f"could not reach Slack: {error}"


# --- Slack at start-up (slack/webapi) ----------------------------------------------------------

CHECK_SLACK_SETTINGS = "check the network, SLACK_API_URL and BACKUPBOT_SLACK_TIMEOUT"
COPY_THE_TOKEN = "copy SLACK_BOT_TOKEN again from the app's OAuth & Permissions page"
CHECK_SLACK_API_URL = "check SLACK_API_URL (default https://slack.com/api/)"


def slack_unreachable_at(url: str, reason: str) -> str:
    return f"could not reach Slack at {url} ({reason})"


def token_refused(code: str) -> str:
    return f"Slack refused the bot token ({code})"


def not_slack(url: str, code: str) -> str:
    return f"{url} is not Slack's Web API: auth.test answered {code}"


def no_answer_within(timeout: float) -> str:
    return f"no answer within {timeout:g} s"


# --- what the HTTP front door refuses (slack/intake, slack/http) ------------------------------

BODY_TOO_LARGE = "body too large"
BODY_NOT_UTF8 = "body is not UTF-8"
NO_CHALLENGE = "url_verification without a challenge"
NOT_AN_EVENT = "an Events API body needs type event_callback and an event"
EVENT_WITHOUT_TYPE = "the event has no type"
PAYLOAD_WITHOUT_TYPE = "payload has no type"
ACTIONS_WITHOUT_USER = "block_actions without actions or user"


def not_json(what: str) -> str:
    return f"{what} is not valid JSON"


def not_a_json_object(what: str) -> str:
    return f"{what} is not a JSON object"


def body_over(limit: int) -> str:
    return f"body over {limit} bytes"


def unsupported_content_type(kind: str) -> str:
    return f"unsupported content type {kind}"


def command_without(missing: str) -> str:
    return f"slash command without {missing}"
