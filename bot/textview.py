"""An Answer as readable terminal text, for `backupbot query`."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.backup import Backup, BackupStatus
from bot.core.engine import Answer
from bot.core.summary import human_age, human_duration, human_size, sparkline

MARKS = {
    BackupStatus.FAILED: "✖",
    BackupStatus.BUILDING: "◐",
    BackupStatus.COMPLETED: "✔",
    BackupStatus.AVAILABLE: "✔",
    BackupStatus.UNKNOWN: "?",
}
COLOURS = {
    BackupStatus.FAILED: "31",
    BackupStatus.BUILDING: "33",
    BackupStatus.COMPLETED: "32",
    BackupStatus.AVAILABLE: "32",
    BackupStatus.UNKNOWN: "0",
}


class Painter:
    """ANSI colours when writing to a terminal, plain text otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text


def status_text(status: BackupStatus) -> str:
    """A status with its mark, e.g. '✖ FAILED'."""
    return f"{MARKS[status]} {status.value}"


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _row(backup: Backup, *, now: datetime, zone: ZoneInfo, paint: Painter) -> str:
    status = paint(f"{status_text(backup.status):<11}", COLOURS[backup.status])
    size = human_size(backup.size or 0) if backup.status.is_good else "-"
    took = human_duration(backup.take_up_time)
    if backup.status is BackupStatus.BUILDING:
        took = f"{human_age(now - backup.begin_time)} so far"
    return (
        f"  {status} {_local(backup.begin_time, zone)}  {backup.instance_name:<16} "
        f"{backup.type:<6} {took:>11} {size:>9}  {backup.name}"
    )


def render_answer(answer: Answer, *, now: datetime, zone: ZoneInfo, colour: bool = False) -> str:
    """The whole answer: header, summary, warnings, the page of backups, the context line."""
    paint = Painter(colour)
    summary = answer.summary
    lines = [paint(f"Backups: {answer.text or 'all instances'}", "1")]
    window = answer.window.label + (" (default)" if answer.query.window is None else "")
    scope = "" if summary.complete else f" (newest {summary.total} read)"
    counts = ", ".join(
        paint(f"{count} {status.value.lower()}", COLOURS[status])
        for status, count in summary.counts
    )
    lines.append(f"{window}: {counts or 'no backups'}{scope}")
    if summary.total_size_mb:
        lines.append(f"good backups total {human_size(summary.total_size_mb)}")
    for health in summary.stale:
        lines.append(paint(f"⚠ {health.name}: {health.staleness(now)}", "33"))
    for empty in answer.empty_targets:
        newest = empty.newest.begin_time
        lines.append(
            f"• {empty.target.value} has no backups {answer.window.phrase}; its newest is "
            f"from {_local(newest, zone)} ({human_age(now - newest)} ago)"
        )
    trends = [
        f"{health.name} {sparkline(health.sizes)} {human_size(health.sizes[-1])}"
        for health in summary.instances
        if len(answer.query.targets) == 1 and sparkline(health.sizes)
    ]
    lines.extend(f"size trend: {trend}" for trend in trends)
    lines.append("")
    if answer.backups:
        lines.extend(_row(b, now=now, zone=zone, paint=paint) for b in answer.backups)
    else:
        lines.append("  (no backups match)")
    lines.append("")
    freshness = (
        f"as of {answer.as_of.astimezone(zone):%H:%M:%S}, {human_age(now - answer.as_of)} ago"
    )
    lines.append(
        paint(
            f"{answer.text or 'all'} · page {answer.page + 1} of {answer.page_count} · "
            f"{answer.matches} match{'es' if answer.matches != 1 else ''} · {freshness}"
            f" · times in {zone.key}",
            "2",
        )
    )
    return "\n".join(lines)
