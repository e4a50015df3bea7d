"""Digests and watches in words: one line each (a channel's list, App Home), and the
messages confirming a change in the channel."""

from __future__ import annotations

from datetime import datetime, time

from bot import messages
from bot.core.language.commands import DEFAULT_DIGEST_TIME
from bot.schedule.store import Subscription
from bot.slack.blocks import View, code, date_token, mrkdwn_section


def scope(subscription: Subscription) -> str:
    """What it covers: its targets as code, or every instance."""
    return code(subscription.scope) if subscription.scope else messages.EVERY_INSTANCE


def _schedule(subscription: Subscription) -> str:
    """When a digest is posted: "09:00 (Europe/Paris)"."""
    return f"{subscription.at_time or DEFAULT_DIGEST_TIME:%H:%M} ({subscription.timezone})"


def _turned_off(subscription: Subscription) -> str:
    return (
        "" if subscription.enabled else messages.turned_off_note(str(subscription.disabled_reason))
    )


def channel_line(subscription: Subscription) -> str:
    """One line of a channel's `/backups digest list` (or watch list)."""
    when = messages.at_time(_schedule(subscription)) if subscription.kind == "digest" else ""
    config = subscription.origin == "config"
    who = messages.THE_CONFIG_FILE if config else f"<@{subscription.created_by}>"
    return messages.channel_line(
        number=subscription.id,
        scope=scope(subscription),
        when=when,
        who=who,
        off=_turned_off(subscription),
    )


def home_line(subscription: Subscription) -> str:
    """One line of App Home's digests and watches, naming the channel."""
    digest = subscription.kind == "digest"
    when = messages.daily_at(_schedule(subscription)) if digest else messages.WATCHING
    return messages.home_line(
        kind=subscription.kind,
        number=subscription.id,
        channel=subscription.channel_id,
        scope=scope(subscription),
        when=when,
        off=_turned_off(subscription),
    )


def channel_list_view(kind: str, found: list[Subscription]) -> View:
    """A channel's digests (or watches), or how to add one."""
    plural = messages.PLURALS[kind]
    if not found:
        text = messages.none_in_channel(plural, kind)
    else:
        text = messages.in_this_channel(kind) + "\n".join(
            channel_line(subscription) for subscription in found
        )
    return View.of([mrkdwn_section(text)], plural)


def digest_added_view(
    subscription: Subscription, *, user: str, at: time, zone: str, first: datetime
) -> View:
    """A digest was set up in the channel."""
    return _confirmation(
        messages.digest_added(
            user=user,
            number=subscription.id,
            scope=scope(subscription),
            at=f"{at:%H:%M}",
            zone=zone,
            first=date_token(first),
        ),
        messages.digest_added_notice(subscription.id),
    )


def watch_added_view(subscription: Subscription, *, user: str, every_minutes: int) -> View:
    """A watch was set up in the channel."""
    return _confirmation(
        messages.watch_added(
            user=user,
            number=subscription.id,
            scope=scope(subscription),
            every_minutes=every_minutes,
        ),
        messages.watch_added_notice(subscription.id),
    )


def removed_view(subscription: Subscription, *, user: str) -> View:
    """A digest or watch was removed from the channel."""
    kind = subscription.kind
    return _confirmation(
        messages.removed(user=user, kind=kind, number=subscription.id, scope=scope(subscription)),
        messages.removed_notice(kind, subscription.id),
    )


def _confirmation(text: str, notice: str) -> View:
    return View.of([mrkdwn_section(text)], notice)
