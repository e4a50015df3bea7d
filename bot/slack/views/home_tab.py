"""The App Home tab: how to use the bot, and what needs attention now."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import messages
from bot.core.answering.answer import Answer
from bot.core.human import human_age
from bot.core.language.help import SHORT_EXAMPLES
from bot.slack.blocks import code, date_token, escape
from bot.slack.views.notices import error_view
from bot.slack.views.results import warning_line

MAX_FAILURES = 8
MAX_SUBSCRIPTIONS = 30


def not_allowed_here(profile: str) -> str:
    """What Home says instead of failures the access rules don't let this user see here."""
    return messages.home_not_allowed(escape(profile))


def refusal_view(message: str, hint: str) -> dict[str, Any]:
    """App Home for a user the access rules allow nowhere: the refusal a command gets."""
    header = {"type": "header", "text": {"type": "plain_text", "text": "backupbot"}}
    return {"type": "home", "blocks": [header, *error_view(message, hint).blocks]}


def home_view(
    recent: Answer | str, *, subscriptions: list[str], now: datetime, simulated: bool
) -> dict[str, Any]:
    """The App Home tab: usage, recent failures, stale instances, digests and watches.

    `recent` is the answer to "failed last 7d", or the line to show instead of it.
    `subscriptions` are only those this user may see.
    """
    examples = "\n".join(f"• `/backups {escape(example)}`" for example in SHORT_EXAMPLES)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "backupbot"}},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": messages.home_intro(examples),
            },
        },
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": messages.HOME_FAILURES}},
    ]
    if isinstance(recent, str):
        blocks.append(_text(recent))
    else:
        failures = recent.summary.failures[:MAX_FAILURES]
        lines = [
            f":red_circle: {code(b.instance_name)} {code(b.name)} · {date_token(b.begin_time)}"
            for b in failures
        ]
        more = len(recent.summary.failures) - len(failures)
        if more > 0:
            lines.append(messages.home_more_failures(more))
        blocks.append(_text("\n".join(lines) or messages.HOME_NO_FAILURES))
        health = recent.health.alarming if recent.health is not None else ()
        stale = [warning_line(report) for report in health]
        if stale:
            blocks.append(_text("\n".join(stale[:MAX_FAILURES])))
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": messages.as_of(
                            date_token(recent.as_of, "{time}"), human_age(now - recent.as_of)
                        )
                        + (f" · {messages.SIMULATED_LABEL}" if simulated else ""),
                    }
                ],
            }
        )
    blocks.append({"type": "divider"})
    blocks.append(
        {"type": "header", "text": {"type": "plain_text", "text": messages.HOME_SUBSCRIPTIONS}}
    )
    if subscriptions:
        shown = subscriptions[:MAX_SUBSCRIPTIONS]
        if len(subscriptions) > len(shown):
            shown.append(messages.and_more(len(subscriptions) - len(shown)))
        blocks.append(_text("\n".join(shown)))
    else:
        blocks.append(_text(messages.HOME_NO_SUBSCRIPTIONS))
    return {"type": "home", "blocks": blocks}


def _text(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}
