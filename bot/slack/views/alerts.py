"""A watch's alerts, and the note to whoever created a digest or watch that was turned off."""

from __future__ import annotations

from datetime import datetime

from bot.schedule.outbox import Alert, FailureAlert, RecoveredAlert, StaleAlert
from bot.schedule.store import Subscription
from bot.slack.blocks import (
    MARKS,
    SIMULATED_LABEL,
    View,
    code,
    date_token,
    escape,
    mrkdwn_section,
    text_context,
)


def alert_view(subscription: Subscription, alert: Alert, *, now: datetime, simulated: bool) -> View:
    """One alert message for a watch."""
    match alert:
        case FailureAlert(backup):
            text = (
                f"{MARKS[backup.status]} *Backup failed*: {code(backup.name)} on "
                f"{code(backup.instance_name)}, started {date_token(backup.begin_time)}"
            )
            if backup.description:
                text += f"\n_{escape(backup.description[:500])}_"
            notice = f"Backup failed: {backup.name} on {backup.instance_name}"
        case StaleAlert(health):
            text = (
                f":warning: *{code(health.name)} has no recent good backup*: "
                f"{health.staleness(now)}"
            )
            notice = f"{health.name} has no recent good backup"
        case RecoveredAlert(health):
            good = health.last_good
            when = f" at {date_token(good.begin_time)}" if good else ""
            text = f":large_green_circle: *{code(health.name)} recovered*: a good backup{when}"
            notice = f"{health.name} recovered"
    footer = f"watch #{subscription.id} · `/backups watch remove {subscription.id}` to stop"
    if simulated:
        footer += f" · {SIMULATED_LABEL}"
    return View.of([mrkdwn_section(text), text_context(footer)], notice)


def turned_off_view(subscription: Subscription, reason: str) -> View:
    """The direct message telling a subscription's creator it was turned off, and why."""
    kind = subscription.kind
    scope = code(subscription.scope or "every instance")
    return View.of(
        [
            mrkdwn_section(
                f":no_entry: I turned off {kind} #{subscription.id} ({scope}) "
                f"in <#{subscription.channel_id}>: "
                f"{reason}. Invite me back with `/invite @backupbot` and add it again with "
                f"`/backups {kind} add ...`."
            )
        ],
        f"Your {kind} #{subscription.id} was turned off: {reason}",
    )
