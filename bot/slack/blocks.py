"""Block Kit for every message backupbot sends: pure functions from typed answers to dicts.

Everything users typed or the API returned is escaped before it enters mrkdwn, so a
query containing `<!channel>` can never ping anyone. Slack's limits are honoured here
(50 blocks, section text 3,000, header 150, button text 75 and value 2,000); the tests
validate every view with `slack_sdk.models.blocks`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from bot.core.answer import Answer, EmptyTarget
from bot.core.backup import Backup, BackupStatus
from bot.core.canonical import canonical
from bot.core.commands import EXAMPLES, HELP_TEXT
from bot.core.summary import human_age, human_duration, human_size, sparkline
from bot.errors import UpstreamError
from bot.slack.state import ButtonCodec, ButtonState, ButtonTooLarge

Block = dict[str, Any]
log = logging.getLogger("backupbot.slack")

ACTION_PREVIOUS = "backups_previous"
ACTION_NEXT = "backups_next"
ACTION_REFRESH = "backups_refresh"
ACTION_FAILED_ONLY = "backups_failed_only"
ACTION_DETAILS = "backups_details"
ACTION_BACK = "backups_back"
ACTION_SHARE = "backups_share"
ACTION_RUN = "backups_run"
ACTIONS = (
    ACTION_PREVIOUS,
    ACTION_NEXT,
    ACTION_REFRESH,
    ACTION_FAILED_ONLY,
    ACTION_DETAILS,
    ACTION_BACK,
    ACTION_SHARE,
    ACTION_RUN,
)

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_WARNINGS = 8
MARKS = {
    BackupStatus.FAILED: ":red_circle:",
    BackupStatus.BUILDING: ":large_yellow_circle:",
    BackupStatus.COMPLETED: ":large_green_circle:",
    BackupStatus.AVAILABLE: ":large_green_circle:",
    BackupStatus.UNKNOWN: ":white_circle:",
}
SIMULATED_LABEL = ":test_tube: simulated data from the built-in TaurusDB simulator"


@dataclass(frozen=True)
class View:
    """A message: its blocks and the text shown in notifications (mrkdwn too: escaped)."""

    blocks: list[Block]
    text: str

    @classmethod
    def of(cls, blocks: list[Block], text: str) -> View:
        """A view whose notification text is escaped and short, like everything else."""
        return cls(blocks=blocks[:MAX_BLOCKS], text=escape(_truncate(text, 300)))


def escape(text: str) -> str:
    """Make text safe for mrkdwn: `&`, `<` and `>` become entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code(text: str) -> str:
    """Inline code, so `_` and `*` in names stay literal; backticks cannot be escaped."""
    return "`" + escape(text).replace("`", "'") + "`"


def date_token(moment: datetime, layout: str = "{date_short_pretty} {time}") -> str:
    """A time every reader sees in their own time zone, with a UTC fallback."""
    fallback = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{layout}|{fallback}>"


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mrkdwn_section(text: str) -> Block:
    """A section of mrkdwn text, cut to Slack's 3,000 characters."""
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": _truncate(text, MAX_SECTION_TEXT)},
    }


def text_context(*texts: str) -> Block:
    """A context block of up to 10 mrkdwn texts."""
    return {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": _truncate(t, MAX_SECTION_TEXT)} for t in texts[:10]
        ],
    }


def _header(text: str) -> Block:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": _truncate(text, MAX_HEADER_TEXT), "emoji": True},
    }


def _value(codec: ButtonCodec, state: ButtonState, *, button: str) -> str | None:
    """The value of a button for `state`, or None (and a log line) when Slack would refuse
    it: the answer is still shown, without that one button."""
    try:
        return codec.encode(state)
    except ButtonTooLarge as error:
        log.warning("left out the %s button: %s", button, error)
        return None


def _buttons(codec: ButtonCodec, *specs: tuple[str, str, ButtonState, str | None]) -> list[Block]:
    """Buttons (text, action_id, state, style), leaving out any whose value cannot fit."""
    made = []
    for text, action_id, state, style in specs:
        value = _value(codec, state, button=text)
        if value is not None:
            made.append(_button(text, action_id, value, style))
    return made


def _button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    button: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": _truncate(text, 75), "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style is not None:
        button["style"] = style
    return button


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
        lines.append(f"_{escape(_truncate(backup.description, 300))}_")
    block = mrkdwn_section("\n".join(lines))
    if details is not None:
        block["accessory"] = _button("Details", ACTION_DETAILS, details)
    return block


