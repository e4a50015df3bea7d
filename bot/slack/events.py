"""Answering each Slack event once: Slack retries events it thinks we missed, and a retry
may reach another replica. Each event id is claimed in the shared store (and remembered
here); a store that cannot be written does not silence the bot: the event is answered,
at worst twice."""

from __future__ import annotations

import logging
from datetime import timedelta

from cachetools import TTLCache

from bot.core.clock import Clock
from bot.errors import StorageError
from bot.metrics import Metrics
from bot.schedule.store import EventRecords

log = logging.getLogger("backupbot.slack")
# Slack retries an event for a few minutes; its id is claimed (across replicas) for longer.
EVENT_CLAIM = timedelta(hours=1)


class EventClaims:
    """Tells a new event from one already answered, here or by another replica."""

    def __init__(
        self, *, events: EventRecords, worker: str, clock: Clock, metrics: Metrics
    ) -> None:
        self.events = events
        self.worker = worker
        self.clock = clock
        self.metrics = metrics
        self._seen: TTLCache[str, bool] = TTLCache(maxsize=10_000, ttl=3600)

    async def duplicate(self, event_id: str) -> bool:
        """Whether the event `event_id` was answered already (an event without one: no)."""
        if not event_id:
            return False
        first = event_id not in self._seen
        self._seen[event_id] = True
        if first:
            try:
                first = await self.events.claim_event(
                    event_id, worker=self.worker, now=self.clock(), keep=EVENT_CLAIM
                )
            except StorageError as error:
                log.warning("event %s not de-duplicated across replicas: %s", event_id, error)
        self.metrics.slack_events.labels("new" if first else "duplicate").inc()
        if not first:
            log.info("ignoring retried event %s", event_id)
        return not first
