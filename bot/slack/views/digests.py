"""The daily digest. Long fleets collapse to stay within 50 blocks."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.core.canonical import canonical
from bot.core.digest import InstanceDay
from bot.core.query import Last
from bot.core.summary import human_age, human_duration, human_size
from bot.schedule.outbox import DigestContent
from bot.slack.blocks import (
    ACTION_RUN,
    SIMULATED_LABEL,
    Block,
    View,
    button,
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
        if digest.alarming:
            blocks.append(
                _lines_section(
                    f"*:warning: {len(digest.alarming)} need attention*",
                    [f"{code(r.instance.label)}: {escape(r.reason)}" for r in digest.alarming],
                )
            )
        if digest.healthy:
            blocks.append(
                mrkdwn_section(f":large_green_circle: All {digest.instances} instances backed up.")
            )
        blocks.extend(_table(digest.rest, now))
    query = canonical(replace(subscription.query, window=Last(24, "h")))
    run = button("Open the last 24 h", ACTION_RUN, codec.encode(ButtonState(query)))
    blocks.append({"type": "actions", "elements": [run]})
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