def _notes(answer: Answer, now: datetime) -> list[str]:
    stale = answer.health.stale if answer.health is not None else ()
    notes = [f":warning: {code(health.name)}: {health.staleness(now)}" for health in stale]
    if len(notes) > MAX_WARNINGS:
        notes = [*notes[:MAX_WARNINGS], f"…and {len(notes) - MAX_WARNINGS} more instances"]
    notes.extend(_empty_note(answer, empty, now=now) for empty in answer.empty_targets)
    if answer.unreadable:
        rows = "1 row" if answer.unreadable == 1 else f"{answer.unreadable} rows"
        notes.append(
            f":warning: {rows} the TaurusDB API sent could not be read and "
            f"{'is' if answer.unreadable == 1 else 'are'} left out of this answer "
            "(backupbot's log has them)"
        )
    return notes


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
    blocks: list[Block] = [_header(f"Backups: {text or 'all instances'}")]
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
        details = _value(codec, state, button=f"Details of backup {backup.id[:40]!r}")
        blocks.append(_backup_block(backup, now=now, details=details))
    if not answer.backups:
        blocks.append(mrkdwn_section("_No backups match._"))
    blocks.append({"type": "divider"})
    blocks.append(text_context(_context_line(answer, now=now, simulated=simulated)))
    buttons = _answer_buttons(answer, codec=codec, shareable=shareable)
    if buttons:
        blocks.append({"type": "actions", "elements": buttons})
    headline = f"{text or 'all instances'}: {counts_text_plain(answer)}"
    return View.of(blocks=blocks[:MAX_BLOCKS], text=_truncate(headline, 300))


def counts_text_plain(answer: Answer) -> str:
    """The summary counts without marks, for notifications."""
    counts = ", ".join(f"{n} {s.value.lower()}" for s, n in answer.summary.counts)
    return counts or "no backups"


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
    return _buttons(codec, *specs)


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
            {"type": "mrkdwn", "text": _truncate(f"*{escape(name)}*\n{escape(str(shown))}", 2000)}
        )
    blocks: list[Block] = [_header(f"Backup {backup.name or backup.id}")]
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
    back_button = _buttons(codec, ("Back to the list", ACTION_BACK, back, None))
    if back_button:
        blocks.append({"type": "actions", "elements": back_button})
    return View.of(blocks=blocks[:MAX_BLOCKS], text=f"Backup {backup.name or backup.id}")


def shared_by_block(user: str) -> Block:
    """Who shared an answer into the channel."""
    mention = f"<@{user}>" if re.fullmatch(r"[UW][A-Z0-9]{2,30}", user) else "someone"
    return text_context(f":mega: shared by {mention}")


def help_view() -> View:
    """The language, with examples."""
    examples = "\n".join(f"• `/backups {example}`" for example in EXAMPLES)
    return View.of(
        blocks=[
            _header("Asking backupbot about backups"),
            mrkdwn_section(f"```{escape(HELP_TEXT)}```"),
            mrkdwn_section(f"Try:\n{examples}"),
            text_context(
                "A slash command answers only you, with a *Share in channel* button; "
                "mention @backupbot to answer in a thread for everyone."
            ),
        ],
        text="How to ask backupbot about backups",
    )


def error_view(message: str, hint: str = "") -> View:
    """A user mistake: one line, and what to do."""
    text = f":warning: {escape(message)}" + (f"\n{escape(hint)}" if hint else "")
    return View.of(blocks=[mrkdwn_section(text)], text=_truncate(f"{message}. {hint}".strip(), 300))


def upstream_error_view(error: UpstreamError) -> View:
    """The API said no: what it said, its code and request id, and what to do."""
    details = [
        part
        for part in (
            f"HTTP {error.status}" if error.status is not None else "",
            code(error.error_code) if error.error_code else "",
            escape(error.error_msg) if error.error_msg else "",
            f"request id {code(error.request_id)}" if error.request_id else "",
        )
        if part
    ]
    lines = [f":rotating_light: {escape(error.summary)}"]
    if details:
        lines.append(" · ".join(details))
    if error.explanation:
        lines.append(escape(error.explanation))
    return View.of(blocks=[mrkdwn_section("\n".join(lines))], text=_truncate(str(error), 300))


def apology_view(incident: str) -> View:
    """Something broke on our side: a generic apology and an id to find it in the logs."""
    return View.of(
        blocks=[
            mrkdwn_section(
                ":x: Sorry, backupbot hit an unexpected problem answering that. Please try "
                f"again; if it keeps happening, give your admin this id: {code(incident)}"
            )
        ],
        text=f"backupbot hit an unexpected problem (id {incident})",
    )
