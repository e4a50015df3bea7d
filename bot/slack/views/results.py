"""An answer to a question: counts, warnings, a page of backups and its buttons; and one
backup in full, which its Details button leads to."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from bot import messages
from bot.core.answering.answer import Answer, EmptyTarget
from bot.core.answering.summary import sparkline
from bot.core.backup import Backup, BackupStatus
from bot.core.health.reports import HealthReport
from bot.core.human import human_age, human_duration, human_size
from bot.core.language.canonical import canonical
from bot.messages.catalogue import number
from bot.slack.blocks import (
    ACTION_BACK,
    ACTION_DETAILS,
    ACTION_FAILED_ONLY,
    ACTION_NEXT,
    ACTION_PREVIOUS,
    ACTION_REFRESH,
    ACTION_SHARE,
    MARKS,
    MAX_BLOCKS,
    Block,
    View,
    button,
    button_value,
    buttons,
    code,
    date_token,
    escape,
    header,
    mrkdwn_section,
    text_context,
    truncate,
)
from bot.slack.button_state import ButtonCodec, ButtonState

MAX_WARNINGS = 8


def counts_text(answer: Answer) -> str:
    """The summary line: counts by status with their marks."""
    summary = answer.summary
    if not summary.counts:
        return messages.NO_BACKUPS
    names = messages.BACKUP_STATUS_NAMES
    parts = [
        f"{MARKS[status]} *{messages.counted(count, names[status.value])}*"
        if status is BackupStatus.FAILED
        else f"{MARKS[status]} {messages.counted(count, names[status.value])}"
        for status, count in summary.counts
    ]
    return "  ".join(parts) + (f"\n_{coverage_text(answer)}_" if not summary.complete else "")


def coverage_text(answer: Answer) -> str:
    """What an answer's counts cover when they are not the whole window's."""
    read = number(answer.summary.total)
    if answer.window_total is None:
        return messages.coverage_of_window(read)
    return messages.coverage_of(read, number(answer.window_total))


def counts_text_plain(answer: Answer) -> str:
    """The summary counts without marks, for notifications."""
    names = messages.BACKUP_STATUS_NAMES
    counts = messages.in_a_row(
        [messages.counted(n, names[s.value]) for s, n in answer.summary.counts]
    )
    return counts or messages.NO_BACKUPS_LOWER


def _window_text(answer: Answer) -> str:
    return answer.window.label + (messages.DEFAULT_WINDOW if answer.query.window is None else "")


def _backup_block(backup: Backup, *, instance: str, now: datetime, details: str | None) -> Block:
    if backup.status is BackupStatus.BUILDING:
        took = messages.running_for(human_age(now - backup.begin_time))
    else:
        took = human_duration(backup.take_up_time)
    if not backup.status.is_good:
        size = messages.NO_DATA
    else:
        size = messages.SIZE_UNKNOWN if backup.size is None else human_size(backup.size)
    lines = [
        f"{MARKS[backup.status]} *{escape(backup.status_label)}* {code(backup.name or backup.id)}",
        f"{code(instance)} · {escape(backup.type or '?')} · "
        f"{date_token(backup.begin_time)} · {took} · {size}",
    ]
    if backup.status is BackupStatus.FAILED and backup.description:
        lines.append(f"_{escape(truncate(backup.description, 300))}_")
    block = mrkdwn_section("\n".join(lines))
    if details is not None:
        block["accessory"] = button(messages.DETAILS, ACTION_DETAILS, details)
    return block


def _notes(answer: Answer, now: datetime) -> list[str]:
    health = answer.health
    alarming = health.alarming if health is not None else ()
    notes = [warning_line(report) for report in alarming]
    if len(notes) > MAX_WARNINGS:
        notes = [*notes[:MAX_WARNINGS], messages.and_more_instances(len(notes) - MAX_WARNINGS)]
    if health is not None and health.notice is not None:
        notes.append(messages.information(escape(health.notice)))
    if answer.credentials_notice is not None:
        notes.append(messages.information(escape(answer.credentials_notice)))
    notes.extend(_empty_note(answer, empty, now=now) for empty in answer.empty_targets)
    if answer.unreadable:
        notes.append(messages.unreadable_rows(answer.unreadable))
    return notes


def warning_line(report: HealthReport) -> str:
    """One alarming instance, and why, in one line."""
    return messages.warning(code(report.label), escape(report.reason))


def _empty_note(answer: Answer, empty: EmptyTarget, *, now: datetime) -> str:
    """Nothing in the window for a target, said with the question's own filters.

    The newest backup was probed with the question's type; statuses cannot be probed,
    so with a status filter the note speaks of backups of any status.
    """
    kind = answer.query.backup_type
    target = code(empty.target.value)
    if empty.target.kind == "backup_id":
        if empty.newest is None:
            return messages.backup_not_of_type(target, kind)
        return messages.backup_outside_window(
            target, escape(answer.window.label), date_token(empty.newest.begin_time)
        )
    if empty.newest is None:
        return messages.no_backups_at_all_of(target, kind)
    any_status = bool(answer.query.statuses)
    newest = empty.newest.begin_time
    return messages.no_backups_in(
        target=target,
        kind=kind,
        any_status=any_status,
        phrase=escape(answer.window.phrase),
        when=date_token(newest),
        age=human_age(now - newest),
    )


def answer_view(
    answer: Answer, *, codec: ButtonCodec, now: datetime, shareable: bool, simulated: bool
) -> View:
    """An answer: header, summary, warnings, a page of backups, context and buttons."""
    text = answer.text
    blocks: list[Block] = [header(messages.backups_header(text or messages.ALL_INSTANCES))]
    summary_line = f"{counts_text(answer)}\n{escape(_window_text(answer))}"
    if answer.summary.total_size_mb:
        summary_line += messages.of_good_backups(human_size(answer.summary.total_size_mb))
    blocks.append(mrkdwn_section(summary_line))
    notes = _notes(answer, now)
    if notes:
        blocks.append(mrkdwn_section("\n".join(notes)))
    if len(answer.query.targets) == 1:
        trends = [
            messages.size_trend(code(h.name), sparkline(h.sizes), human_size(h.sizes[-1]))
            for h in answer.summary.instances
            if sparkline(h.sizes)
        ]
        if trends:
            blocks.append(text_context(*trends[:3]))
    blocks.append({"type": "divider"})
    for backup in answer.backups:
        state = ButtonState(text, answer.page, backup_id=backup.id)
        details = button_value(codec, state, button=messages.details_of_backup(backup.id[:40]))
        instance = backup.instance_name or backup.instance_id
        if answer.health is not None:  # two instances of one name: told apart
            instance = answer.health.label_of(backup.instance_id, instance)
        blocks.append(_backup_block(backup, instance=instance, now=now, details=details))
    if not answer.backups:
        blocks.append(mrkdwn_section(messages.NO_BACKUPS_MATCH))
    blocks.append({"type": "divider"})
    blocks.append(text_context(_context_line(answer, now=now, simulated=simulated)))
    answer_buttons = _answer_buttons(answer, codec=codec, shareable=shareable)
    if answer_buttons:
        blocks.append({"type": "actions", "elements": answer_buttons})
    headline = f"{text or messages.ALL_INSTANCES}: {counts_text_plain(answer)}"
    return View.of(blocks=blocks[:MAX_BLOCKS], text=truncate(headline, 300))


def _context_line(answer: Answer, *, now: datetime, simulated: bool) -> str:
    matches = messages.matches(answer.matches)
    age = human_age(now - answer.as_of)
    parts = [
        code(answer.text or messages.ALL),
        messages.page_of(answer.page + 1, answer.page_count),
        matches,
        messages.as_of(date_token(answer.as_of, "{time_secs}"), age),
    ]
    if simulated:
        parts.append(messages.SIMULATED_LABEL)
    return " · ".join(parts)


def _answer_buttons(answer: Answer, *, codec: ButtonCodec, shareable: bool) -> list[Block]:
    text = answer.text
    specs: list[tuple[str, str, ButtonState, str | None]] = []
    if answer.page > 0:
        specs.append((messages.PREVIOUS, ACTION_PREVIOUS, ButtonState(text, answer.page - 1), None))
    if answer.page + 1 < answer.page_count:
        specs.append((messages.NEXT, ACTION_NEXT, ButtonState(text, answer.page + 1), None))
    specs.append((messages.REFRESH, ACTION_REFRESH, ButtonState(text, answer.page), None))
    if not answer.query.statuses and answer.summary.count(BackupStatus.FAILED):
        # The same question, failures only: every other part (profile included) stays.
        failed_only = canonical(replace(answer.query, statuses=frozenset({BackupStatus.FAILED})))
        specs.append((messages.FAILED_ONLY, ACTION_FAILED_ONLY, ButtonState(failed_only), "danger"))
    if shareable:
        specs.append(
            (messages.SHARE_IN_CHANNEL, ACTION_SHARE, ButtonState(text, answer.page), "primary")
        )
    return buttons(codec, *specs)


def shared_by_block(user: str) -> Block:
    """Who shared an answer into the channel."""
    mention = f"<@{user}>" if re.fullmatch(r"[UW][A-Z0-9]{2,30}", user) else messages.SOMEONE
    return text_context(messages.shared_by(mention))


def detail_view(backup: Backup, *, codec: ButtonCodec, back: ButtonState, simulated: bool) -> View:
    """One backup's full record, every field the API sent, with a way back to the list."""
    record = backup.model_dump(mode="json", exclude_none=True)
    fields = []
    for name, value in record.items():
        shown = (
            value
            if not isinstance(value, dict)
            else ", ".join(f"{k}={v}" for k, v in value.items())
        )
        fields.append(
            {"type": "mrkdwn", "text": truncate(f"*{escape(name)}*\n{escape(str(shown))}", 2000)}
        )
    blocks: list[Block] = [header(messages.backup_title(backup.name or backup.id))]
    blocks.append(
        mrkdwn_section(
            f"{MARKS[backup.status]} *{escape(backup.status_label)}* · "
            f"{code(backup.instance_name)} · {messages.started(date_token(backup.begin_time))}"
            + (messages.ended(date_token(backup.end_time)) if backup.end_time else "")
        )
    )
    for start in range(0, len(fields), 10):
        blocks.append({"type": "section", "fields": fields[start : start + 10]})
    if simulated:
        blocks.append(text_context(messages.SIMULATED_LABEL))
    back_button = buttons(codec, (messages.BACK_TO_THE_LIST, ACTION_BACK, back, None))
    if back_button:
        blocks.append({"type": "actions", "elements": back_button})
    return View.of(blocks=blocks[:MAX_BLOCKS], text=messages.backup_title(backup.name or backup.id))
