"""Block Kit for digests and alerts. Long fleets collapse to stay within 50 blocks."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.core.canonical import canonical
from bot.core.digest import InstanceDay
from bot.core.query import Last
from bot.core.summary import human_age, human_duration, human_size
from bot.schedule.publisher import Alert, DigestContent, FailureAlert, RecoveredAlert, StaleAlert
from bot.schedule.store import Subscription
from bot.slack.blocks import (
    ACTION_RUN,
    MARKS,
    SIMULATED_LABEL,
    Block,
    View,
    code,
    date_token,
    escape,
    mrkdwn_section,
    text_context,
)
from bot.slack.state import ButtonCodec, ButtonState

MAX_SECTION = 2900
TABLE_LINES = 30
MAX_TABLE_BLOCKS = 30


def _lines_section(title: str, lines: list[str]) -> Block:
    """A titled list that stops, with a count, before Slack's 3,000 characters."""
    text = title
    for index, line in enumerate(lines):
        more = f"\n…and {len(lines) - index} more"
        if len(text) + len(line) + 1 + len(more) > MAX_SECTION:
            text += more
            break
        text += "\n" + line
    return mrkdwn_section(text)


def _table_line(day: InstanceDay, now: datetime) -> str:
    good = day.last_good
    age = human_age(now - good.begin_time) if good else "-"
    size = human_size(good.size or 0) if good else "-"
    took = human_duration(good.take_up_time) if good else "-"
    counts = f"{day.backups} in 24 h" + (f", {day.building} running" if day.building else "")
    return f"{day.name[:28]:<28} {counts:<18} last good {age:>7} ago {size:>9} {took:>10}"


def digest_view(
    content: DigestContent, *, codec: ButtonCodec, now: datetime, simulated: bool
) -> View:
    """The daily digest: failures, instances without a good backup, then the rest."""
    subscription = content.subscription
    scope = subscription.scope or "every instance"
    blocks: list[Block] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": f"Backup digest: {scope}"[:150], "emoji": True},
        },
        text_context(
            f"{content.local_date:%A %d %B %Y} · last 24 h · as of {date_token(content.as_of)}"
        ),
    ]
    digest = content.digest
    if digest is not None and digest.missed:
        days = ", ".join(digest.missed)
        blocks.append(
            mrkdwn_section(
                f":warning: Missed: the digest of {escape(days)} was not sent in time "
                "(backupbot was not running)."
            )
        )
    if content.problem is not None or digest is None:
        blocks.append(
            mrkdwn_section(
                f":rotating_light: Could not read backups: {escape(content.problem or '')}"
            )
        )
    else:
        if digest.failures:
            blocks.append(
                _lines_section(
                    f"*:red_circle: {len(digest.failures)} failed in the last 24 h*",
                    [
                        f"{code(b.instance_name)} {code(b.name)} · {date_token(b.begin_time)}"
                        + (f" · _{escape(b.description[:200])}_" if b.description else "")
                        for b in digest.failures
                    ],
                )
            )
        if digest.stale:
            blocks.append(
                _lines_section(
                    f"*:warning: {len(digest.stale)} without a good backup for too long*",
                    [f"{code(h.name)}: {h.staleness(now)}" for h in digest.stale],
                )
            )
        if digest.healthy:
            blocks.append(
                mrkdwn_section(f":large_green_circle: All {digest.instances} instances backed up.")
            )
        blocks.extend(_table(digest.rest, now))
    query = canonical(replace(subscription.query, window=Last(24, "h")))
    blocks.append(
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Open the last 24 h", "emoji": True},
                    "action_id": ACTION_RUN,
                    "value": codec.encode(ButtonState(query)),
                }
            ],
        }
    )
    footer = (
        f"digest #{subscription.id} · `/backups digest list`" if subscription.id else "on request"
    )
    if simulated:
        footer += f" · {SIMULATED_LABEL}"
    blocks.append(text_context(footer))
    failed = len(digest.failures) if digest else 0
    summary = "could not read backups" if digest is None else f"{failed} failed"
    return View.of(blocks, f"Backup digest for {scope}: {summary}")


def _table(rest: tuple[InstanceDay, ...], now: datetime) -> list[Block]:
    if not rest:
        return []
    lines = [_table_line(day, now) for day in rest]
    chunks = [lines[i : i + TABLE_LINES] for i in range(0, len(lines), TABLE_LINES)]
    blocks = [mrkdwn_section(f"*{len(rest)} more, all fine*")]
    for chunk in chunks[:MAX_TABLE_BLOCKS]:
        blocks.append(mrkdwn_section("```" + escape("\n".join(chunk)) + "```"))
    hidden = sum(len(chunk) for chunk in chunks[MAX_TABLE_BLOCKS:])
    if hidden:
        blocks.append(text_context(f"…and {hidden} more instances: `/backups last 24h`"))
    return blocks


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
