"""Digests and watches in words: one line each (a channel's list, App Home), and the
messages confirming a change in the channel."""

from __future__ import annotations

from datetime import datetime, time

from bot.core.commands import DEFAULT_DIGEST_TIME
from bot.schedule.store import Subscription
from bot.slack.blocks import View, code, date_token, mrkdwn_section

PLURALS = {"digest": "digests", "watch": "watches"}


def scope(subscription: Subscription) -> str:
    """What it covers: its targets as code, or every instance."""
    return code(subscription.scope) if subscription.scope else "every instance"


def _schedule(subscription: Subscription) -> str:
    """When a digest is posted: "09:00 (Europe/Paris)"."""
    return f"{subscription.at_time or DEFAULT_DIGEST_TIME:%H:%M} ({subscription.timezone})"


def _turned_off(subscription: Subscription) -> str:
    return "" if subscription.enabled else f" · :no_entry: off: {subscription.disabled_reason}"


def channel_line(subscription: Subscription) -> str:
    """One line of a channel's `/backups digest list` (or watch list)."""
    when = f" at {_schedule(subscription)}" if subscription.kind == "digest" else ""
    who = "the config file" if subscription.origin == "config" else f"<@{subscription.created_by}>"
    return f"#{subscription.id} {scope(subscription)}{when} · by {who}{_turned_off(subscription)}"


def home_line(subscription: Subscription) -> str:
    """One line of App Home's digests and watches, naming the channel."""
    when = f" daily at {_schedule(subscription)}" if subscription.kind == "digest" else " watching"
    return (
        f"{subscription.kind} #{subscription.id} in <#{subscription.channel_id}>: "
        f"{scope(subscription)}{when}{_turned_off(subscription)}"
    )


def channel_list_view(kind: str, found: list[Subscription]) -> View:
    """A channel's digests (or watches), or how to add one."""
    plural = PLURALS[kind]
    if not found:
        text = f"No {plural} in this channel. Add one with `/backups {kind} add [TARGET ...]`."
    else:
        text = f"*{plural.capitalize()} in this channel*\n" + "\n".join(
            channel_line(subscription) for subscription in found
        )
    return View.of([mrkdwn_section(text)], plural)


def digest_added_view(
    subscription: Subscription, *, user: str, at: time, zone: str, first: datetime
) -> View:
    """A digest was set up in the channel."""
    return _confirmation(
        f":calendar: <@{user}> set up digest #{subscription.id}: "
        f"{scope(subscription)} every day at {at:%H:%M} ({zone}). "
        f"First one {date_token(first)}.",
        f"Digest #{subscription.id} set up",
    )


def watch_added_view(subscription: Subscription, *, user: str, every_minutes: int) -> View:
    """A watch was set up in the channel."""
    return _confirmation(
        f":eyes: <@{user}> set up watch #{subscription.id} on "
        f"{scope(subscription)}: when an instance's backups go wrong (a failure, a missed "
        f"window, too long without a good backup) I will post one message, follow it in "
        f"that message's thread and mark it resolved when a good backup is back. "
        f"Checked every {every_minutes} min.",
        f"Watch #{subscription.id} set up",
    )


def removed_view(subscription: Subscription, *, user: str) -> View:
    """A digest or watch was removed from the channel."""
    kind = subscription.kind
    return _confirmation(
        f":wastebasket: <@{user}> removed {kind} #{subscription.id} ({scope(subscription)}).",
        f"{kind.capitalize()} #{subscription.id} removed",
    )


def _confirmation(text: str, notice: str) -> View:
    return View.of([mrkdwn_section(text)], notice)
