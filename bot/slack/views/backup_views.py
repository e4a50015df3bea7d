"""A backup taken by hand: its confirmation (for the asker alone) and its one message in
the channel, drawn again at each step (values in, blocks out)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import messages
from bot.core.backup import Backup
from bot.core.backup_action import Starter
from bot.core.human import human_duration, human_size
from bot.core.language.canonical import canonical
from bot.core.query import Query, Target
from bot.schedule.store import Action
from bot.schedule.store.actions import DONE, FAILED, LOST, UNKNOWN
from bot.slack.blocks import (
    ACTION_CANCEL_BACKUP,
    ACTION_RUN,
    ACTION_TAKE_BACKUP,
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


def who_started(starter: Starter) -> str:
    """Who started a backup, as Slack says it: a mention of a Slack user, a login from the
    command line in plain (escaped) words."""
    if starter.in_slack:
        return messages.slack_mention(starter.user)
    return escape(messages.on_the_command_line(starter.user))


def confirmation_view(
    *,
    instance: str,
    status: str,
    last_good: Backup | None,
    name: str,
    description: str,
    value: str,
    simulated: bool,
) -> View:
    """Take a backup of INSTANCE now? Its status, its last good backup, the new name; the
    two buttons carry the whole request (`value`, sealed)."""
    if last_good is None:
        good = messages.NO_GOOD_BACKUP
    else:
        size = human_size(last_good.size) if last_good.size is not None else "-"
        good = messages.last_good_at(date_token(last_good.begin_time), size)
    lines = [
        messages.instance_status_line(escape(status)),
        messages.last_good_line(good),
        messages.new_name_line(code(name)),
    ]
    if description:
        lines.append(messages.description_line(escape(description)))
    footer = messages.CONFIRM_FOOTER + (f" · {messages.SIMULATED_LABEL}" if simulated else "")
    blocks: list[Block] = [
        mrkdwn_section(f"*{escape(messages.confirm_title(instance))}*\n" + "\n".join(lines)),
        {
            "type": "actions",
            "elements": [
                button(messages.TAKE_BACKUP, ACTION_TAKE_BACKUP, value, "primary"),
                button(messages.CANCEL, ACTION_CANCEL_BACKUP, value),
            ],
        },
        text_context(footer),
    ]
    return View.of(blocks, messages.confirm_title(instance))


def note_view(text: str) -> View:
    """What replaces a confirmation once it was answered: one line."""
    return View.of([mrkdwn_section(escape(text))], text)


def action_view(action: Action, *, codec: ButtonCodec, now: datetime, simulated: bool) -> View:
    """The channel's message about a backup: who started it, how far it got, how it ended,
    and a button to list the instance's backups."""
    request = action.request
    instance = request.instance_name
    if action.state == DONE:
        minutes = action.minutes
        if minutes is None and action.ended_at is not None:
            minutes = max(1, round((action.ended_at - action.clicked_at).total_seconds() / 60))
        duration = human_duration(minutes)
        words = (
            messages.backup_completed(instance, duration, human_size(action.size_mb))
            if action.size_mb is not None
            else messages.backup_completed_size_unknown(instance, duration)
        )
        line = ":white_check_mark: " + escape(words)
    elif action.state == FAILED:
        words = (
            messages.backup_failed(instance, action.reason)
            if action.reason
            else messages.backup_failed_without_reason(instance)
        )
        line = ":x: " + escape(words)
    elif action.state == LOST:
        line = ":grey_question: " + escape(
            messages.backup_lost_sight(instance, action.reason or messages.UNKNOWN_STATUS)
        )
    else:
        if action.state == UNKNOWN:
            doing = messages.LOOKING_FOR_THE_BACKUP
        elif action.reason:  # following, with something to say about it
            doing = action.reason
        elif action.progress:
            doing = messages.backup_running(action.progress)
        else:
            doing = messages.WAITING_FOR_THE_JOB
        line = f":hourglass_flowing_sand: {escape(doing)}"
    who = who_started(Starter(request.user, in_slack=bool(request.channel)))
    started = messages.backup_started_by(escape(instance), who)
    details = [code(request.name)]
    if request.description:
        details.append(escape(request.description))
    query = Query(targets=(Target("instance_id", request.instance_id),), profile=request.profile)
    value = codec.encode(ButtonState(canonical(query)))
    footer = date_token(now.astimezone(UTC))
    if simulated:
        footer += f" · {messages.SIMULATED_LABEL}"
    blocks: list[Block] = [
        mrkdwn_section(f"*{started}*\n{line}\n" + " · ".join(details)),
        {
            "type": "actions",
            "elements": [button(messages.list_backups_of(instance), ACTION_RUN, value)],
        },
        text_context(footer),
    ]
    return View.of(blocks, messages.backup_started_by(instance, who))
