"""The fleet's health: who needs attention and why, then 14 days at a glance, one row each.

`/backups health` shows it and every digest embeds it (`health_blocks`). The timeline is a
monospace grid inside ``` so its columns line up in Slack and in the terminal demo alike;
its marks are single ASCII characters because emoji are double width and break the
columns. A fleet of thousands collapses: the worst rows are shown, the rest counted by
state, never past the block budget the caller gives.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from bot import messages
from bot.core.health.reports import FleetHealth, HealthReport, Mark, State
from bot.core.human import human_age
from bot.messages import catalogue
from bot.slack.blocks import (
    MAX_BLOCKS,
    Block,
    View,
    code,
    date_token,
    escape,
    header,
    mrkdwn_section,
    text_context,
    truncate,
)
from bot.slack.views.alerts import MARKS as STATE_MARKS

# One character a day: single width everywhere, and nothing mrkdwn reads inside ```.
GRID_MARKS = {
    Mark.MISSED: "!",
    Mark.FAILED: "X",
    Mark.RETRYING: "x",
    Mark.RUNNING: "~",
    Mark.PENDING: "o",
    Mark.NO_BACKUP: "-",
    Mark.UNKNOWN: "?",
    Mark.GOOD: "+",
    Mark.NONE_EXPECTED: ".",
}
MAX_SECTION = 2900  # below Slack's 3,000, with room for the "…and N more" line
LABEL_WIDTH = 20
REASON_LIMIT = 400  # the API's words can be long (a policy it refused to show)
EVERY_REASON_UP_TO = 10  # a small fleet gets every instance's reason, not only the alarming
MAX_REASON_SECTIONS = 2
MAX_GRID_SECTIONS = 8  # about 300 rows: more is no longer "at a glance", and Slack slows
HEALTH_COMMAND = "/backups health"


def health_view(fleet: FleetHealth, *, title: str, simulated: bool, now: datetime) -> View:
    """`/backups health`: who needs attention, the 14-day grid, and when it was read."""
    blocks: list[Block] = [header(title)]
    for notice in (fleet.notice, fleet.credentials_notice):
        if notice:
            blocks.append(text_context(f":warning: {escape(notice)}"))
    footer = text_context(_footer(fleet, now=now, simulated=simulated))
    blocks.extend(health_blocks(fleet, max_blocks=MAX_BLOCKS - len(blocks) - 1, now=now))
    blocks.append(footer)
    return View.of(blocks, f"{title}: {headline(fleet)}")


def headline(fleet: FleetHealth) -> str:
    """The fleet in one plain line, for notifications."""
    total = len(fleet.reports)
    if not total:
        return messages.NO_INSTANCES
    alarming = len(fleet.alarming)
    if not alarming:
        return messages.nothing_needs_attention(state_counts(fleet.reports))
    return f"{_attention(alarming, total)} ({state_counts(fleet.reports)})"


def health_blocks(fleet: FleetHealth, *, max_blocks: int, now: datetime) -> list[Block]:
    """Who needs attention (with reasons), then the grid and its legend, in `max_blocks`.

    Ages are said as of `now`: a fleet judged a little earlier shows its backups' true age.
    """
    if max_blocks <= 0:
        return []
    if not fleet.reports:
        return [mrkdwn_section(messages.NO_INSTANCES_TO_JUDGE)]
    blocks = [mrkdwn_section(text) for text in _reason_texts(fleet, room=max_blocks - 3)]
    room = max_blocks - len(blocks)
    rows = [_row(report, now=now, judged_at=fleet.now) for report in fleet.reports]
    title = messages.last_days(len(fleet.days), escape(fleet.zone.key))
    title += state_counts(fleet.reports)
    head = _grid_header(fleet.days)
    first, then = f"{title}\n```{head}", f"```{head}"
    grids, left = _pack(rows, first=first, then=then, end="```", room=0)
    if len(grids) > min(MAX_GRID_SECTIONS, room - 1):
        fit = min(MAX_GRID_SECTIONS, room - 2)
        grids, left = ([], len(rows))
        if fit > 0:
            grids, left = _pack(rows, first=first, then=then, end="```", room=fit)
    blocks.extend(mrkdwn_section(text) for text in grids)
    shown = fleet.reports[: len(fleet.reports) - left]
    if shown and len(blocks) < max_blocks:
        blocks.append(text_context(_legend(shown)))
    if left and len(blocks) < max_blocks:
        hidden = fleet.reports[len(shown) :]
        blocks.append(text_context(_more(hidden)))
    earliest = _earliest(shown, fleet)
    if earliest and len(blocks) < max_blocks:
        blocks.append(text_context(earliest))
    return blocks[:max_blocks]


def _earliest(shown: Sequence[HealthReport], fleet: FleetHealth) -> str:
    """Each instance's earliest restorable point, in the reader's zone ('' if none was read)."""
    points = [
        messages.instance_at(
            name=escape(report.label),
            at=catalogue.moment(
                report.earliest_restorable.astimezone(fleet.zone), messages.DATE_TIME
            ),
        )
        for report in shown
        if report.earliest_restorable is not None
    ]
    listed = catalogue.listed(points)
    return truncate(messages.earliest_points(listed), MAX_SECTION) if points else ""


def state_counts(reports: Sequence[HealthReport]) -> str:
    """How many instances are in each state, worst first: "2 missed, 38 ok"."""
    counts = Counter(report.state for report in reports)
    names = messages.STATE_NAMES
    return messages.in_a_row(
        [messages.counted(counts[state], names[state.value]) for state in State if counts[state]]
    )


def _attention(alarming: int, total: int) -> str:
    return messages.need_attention(alarming, total)


def _footer(fleet: FleetHealth, *, now: datetime, simulated: bool) -> str:
    as_of = fleet.as_of or fleet.now
    parts = [
        code(HEALTH_COMMAND),
        messages.as_of(date_token(as_of, "{time_secs}"), human_age(now - as_of)),
        messages.judged_from(len(fleet.days)),
    ]
    if simulated:
        parts.append(messages.SIMULATED_LABEL)
    return " · ".join(parts)


def _reason_texts(fleet: FleetHealth, *, room: int) -> list[str]:
    """The instances that need attention and why; every instance of a small fleet."""
    alarming = fleet.alarming
    total = len(fleet.reports)
    if alarming:
        title = messages.attention_title(_attention(len(alarming), total))
    else:
        title = messages.NO_INSTANCE_NEEDS_ATTENTION
    listed = fleet.reports if total <= EVERY_REASON_UP_TO else alarming
    if not listed:
        return [title]
    lines = [_reason_line(report) for report in listed]
    texts, left = _pack(
        lines, first=title, then="", end="", room=max(1, min(MAX_REASON_SECTIONS, room))
    )
    if left:
        texts[-1] += "\n" + messages.and_more_counted(left)
    return texts


def _reason_line(report: HealthReport) -> str:
    state = report.state
    reason = escape(truncate(report.reason, REASON_LIMIT))
    # "no backups at all in the last 14 d" says its state already: not twice.
    shown = messages.STATE_NAMES[state.value]
    rest = reason[len(shown) :] if reason.startswith(shown) else messages.then_why(reason)
    return messages.health_line(mark=STATE_MARKS[state], name=code(report.label), state=shown,
                                rest=rest)  # fmt: skip


def _pack(
    lines: Sequence[str], *, first: str, then: str, end: str, room: int
) -> tuple[list[str], int]:
    """`lines` in texts of at most MAX_SECTION characters, the first opened by `first`,
    the others by `then`, each closed by `end`; at most `room` texts (0: no limit).
    Returns the texts and how many lines did not fit."""
    texts: list[str] = []
    current = first
    count = 0
    for index, line in enumerate(lines):
        if count and len(current) + 1 + len(line) + len(end) > MAX_SECTION:
            texts.append(current + end)
            if room and len(texts) >= room:
                return texts, len(lines) - index
            current, count = then, 0
        current = f"{current}\n{line}" if current else line
        count += 1
    texts.append(current + end)
    return texts, 0


def _grid_header(days: Sequence[date]) -> str:
    """Two lines: the first and last day above the marks, and each day's weekday initial."""
    width = len(days)
    first, last = (
        catalogue.moment(datetime.combine(day, time(12), UTC), messages.GRID_DAY)
        for day in (days[0], days[-1])
    )
    dates = f"{first}{last:>{width - len(first)}}" if width > len(first) + len(last) else first
    # One column a day: the initials of the days in Latin letters, in every language.
    initials = "".join(messages.WEEK_INITIALS[day.weekday()] for day in days)
    return (
        messages.grid_columns(_fit(messages.GRID_DATE, LABEL_WIDTH), f"{dates:<{width}}")
        + f"\n{_fit(messages.GRID_INSTANCE, LABEL_WIDTH)} {initials}"
    )


