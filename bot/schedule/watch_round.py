"""The watch round: each new failure, each instance going stale and each recovery posted
once; a new watch's first poll is a silent baseline."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.core.backup import BackupStatus
from bot.errors import ChannelGone, DeliveryFailed, UpstreamError, UserError
from bot.schedule.outbox import Alert, FailureAlert, RecoveredAlert, StaleAlert
from bot.schedule.rounds import Round, TickReport
from bot.schedule.store import Subscription

log = logging.getLogger("backupbot.schedule")
BASELINE_KEY = "watch:baseline"


class WatchRound(Round):
    """Polls watches and posts the alerts they find, each exactly once."""

    async def _poll_watch(
        self, subscription: Subscription, now: datetime, report: TickReport
    ) -> None:
        query = subscription.query
        try:
            fleet = await self.engines.engine(query.profile).health(query.targets)
        except (UpstreamError, UserError) as error:
            log.warning("watch %s could not read backups: %s", subscription.id, error)
            return
        health = await self.store.health(subscription.id)
        # A new watch reports only what happens from now on: its first poll records what
        # it found as a silent baseline (the marker row says the baseline exists).
        baseline = await self.store.claim_alert(
            subscription.id, BASELINE_KEY, worker=self.worker, now=now, status="baseline"
        )
        due: list[tuple[str, Alert]] = []
        for backup in reversed(fleet.backups):  # oldest first, so alerts read in order
            if backup.status is BackupStatus.FAILED:
                due.append((f"failed:{backup.id}", FailureAlert(backup)))
        for instance in fleet.instances:
            was_stale = health.get(instance.name)
            if instance.stale and not was_stale:
                marker = instance.last_good.id if instance.last_good else "none"
                due.append((f"stale:{instance.name}:{marker}", StaleAlert(instance)))
            elif not instance.stale and was_stale and instance.last_good is not None:
                due.append(
                    (f"recovered:{instance.name}:{instance.last_good.id}", RecoveredAlert(instance))
                )
            if was_stale is None or was_stale != instance.stale:
                await self.store.set_health(
                    subscription.id, instance.name, stale=instance.stale, now=now
                )
        retry = set(
            await self.store.reclaim_stale_alerts(
                subscription.id, worker=self.worker, now=now, claimed_before=now - self.config.lease
            )
        )
        for key, alert in due:
            if baseline:
                await self.store.claim_alert(
                    subscription.id, key, worker=self.worker, now=now, status="baseline"
                )
                continue
            claimed = key in retry or await self.store.claim_alert(
                subscription.id, key, worker=self.worker, now=now
            )
            if claimed and not await self._post_alert(subscription, key, alert, now, report):
                return

    async def _post_alert(
        self, subscription: Subscription, key: str, alert: Alert, now: datetime, report: TickReport
    ) -> bool:
        try:
            await self.outbox.alert(subscription, alert, now=now)
        except ChannelGone as gone:
            await self._disable(subscription, gone.reason, report)
            await self.store.finish_alert(subscription.id, key, status="failed", now=now)
            return False
        except DeliveryFailed as failure:
            log.warning(
                "alert %s of watch %s not delivered (%s): will retry", key, subscription.id, failure
            )
            return False
        await self.store.finish_alert(subscription.id, key, status="posted", now=self.clock())
        report.alerts.append((subscription.id, key))
        return True
