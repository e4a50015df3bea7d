"""The daily digest: the last 24 hours' failures, the fleet's health (who needs attention,
why, and the 14-day grid: `bot.slack.views.fleet_health`), and a table of the rest. Long
fleets collapse to stay within 50 blocks."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot import messages
from bot.core.health.digest import InstanceDay
from bot.core.human import human_age, human_duration, human_size
from bot.core.language.canonical import canonical
from bot.core.query import Last
from bot.schedule.outbox import DigestContent
from bot.slack.blocks import (
    ACTION_RUN,
    MAX_BLOCKS,
    Block,
    View,
    button,
    code,
    date_token,
    escape,
    mrkdwn_section,
    text_context,
)
from bot.slack.button_state import ButtonCodec, ButtonState
from bot.slack.views.fleet_health import health_blocks

MAX_SECTION = 2900
TABLE_LINES = 30
MAX_TABLE_BLOCKS = 30


def _lines_section(title: str, lines: list[str]) -> Block:
    """A titled list that stops, with a count, before Slack's 3,000 characters."""
    text = title
    for index, line in enumerate(lines):
        more = "\n" + messages.and_more(len(lines) - index)
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
    counts = messages.in_a_day(day.backups) + (
        messages.running(day.building) if day.building else ""
    )
    name = day.name.replace("`", "'")  # a backtick would end the ``` block
    return (
        f"{name[:28]:<28} {counts:<18} {messages.last_good_ago(f'{age:>7}')} {size:>9} {took:>10}"
    )


def digest_view(
    content: DigestContent, *, codec: ButtonCodec, now: datetime, simulated: bool
) -> View:
    """The daily digest: failures, instances without a good backup, then the rest."""
    subscription = content.subscription
    scope = subscription.scope or messages.EVERY_INSTANCE
    blocks: list[Block] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": messages.digest_title(scope)[:150],
                "emoji": True,
            },
        },
        text_context(
            messages.digest_subtitle(f"{content.local_date:%A %d %B %Y}", date_token(content.as_of))
        ),
    ]
    digest = content.digest
    if digest is not None and digest.missed:
        days = ", ".join(day.isoformat() for day in digest.missed)
        blocks.append(mrkdwn_section(messages.digest_missed(escape(days))))
    if content.problem is not None or digest is None:
        blocks.append(
            mrkdwn_section(messages.could_not_read_backups(escape(content.problem or "")))
        )
    else:
        if digest.failures:
            blocks.append(
                _lines_section(
                    messages.failed_in_the_last_day(len(digest.failures)),
                    [
                        f"{code(digest.fleet.label_of(b.instance_id, b.instance_name))} "
                        f"{code(b.name)} · {date_token(b.begin_time)}"
                        + (f" · _{escape(b.description[:200])}_" if b.description else "")
                        for b in digest.failures
                    ],
                )
            )
        for notice in (digest.fleet.notice, digest.fleet.credentials_notice):
            if notice:
                blocks.append(text_context(f":warning: {escape(notice)}"))
        # What is left once the button and the footer are counted: health first, and the
        # table of the rest gets what health leaves (at most half when both are long).
        room = MAX_BLOCKS - len(blocks) - 2
        table_wants = min(_table_blocks(len(digest.rest)), max(room // 2, 3))
        health = health_blocks(digest.fleet, max_blocks=room - table_wants, now=now)
        blocks.extend(health)
        blocks.extend(_table(digest.rest, now, max_blocks=room - len(health)))
    query = canonical(replace(subscription.query, window=Last(24, "h")))
    run = button(messages.OPEN_THE_LAST_DAY, ACTION_RUN, codec.encode(ButtonState(query)))
    blocks.append({"type": "actions", "elements": [run]})
    footer = messages.digest_footer(subscription.id) if subscription.id else messages.ON_REQUEST
    if simulated:
        footer += f" · {messages.SIMULATED_LABEL}"
    blocks.append(text_context(footer))
    if digest is None:
        summary = messages.COULD_NOT_READ_BACKUPS
    else:
        summary = messages.digest_summary(len(digest.failures), len(digest.alarming))
    return View.of(blocks, messages.digest_headline(scope, summary))


def _table_blocks(rows: int) -> int:
    """How many blocks the table of `rows` instances takes uncollapsed."""
    return 1 + -(-rows // TABLE_LINES) if rows else 0


def _table(rest: tuple[InstanceDay, ...], now: datetime, *, max_blocks: int) -> list[Block]:
    """The instances without trouble, 30 a block; past `max_blocks`, counted instead."""
    if not rest or max_blocks < 2:
        return []
    lines = [_table_line(day, now) for day in rest]
    chunks = [lines[i : i + TABLE_LINES] for i in range(0, len(lines), TABLE_LINES)]
    fit = min(len(chunks), MAX_TABLE_BLOCKS, max_blocks - 1)
    if fit < len(chunks):
        fit = min(fit, max_blocks - 2)
    blocks = [mrkdwn_section(messages.more_all_fine(len(rest)))]
    for chunk in chunks[:fit]:
        blocks.append(mrkdwn_section("```" + escape("\n".join(chunk)) + "```"))
    hidden = sum(len(chunk) for chunk in chunks[fit:])
    if hidden:
        blocks.append(text_context(messages.more_instances_last_day(hidden)))
    return blocks[:max_blocks]