def _row(report: HealthReport, *, now: datetime, judged_at: datetime) -> str:
    """One instance: its name, a mark a day, its last good backup's age, what is allowed."""
    marks = "".join(GRID_MARKS[day.mark] for day in report.timeline)
    later = max(now - judged_at, timedelta(0))
    age = messages.NONE if report.last_good_age is None else human_age(report.last_good_age + later)
    allowed = "-" if report.allowed_age is None else human_age(report.allowed_age)
    state = messages.STATE_NAMES[report.state.value]
    if report.alarming and report.overdue and report.state not in (State.STALE, State.NO_BACKUPS):
        state += messages.OVERDUE
    label = escape(_label(report))
    return f"{label} {marks}  {age:>9}  {allowed:>7}  {state}"


def _label(report: HealthReport) -> str:
    """The instance's label in LABEL_WIDTH columns; a shared name is cut, its id's tail kept."""
    name = report.instance.label.replace("`", "'")
    if not report.id_tail:
        return _fit(name, LABEL_WIDTH)
    tail = messages.with_id_tail("", report.id_tail)  # " (…tail)": the name goes before it
    short = _fit(name, max(LABEL_WIDTH - len(tail), 4)).rstrip()
    return _fit(messages.with_id_tail(short, report.id_tail), LABEL_WIDTH)


def _fit(text: str, width: int) -> str:
    """`text` cut or padded to `width` columns as a monospace font draws them."""
    text = " ".join(text.split())
    used = sum(_width(char) for char in text)
    if used <= width:
        return text + " " * (width - used)
    out, used = "", 0
    for char in text:
        if used + _width(char) > width - 1:
            break
        out, used = out + char, used + _width(char)
    return out + "…" + " " * (width - 1 - used)


def _width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _legend(shown: Sequence[HealthReport]) -> str:
    used = {day.mark for report in shown for day in report.timeline}
    names = messages.MARK_NAMES
    return "  ".join(f"`{GRID_MARKS[mark]}` {names[mark.value]}" for mark in Mark if mark in used)


def _more(hidden: Sequence[HealthReport]) -> str:
    more = messages.more_instances(len(hidden))
    if all(report.state is State.OK for report in hidden):
        return more + messages.ALL_OK
    return f"{more}: {state_counts(hidden)}"
