"""A watch's incident messages (the first one, kept up to date, and each change in its
thread), and the note to whoever created a digest or watch that was turned off."""

from __future__ import annotations

from bot import messages
from bot.core.health.reports import State
from bot.schedule.outbox import Incident, Transition
from bot.schedule.store import Subscription
from bot.slack.blocks import (
    View,
    code,
    date_token,
    escape,
    mrkdwn_section,
    text_context,
)

MARKS = {
    State.NOT_NORMAL: ":no_entry:",
    State.NO_BACKUPS: ":red_circle:",
    State.FAILED_AFTER_RETRY: ":red_circle:",
    State.MISSED: ":red_circle:",
    State.STALE: ":warning:",
    State.RESTORE_GAP: ":warning:",
    State.NO_AUTOMATED: ":warning:",
    State.FAILED: ":large_orange_circle:",
    State.RUNNING: ":large_yellow_circle:",
    State.OK: ":large_green_circle:",
}
REASON_LIMIT = 1500  # the API's words can be long (a backup's description): one screen


def incident_view(subscription: Subscription, incident: Incident, *, simulated: bool) -> View:
    """An incident's first message: its state now, or when it was resolved and what it was."""
    name = incident.label
    reason = escape(incident.condition.reason[:REASON_LIMIT])
    if incident.closed_at is not None:
        at = date_token(incident.closed_at)
        text = messages.resolved_at(
            MARKS[State.OK], code(name), at, reason, messages.STATE_NAMES[incident.problem.value]
        )
        when = messages.first_seen(date_token(incident.opened_at))
        notice = messages.resolved_notice(name, messages.STATE_NAMES[incident.problem.value])
    else:
        state = incident.condition.state
        shown = messages.STATE_NAMES[state.value]
        text = messages.state_line(mark=MARKS[state], name=code(name), state=shown, reason=reason)
        when = messages.first_seen(date_token(incident.opened_at))
        if incident.changes > 1:
            when += messages.last_change(date_token(incident.seen_at))
        notice = messages.state_notice(name, shown)
    return View.of(
        [mrkdwn_section(text), text_context(when, _footer(subscription, simulated))], notice
    )


def unwatched_view(incident: Incident, why: str, *, simulated: bool) -> View:
    """An open incident's first message once no watch follows it: what it last was, and why
    nothing more will be said."""
    name = incident.label
    state = messages.STATE_NAMES[incident.condition.state.value]
    text = messages.no_longer_watched(
        mark=":white_circle:", name=code(name), why=escape(why), state=state,
        reason=escape(incident.condition.reason[:REASON_LIMIT]),
    )  # fmt: skip
    when = messages.first_seen(date_token(incident.opened_at))
    if simulated:
        when += f" · {messages.SIMULATED_LABEL}"
    return View.of(
        [mrkdwn_section(text), text_context(when)], messages.no_longer_watched_notice(name)
    )


def transition_view(
    subscription: Subscription, incident: Incident, transition: Transition, *, simulated: bool
) -> View:
    """One change of an incident, as a reply in its thread."""
    condition = transition.condition
    reason = escape(condition.reason[:REASON_LIMIT])
    if condition.state is State.OK:
        text = messages.resolved_reply(MARKS[State.OK], reason)
        notice = messages.resolved(incident.label)
    else:
        state = condition.state
        title = messages.STATE_TITLES[state.value]
        text = messages.state_reply(mark=MARKS[state], title=title, reason=reason)
        notice = messages.state_notice(incident.label, messages.STATE_NAMES[state.value])
    seen = messages.seen(date_token(transition.seen_at))
    return View.of(
        [mrkdwn_section(text), text_context(seen, _footer(subscription, simulated))], notice
    )


def _footer(subscription: Subscription, simulated: bool) -> str:
    # Watches judge health in UTC (a channel has no one zone): its reasons' times are UTC.
    footer = messages.watch_footer(subscription.id)
    if simulated:
        footer += f" · {messages.SIMULATED_LABEL}"
    return footer


def turned_off_view(subscription: Subscription, reason: str) -> View:
    """The direct message telling a subscription's creator it was turned off, and why."""
    kind = subscription.kind
    scope = code(subscription.scope or messages.EVERY_INSTANCE)
    text = messages.turned_off(
        kind=kind,
        number=subscription.id,
        scope=scope,
        channel=subscription.channel_id,
        reason=reason,
    )
    return View.of(
        [mrkdwn_section(text)], messages.turned_off_summary(kind, subscription.id, reason)
    )
