"""The watch round: each instance's problems followed as incidents, each change posted once.

A poll reads the watched instances' health, and for each one asks `incidents.step` what
it means for the instance's latest incident: open one (its first message), record a
change (a reply in that message's thread, and the message updated to show it), or
nothing. A new watch's first poll is a silent baseline: its problems are recorded as
incidents without a message, and the first change of such an incident is posted as its
first message. Incidents are the channel's: of several watches covering one instance
there, the one following its open incident reports it (store/incidents.py says why
that is exactly once).

Whoever records an opening or a change also claims its post; posts go out in order per
incident, since a reply needs its first message's ts. A post whose owner went quiet is
taken over after the lease (its words are in the store, so it says the same). A crash
after Slack accepted a post but before its row says so repeats that one post.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from bot import messages
from bot.core.answering.engine import Engines
from bot.core.clock import Clock
from bot.core.health.reports import FleetHealth
from bot.errors import BackupbotError, ChannelGone, DeliveryFailed, MessageGone
from bot.schedule.incidents import (
    Change,
    Incident,
    Opening,
    Transition,
    instance_key,
    profile_key,
    step,
)
from bot.schedule.outbox import Outbox
from bot.schedule.rounds import Allowed, ScheduleConfig, Stopping, TickReport
from bot.schedule.store import Hold, IncidentRecords, Pending, Subscription, WatchRecords

log = logging.getLogger("backupbot.schedule")


class WatchRound:
    """Polls watches, records their incidents and posts each change exactly once."""

    def __init__(
        self,
        *,
        watches: WatchRecords,
        incidents: IncidentRecords,
        engines: Engines,
        outbox: Outbox,
        stopping: Stopping,
        clock: Clock,
        worker: str,
        config: ScheduleConfig,
        allowed: Allowed,
    ) -> None:
        self._watches = watches
        self._incidents = incidents
        self._engines = engines
        self._outbox = outbox
        self._stopping = stopping
        self._clock = clock
        self._worker = worker
        self._config = config
        self._allowed = allowed
        self._baselined: set[int] = set()  # watches whose first poll (silent baseline) is done

    async def poll(self, subscription: Subscription, now: datetime, report: TickReport) -> None:
        """Read the watch's health, record what changed, and post what this replica claimed."""
        query = subscription.query
        try:
            health = await self._engines.engine(query.profile).health(query.targets)
        except BackupbotError as error:
            log.warning("watch %s could not read backups: %s", subscription.id, error)
        except Exception:
            # A bug: this poll judges nothing, but what was claimed before is still posted.
            report.failed.append(subscription.id)
            log.exception("watch #%s: unexpected error reading health", subscription.id)
        else:
            await self._record(subscription, health, now)
        await self._watches.reclaim_stale_alerts(
            subscription.id, worker=self._worker, now=now, claimed_before=now - self._config.lease
        )
        await self._deliver(subscription, now, report)

    async def _record(self, subscription: Subscription, fleet: FleetHealth, now: datetime) -> None:
        """Open and change incidents as this poll's health says, claiming their posts.

        The incidents are the channel's: an instance whose open incident another watch of
        the channel follows is that watch's to report. The health is at most `health_age`
        older than `now`, when the poll began; what it records is stamped when recorded,
        after the read, so it is never older than that.
        """
        channel = subscription.channel_id
        key = profile_key(subscription.profile, self._engines.default)
        latest = await self._incidents.channel_incidents(
            channel, profile=key, watch=subscription.id
        )
        steps = []
        for health in fleet.reports:
            incident = latest.get(instance_key(health))
            if incident and incident.is_open and incident.subscription_id != subscription.id:
                continue
            steps.append(step(incident, health, now=now, max_age=self._config.health_age))
        if subscription.id not in self._baselined:
            openings = [found for found in steps if isinstance(found, Opening)]
            first = await self._incidents.take_baseline(
                subscription.id, openings, channel_id=channel, profile=key, worker=self._worker,
                now=self._clock(),
            )  # fmt: skip
            self._baselined.add(subscription.id)  # by this poll, or by another replica's
            if first:
                return
        for found in steps:
            if isinstance(found, Opening):
                await self._incidents.open_incident(
                    subscription.id, found, channel_id=channel, profile=key, worker=self._worker,
                    now=self._clock(),
                )  # fmt: skip
            elif isinstance(found, Change):
                await self._incidents.change_incident(found, worker=self._worker, now=self._clock())

    async def _deliver(self, subscription: Subscription, now: datetime, report: TickReport) -> None:
        """Post what this replica claimed, in order per incident: an incident whose earliest
        unposted change is another replica's (in flight) waits for it."""
        ready: list[Pending] = []
        waiting: set[int] = set()
        for item in await self._incidents.pending_transitions(subscription.id):
            if item.claimed_by != self._worker:
                waiting.add(item.incident.id)
            elif item.incident.id not in waiting:
                ready.append(item)
        if not ready:
            return
        if not await self._allowed(subscription):
            await self._stopping.disable(subscription, messages.ACCESS_NO_LONGER_ALLOWS, report)
            for item in ready:
                await self._watches.finish_alert(
                    subscription.id, item.transition.key, hold=item.hold, status="failed", now=now
                )
            return
        posted: dict[int, str] = {}  # first messages posted just now, by incident
        for item in ready:
            incident = item.incident
            if incident.id in posted:
                incident = replace(incident, message_ts=posted[incident.id])
            # Each post gets a whole lease of its own, however long the ones before took.
            hold = await self._watches.renew_alert(
                subscription.id, item.transition.key, item.hold, now=self._clock()
            )
            if hold is None:
                return  # taken over meanwhile: its new owner posts it, and what follows
            ts = await self._post(subscription, incident, item.transition, hold, report)
            if ts is None:
                return  # Slack failed: the rest waits for the next try
            posted[incident.id] = ts

    async def _post(
        self,
        subscription: Subscription,
        incident: Incident,
        transition: Transition,
        hold: Hold,
        report: TickReport,
    ) -> str | None:
        """Post one change: the incident's first message if it has none yet, else a reply in
        its thread after updating it, and record it if its claim (`hold`) is still ours.
        Its first message's ts, or None if Slack failed or the claim was taken over."""
        channel = incident.channel_id or subscription.channel_id
        try:
            if incident.message_ts is None:
                ts = message = await self._outbox.incident(subscription, incident)
                # The time it was recorded: from Slack accepting it to this row saying so, a
                # crash means a repeat (the window tests/test_replicas.py measures).
                recorded = await self._incidents.record_first_message(
                    transition, subscription_id=subscription.id, hold=hold, message_ts=ts,
                    now=self._clock(),
                )  # fmt: skip
            else:
                ts = incident.message_ts
                await self._update(subscription, incident)
                message = await self._outbox.incident_change(subscription, incident, transition)
                recorded = await self._watches.finish_alert(
                    subscription.id, transition.key, hold=hold, status="posted", now=self._clock()
                )
        except ChannelGone as gone:
            await self._stopping.disable(subscription, gone.said, report, channel_gone=True)
            await self._watches.finish_alert(
                subscription.id, transition.key, hold=hold, status="failed", now=self._clock()
            )
            return None
        except DeliveryFailed as failure:
            log.warning(
                "%s of watch %s not delivered (%s): will retry",
                transition.key,
                subscription.id,
                failure,
            )
            return None
        if not recorded:
            what = f"{transition.key} of watch #{subscription.id}"
            await self._stopping.withdraw(channel, message, what=what)
            return None
        report.alerts.append((subscription.id, transition.key))
        return ts

    async def _update(self, subscription: Subscription, incident: Incident) -> None:
        """Show the incident's state in its first message; one that is gone holds nothing up."""
        try:
            await self._outbox.incident_update(subscription, incident)
        except MessageGone as gone:
            log.warning(
                "incident %s of watch %s: its message cannot be updated (%s); replying anyway",
                incident.id,
                subscription.id,
                gone,
            )
