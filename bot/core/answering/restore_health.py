"""Health knows restorability: each instance's earliest restorable point, and a *restore
gap* when its ranges inside the retention window are two or more.

One read per instance judged (its ranges over `keep_days`), cached for the inventory's
TTL (ranges change in minutes) and shared with restore questions; a denial is kept as
long, so a fleet without the permission costs one refused request per TTL. A failed
read never fails health: the instance is judged without it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import messages
from bot.core.answering.restore import DEFAULT_KEEP_DAYS, Restorer
from bot.core.health.instances import BackupPolicy, PolicyRead
from bot.core.health.reports import SEVERITY, FleetHealth, HealthReport, State
from bot.core.restore.verdict import Restorability
from bot.errors import InvalidRequest, PermissionDenied, UpstreamError
from bot.messages import catalogue
from bot.messages.catalogue import english

log = logging.getLogger("backupbot.restore")
UNAFFECTED = (State.NO_BACKUPS, State.NO_AUTOMATED, State.NOT_NORMAL)  # nothing to restore
# Ranges read at once, like the policies (the transport's bound): a fleet of hundreds
# must not open hundreds of requests to the API at the same moment.
RANGE_READS_AT_ONCE = 8


def _keep_days(policy: PolicyRead | None) -> int:
    if isinstance(policy, BackupPolicy) and policy.keep_days:
        return policy.keep_days
    return DEFAULT_KEEP_DAYS


def _at(moment: datetime, zone: ZoneInfo) -> str:
    return catalogue.moment(moment.astimezone(zone), messages.DATE_TIME)


async def with_restorability(
    fleet: FleetHealth, policies: Mapping[str, PolicyRead], *, restorer: Restorer
) -> tuple[FleetHealth, int]:
    """`fleet` with each instance's earliest restorable point and its restore gap, if any;
    and the requests it took."""
    wanted = [report for report in fleet.reports if report.state not in UNAFFECTED]
    if not wanted or restorer.denied:
        return fleet, 0
    spent = [0]
    gate = asyncio.Semaphore(RANGE_READS_AT_ONCE)

    async def read(report: HealthReport) -> Restorability | None:
        instance = report.instance
        try:
            async with gate:
                return await restorer.restorability(
                    instance.id,
                    instance.label,
                    _keep_days(policies.get(instance.id)),
                    spent,
                )
        except PermissionDenied as denied:
            restorer.deny(denied)
        except UpstreamError as error:
            log.warning("Restorable times of %s unread: %s", instance.id, english(error.said))
        except InvalidRequest as error:  # an id the API would refuse: nothing was sent
            log.warning("Restorable times of %s not asked: %s", instance.id, english(error.said))
        return None

    read_now = await asyncio.gather(*(read(report) for report in wanted))
    found = {report.instance.id: ranges for report, ranges in zip(wanted, read_now, strict=True)}
    reports = [
        _judged(report, found.get(report.instance.id), fleet.zone) for report in fleet.reports
    ]
    reports.sort(key=lambda report: SEVERITY[report.state])
    return replace(fleet, reports=tuple(reports)), spent[0]


def _judged(report: HealthReport, ranges: Restorability | None, zone: ZoneInfo) -> HealthReport:
    if ranges is None:
        return report
    report = replace(report, earliest_restorable=ranges.earliest)
    gaps = ranges.gaps
    if not gaps or SEVERITY[report.state] <= SEVERITY[State.RESTORE_GAP]:
        return report
    last = gaps[-1]
    reason = messages.restore_gap_reason(
        after=_at(last.after, zone), before=_at(last.before, zone), count=len(gaps)
    )
    return replace(report, state=State.RESTORE_GAP, reason=reason, gap_began=last.after)
