"""Slack's own words: the guard's replies, start-up, what the front door refuses (bot/slack)."""

from __future__ import annotations

from bot.messages.catalogue import N_, _
from bot.messages.digests import kind_name

# --- Slack: the guard's replies, buttons, answers, subscriptions (slack/*) --------------------

SIMULATED_LABEL = N_(":test_tube: simulated data from the built-in TaurusDB simulator")
INVITE_ME = N_("if this is a private channel, invite me with /invite @backupbot")
SLACK_UNREACHABLE = N_("Slack could not be reached just now")
PLEASE_ASK_AGAIN = N_("please ask again")
SLACK_RATE_LIMITED = N_("Slack asked backupbot to slow down, so the answer could not be posted")
ASK_LATER = N_("please ask again in a few minutes")
STALE_BUTTON = N_("that button is from an older answer backupbot can no longer read")
ASK_AGAIN = N_("ask again with /backups")
SUBSCRIBE_BY_SLASH_COMMAND = N_("digests and watches are set up with the slash command")
TYPE_THE_SLASH_COMMAND = N_("type /backups digest ... or /backups watch ... in the channel")
BACKUP_NO_LONGER_LISTED = N_("that backup is no longer listed")
REFRESH_THE_LIST = N_("refresh the list")
INVITE_ME_AND_RETRY = N_("invite me with /invite @backupbot, then try again")
REMOVE_FROM_THE_FILE = N_("remove it there (BACKUPBOT_DIGESTS_FILE) and restart backupbot")
# Why Slack will not take a scheduled post, by its error code.
CHANNEL_GONE = {
    "channel_not_found": N_("the channel no longer exists or backupbot cannot see it"),
    "not_in_channel": N_("backupbot is not a member of the channel"),
    "is_archived": N_("the channel was archived"),
}
NO_MESSAGE_YET = N_("the incident has no message yet")


def slack_refused_delivery(code: str) -> str:
    return _("Slack refused to deliver the answer ({code})").format(code=code)


def button_too_large(length: int, limit: int) -> str:
    return _("its value would be {length:,} characters, over Slack's {limit:,}").format(
        length=length, limit=limit
    )


def health_title(targets: str) -> str:
    return _("Backup health: {targets}").format(targets=targets)


def cannot_post_here(reason: str) -> str:
    return _("I cannot post in this channel: {reason}").format(reason=reason)


def no_such_subscription(kind: str, number: int) -> str:
    return _("there is no {name} #{number} in this channel").format(
        name=kind_name(kind), number=number
    )


def see_the_subscriptions(kind: str) -> str:
    """`kind` is the command word: digest or watch."""
    if kind == "watch":
        return _("see this channel's watches with /backups watch list")
    return _("see this channel's digests with /backups digest list")


def watch_exists(number: int, scope: str) -> str:
    return _("watch #{number} already covers {scope} here").format(number=number, scope=scope)


def declared_in_the_file(kind: str, number: int) -> str:
    return _("{name} #{number} is declared in the config file").format(
        name=kind_name(kind), number=number
    )


def channel_gone(why: str, code: str) -> str:
    return _("{why} ({code})").format(why=why, code=code)


def slack_refused_message(code: str) -> str:
    return _("Slack refused the message: {code}").format(code=code)


def slack_unreachable(error: object) -> str:
    return _("could not reach Slack: {error}").format(error=error)


# --- Slack at start-up (slack/webapi) ----------------------------------------------------------

CHECK_SLACK_SETTINGS = N_("check the network, SLACK_API_URL and BACKUPBOT_SLACK_TIMEOUT")
COPY_THE_TOKEN = N_("copy SLACK_BOT_TOKEN again from the app's OAuth & Permissions page")
CHECK_SLACK_API_URL = N_("check SLACK_API_URL (default https://slack.com/api/)")


def slack_unreachable_at(url: str, reason: str) -> str:
    return _("could not reach Slack at {url} ({reason})").format(url=url, reason=reason)


def token_refused(code: str) -> str:
    return _("Slack refused the bot token ({code})").format(code=code)


def not_slack(url: str, code: str) -> str:
    return _("{url} is not Slack's Web API: auth.test answered {code}").format(url=url, code=code)


def no_answer_within(timeout: float) -> str:
    return _("no answer within {timeout:g} s").format(timeout=timeout)


# --- what the HTTP front door refuses (slack/intake, slack/http) ------------------------------

BODY_TOO_LARGE = N_("body too large")
BODY_NOT_UTF8 = N_("body is not UTF-8")
NO_CHALLENGE = N_("url_verification without a challenge")
NOT_AN_EVENT = N_("an Events API body needs type event_callback and an event")
EVENT_WITHOUT_TYPE = N_("the event has no type")
PAYLOAD_WITHOUT_TYPE = N_("payload has no type")
ACTIONS_WITHOUT_USER = N_("block_actions without actions or user")


def not_json(what: str) -> str:
    return _("{what} is not valid JSON").format(what=what)


def not_a_json_object(what: str) -> str:
    return _("{what} is not a JSON object").format(what=what)


def body_over(limit: int) -> str:
    return _("body over {limit} bytes").format(limit=limit)


def unsupported_content_type(kind: str) -> str:
    return _("unsupported content type {kind}").format(kind=kind)


def command_without(missing: str) -> str:
    return _("slash command without {missing}").format(missing=missing)
