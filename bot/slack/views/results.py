"""An answer to a question: counts, warnings, a page of backups and its buttons; and one
backup in full, which its Details button leads to."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from bot.core.answer import Answer, EmptyTarget
from bot.core.backup import Backup, BackupStatus
from bot.core.canonical import canonical
from bot.core.health import HealthReport
from bot.core.summary import human_age, human_duration, human_size, sparkline
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
    SIMULATED_LABEL,
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
from bot.slack.state import ButtonCodec, ButtonState

MAX_WARNINGS = 8


def counts_text(answer: Answer) -> str:
    """The summary line: counts by status with their marks."""
    summary = answer.summary
    if not summary.counts:
        return "No backups"
    parts = [
        f"{MARKS[status]} *{count} {status.value.lower()}*"
        if status is BackupStatus.FAILED
        else f"{MARKS[status]} {count} {status.value.lower()}"
        for status, count in summary.counts
    ]
    return "  ".join(parts) + (f"\n_{coverage_text(answer)}_" if not summary.complete else "")


def coverage_text(answer: Answer) -> str:
    """What an answer's counts cover when they are not the whole window's."""
    read = f"{answer.summary.total:,}"
    if answer.window_total is None:
        return f"counts cover the newest {read} backups of the window; narrow it to see all"
    return (
        f"counts cover the newest {read} of {answer.window_total:,} backups; "
        "narrow the window to see all"
    )


def counts_text_plain(answer: Answer) -> str:
    """The summary counts without marks, for notifications."""
    counts = ", ".join(f"{n} {s.value.lower()}" for s, n in answer.summary.counts)
    return counts or "no backups"


def _window_text(answer: Answer) -> str:
    return answer.window.label + (" (default)" if answer.query.window is None else "")


def _backup_block(backup: Backup, *, now: datetime, details: str | None) -> Block:
    if backup.status is BackupStatus.BUILDING:
        took = f"running for {human_age(now - backup.begin_time)}"
    else:
        took = human_duration(backup.take_up_time)
    if not backup.status.is_good:
        size = "no data"
    else:
        size = "size unknown" if backup.size is None else human_size(backup.size)
    lines = [
        f"{MARKS[backup.status]} *{escape(backup.status_label)}* {code(backup.name or backup.id)}",
        f"{code(backup.instance_name or backup.instance_id)} · {escape(backup.type or '?')} · "
        f"{date_token(backup.begin_time)} · {took} · {size}",
    ]
    if backup.status is BackupStatus.FAILED and backup.description:
        lines.append(f"_{escape(truncate(backup.description, 300))}_")
    block = mrkdwn_section("\n".join(lines))
    if details is not None:
        block["accessory"] = button("Details", ACTION_DETAILS, details)
    return block


def _notes(answer: Answer, now: datetime) -> list[str]:
    health = answer.health
    alarming = health.alarming if health is not None else ()
    notes = [warning_line(report) for report in alarming]
    if len(notes) > MAX_WARNINGS:
        notes = [*notes[:MAX_WARNINGS], f"…and {len(notes) - MAX_WARNINGS} more instances"]
    if health is not None and health.notice is not None:
        notes.append(f":information_source: {escape(health.notice)}")
    notes.extend(_empty_note(answer, empty, now=now) for empty in answer.empty_targets)
    if answer.unreadable:
        rows = "1 row" if answer.unreadable == 1 else f"{answer.unreadable} rows"
        notes.append(
            f":warning: {rows} the TaurusDB API sent could not be read and "
            f"{'is' if answer.unreadable == 1 else 'are'} left out of this answer "
            "(backupbot's log has them)"
        )
    return notes


def warning_line(report: HealthReport) -> str:
    """One alarming instance, and why, in one line."""
    return f":warning: {code(report.instance.label)}: {escape(report.reason)}"


def _empty_note(answer: Answer, empty: EmptyTarget, *, now: datetime) -> str:
    """Nothing in the window for a target, said with the question's own filters.

    The newest backup was probed with the question's type; statuses cannot be probed,
    so with a status filter the note speaks of backups of any status.
    """
    kind = f"{answer.query.backup_type} " if answer.query.backup_type else ""
    target = code(empty.target.value)
    if empty.target.kind == "backup_id":
        if empty.newest is None:
            return f":information_source: backup {target} is not a {kind}backup"
        return (
            f":information_source: backup {target} is outside the window "
            f"({escape(answer.window.label)}); it is from {date_token(empty.newest.begin_time)}"
        )
    if empty.newest is None:
        return f":information_source: {target} has no {kind}backups at all"
    any_status = "of any status " if answer.query.statuses else ""
    newest = empty.newest.begin_time
    return (
        f":information_source: {target} has no {kind}backups {any_status}"
        f"{escape(answer.window.phrase)}; its newest {kind and kind + 'one '}is from "
        f"{date_token(newest)} ({human_age(now - newest)} ago)"
    )


def answer_view(
    answer: Answer, *, codec: ButtonCodec, now: datetime, shareable: bool, simulated: bool
) -> View:
    """An answer: header, summary, warnings, a page of backups, context and buttons."""
    text = answer.text
    blocks: list[Block] = [header(f"Backups: {text or 'all instances'}")]
    summary_line = f"{counts_text(answer)}\n{escape(_window_text(answer))}"
    if answer.summary.total_size_mb:
        summary_line += f" · {human_size(answer.summary.total_size_mb)} of good backups"
    blocks.append(mrkdwn_section(summary_line))
    notes = _notes(answer, now)
    if notes:
        blocks.append(mrkdwn_section("\n".join(notes)))
    if len(answer.query.targets) == 1:
        trends = [
            f"size trend {code(h.name)} {sparkline(h.sizes)} {human_size(h.sizes[-1])}"
            for h in answer.summary.instances
            if sparkline(h.sizes)
        ]
        if trends:
            blocks.append(text_context(*trends[:3]))
    blocks.append({"type": "divider"})
    for backup in answer.backups:
        state = ButtonState(text, answer.page, backup_id=backup.id)
        details = button_value(codec, state, button=f"Details of backup {backup.id[:40]!r}")
        blocks.append(_backup_block(backup, now=now, details=details))
    if not answer.backups:
        blocks.append(mrkdwn_section("_No backups match._"))
    blocks.append({"type": "divider"})
    blocks.append(text_context(_context_line(answer, now=now, simulated=simulated)))
    answer_buttons = _answer_buttons(answer, codec=codec, shareable=shareable)
    if answer_buttons:
        blocks.append({"type": "actions", "elements": answer_buttons})
    headline = f"{text or 'all instances'}: {counts_text_plain(answer)}"
    return View.of(blocks=blocks[:MAX_BLOCKS], text=truncate(headline, 300))


def _context_line(answer: Answer, *, now: datetime, simulated: bool) -> str:
    matches = f"{answer.matches} match{'es' if answer.matches != 1 else ''}"
    age = human_age(now - answer.as_of)
    parts = [
        code(answer.text or "all"),
        f"page {answer.page + 1} of {answer.page_count}",
        matches,
        f"as of {date_token(answer.as_of, '{time_secs}')}, {age} ago",
    ]
    if simulated:
        parts.append(SIMULATED_LABEL)
    return " · ".join(parts)


def _answer_buttons(answer: Answer, *, codec: ButtonCodec, shareable: bool) -> list[Block]:
    text = answer.text
    specs: list[tuple[str, str, ButtonState, str | None]] = []
    if answer.page > 0:
        specs.append(("Previous", ACTION_PREVIOUS, ButtonState(text, answer.page - 1), None))
    if answer.page + 1 < answer.page_count:
        specs.append(("Next", ACTION_NEXT, ButtonState(text, answer.page + 1), None))
    specs.append(("Refresh", ACTION_REFRESH, ButtonState(text, answer.page), None))
    if not answer.query.statuses and answer.summary.count(BackupStatus.FAILED):
        # The same question, failures only: every other part (profile included) stays.
        failed_only = canonical(replace(answer.query, statuses=frozenset({BackupStatus.FAILED})))
        specs.append(("Failed only", ACTION_FAILED_ONLY, ButtonState(failed_only), "danger"))
    if shareable:
        specs.append(("Share in channel", ACTION_SHARE, ButtonState(text, answer.page), "primary"))
    return buttons(codec, *specs)


def shared_by_block(user: str) -> Block:
    """Who shared an answer into the channel."""
    mention = f"<@{user}>" if re.fullmatch(r"[UW][A-Z0-9]{2,30}", user) else "someone"
    return text_context(f":mega: shared by {mention}")


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
    blocks: list[Block] = [header(f"Backup {backup.name or backup.id}")]
    blocks.append(
        mrkdwn_section(
            f"{MARKS[backup.status]} *{escape(backup.status_label)}* · "
            f"{code(backup.instance_name)} · started {date_token(backup.begin_time)}"
            + (f", ended {date_token(backup.end_time)}" if backup.end_time else "")
        )
    )
    for start in range(0, len(fields), 10):
        blocks.append({"type": "section", "fields": fields[start : start + 10]})
    if simulated:
        blocks.append(text_context(SIMULATED_LABEL))
    back_button = buttons(codec, ("Back to the list", ACTION_BACK, back, None))
    if back_button:
        blocks.append({"type": "actions", "elements": back_button})
    return View.of(blocks=blocks[:MAX_BLOCKS], text=f"Backup {backup.name or backup.id}")
