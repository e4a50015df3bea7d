"""Restore answers in Block Kit: the verdict in words first, then the base backup, the
table, and the parameters a restore request takes; without a time, the timeline."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot import messages
from bot.core.answering.restore import RestoreAnswer
from bot.core.human import human_age, human_duration, human_size
from bot.core.restore.ranges import Span
from bot.core.restore.verdict import PointAnswer, Restorability, TableVerdict
from bot.messages import catalogue
from bot.slack.blocks import View, code, escape, header, mrkdwn_section, text_context, truncate

UTC_ZONE = ZoneInfo("UTC")
MAX_LINES = 30  # timeline lines shown; a section holds 3,000 characters
YES, NO = ":white_check_mark:", ":x:"


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return catalogue.moment(moment.astimezone(zone), messages.RESTORE_STAMP)


def _both(moment: datetime, zone: ZoneInfo) -> str:
    """A moment in the asker's zone with UTC beside (its date too, when that differs)."""
    local, utc = moment.astimezone(zone), moment.astimezone(UTC)
    same_day = utc.date() == local.date()
    pattern = messages.UTC_STAMP_SAME_DAY if same_day else messages.UTC_STAMP_OTHER_DAY
    return messages.moment_with_utc(
        local=_local(moment, zone), zone=escape(zone.key), utc=catalogue.moment(utc, pattern)
    )


def restore_view(answer: RestoreAnswer, *, now: datetime) -> View:
    """The answer to a restore question."""
    if answer.point is None:
        return _timeline(answer.ranges, zone=answer.zone, requests=answer.requests)
    return _point(answer.point, zone=answer.zone, now=now, requests=answer.requests)


def _point(verdict: PointAnswer, *, zone: ZoneInfo, now: datetime, requests: int) -> View:
    ranges = verdict.ranges
    name = escape(ranges.instance_name)
    said = messages.restore_yes if verdict.restorable else messages.restore_no
    point = {
        "local": _local(verdict.point, zone),
        "zone": escape(zone.key),
        "utc": _local(verdict.point, UTC_ZONE),
    }
    lines = [f"{YES if verdict.restorable else NO} {said(instance=name, **point)}"]
    if verdict.holding is not None:
        lines.append(_range_line(verdict.holding, zone=zone, now=now))
        lines.append(_base(verdict, zone=zone))
    else:
        lines.extend(_why_not(verdict, zone=zone, now=now))
    if verdict.table is not None:
        lines.append(_table(verdict.table))
    if ranges.unreadable:
        lines.append(messages.ranges_unreadable(ranges.unreadable))
    blocks = [header(messages.RESTORE_TITLE), mrkdwn_section("\n".join(lines))]
    if verdict.restorable:
        params = {
            "source_instance_id": ranges.instance_id,
            "type": "timestamp",
            "restore_time": verdict.restore_time_ms,
        }
        blocks.append(
            mrkdwn_section(f"{messages.RESTORE_PARAMS_INTRO}\n```{json.dumps(params)}```")
        )
    blocks.append(text_context(messages.READ_ONLY_FOOTER, messages.restore_requests(requests)))
    text = said(instance=ranges.instance_name, **point)
    return View.of(blocks=blocks, text=truncate(text, 300))


def _range_line(span: Span, *, zone: ZoneInfo, now: datetime) -> str:
    return messages.restorable_from_to(
        start=_both(span.start, zone), end=_both(span.end, zone), ago=human_age(now - span.end)
    )


def _base(verdict: PointAnswer, *, zone: ZoneInfo) -> str:
    base, replay = verdict.base, verdict.replay
    if base is None or base.end_time is None or replay is None:
        return messages.NO_FULL_BACKUP_LISTED
    return messages.restore_starts_from(
        name=code(base.name or base.id),
        ended=_both(base.end_time, zone),
        size=human_size(float(base.size)) if base.size is not None else messages.SIZE_UNKNOWN,
        replay=human_duration(int(replay.total_seconds() // 60)),
    )


def _why_not(verdict: PointAnswer, *, zone: ZoneInfo, now: datetime) -> list[str]:
    ranges = verdict.ranges
    if not ranges.spans:
        return [messages.NO_RANGES_IN_RETENTION]
    lines = []
    if verdict.before is None and verdict.after is not None:
        lines.append(
            messages.earliest_point_is(at=_both(verdict.after.start, zone), days=ranges.keep_days)
        )
        return lines
    if verdict.after is None and verdict.before is not None:
        end = verdict.before.end
        lines.append(messages.newest_point_is(at=_both(end, zone), ago=human_age(now - end)))
        return lines
    if verdict.before is not None and verdict.after is not None:
        lines.append(messages.nearest_before(_both(verdict.before.end, zone)))
        lines.append(messages.nearest_after(_both(verdict.after.start, zone)))
        lines.append(
            messages.gap_around(
                after=_both(verdict.before.end, zone), before=_both(verdict.after.start, zone)
            )
        )
        if verdict.last_log is not None:
            lines.append(
                messages.last_log_before_gap(
                    name=code(verdict.last_log.name), ended=_both(verdict.last_log.end, zone)
                )
            )
    return lines


def _table(table: TableVerdict) -> str:
    name = code(table.name.text)
    if table.existed is None:
        return messages.TABLE_NOT_CHECKED
    if table.existed:
        if table.exists_now is False:
            return messages.table_existed_now_gone(name)
        return messages.table_existed_and_exists(name)
    if table.near:
        near = catalogue.alternatives([code(other) for other in table.near])
        return messages.table_did_not_exist_near(name, near)
    return messages.table_did_not_exist(name)


def _timeline(ranges: Restorability, *, zone: ZoneInfo, requests: int) -> View:
    """The ranges of the retention window, newest first, gaps marked."""
    title = messages.timeline_title(ranges.instance_name, ranges.keep_days)
    lines: list[str] = []
    gaps: set[int] = set()  # which lines are gaps: a hidden range is counted, a gap is not
    spans = list(ranges.spans)
    for index in range(len(spans) - 1, -1, -1):
        span = spans[index]
        lines.append(
            messages.restorable_range(start=_both(span.start, zone), end=_both(span.end, zone))
        )
        if index > 0:
            gaps.add(len(lines))
            lines.append(
                messages.restore_gap_line(
                    after=_both(spans[index - 1].end, zone), before=_both(span.start, zone)
                )
            )
    if len(lines) > MAX_LINES:
        hidden = sum(1 for at in range(MAX_LINES, len(lines)) if at not in gaps)
        lines = [*lines[:MAX_LINES], messages.more_ranges(hidden)]
    if not lines:
        lines = [messages.NO_RANGES_IN_RETENTION]
    context = [messages.times_in_zone(escape(zone.key))]
    if ranges.earliest is not None:
        context.append(messages.earliest_restorable(_both(ranges.earliest, zone)))
    if ranges.unreadable:
        context.append(messages.ranges_unreadable(ranges.unreadable))
    context.append(messages.restore_requests(requests))
    blocks = [
        header(truncate(title, 150)),
        mrkdwn_section("\n".join(lines)),
        text_context(*context),
    ]
    return View.of(blocks=blocks, text=truncate(title, 300))
