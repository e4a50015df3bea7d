"""What watches claim: their silent baseline and each post, once across replicas; a claim
whose owner went quiet is taken over by exactly one other."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from bot.schedule.database import insert_new
from bot.schedule.incidents import Incident
from bot.schedule.schema import alerts, subscriptions
from bot.schedule.store.handover import release
from bot.schedule.store.holds import Hold, alert_claim, held_write, renew_held, update_held
from bot.schedule.store.subscriptions import Subscription, subscription_of
from bot.schedule.store.transactions import Part


def _alert_of(subscription_id: int, key: str) -> tuple[ColumnElement[bool], ...]:
    """The row of a watch's claim `key`."""
    return alerts.c.subscription_id == subscription_id, alerts.c.alert_key == key


class WatchRecords(Part):
    """A watch's claims (who posts what, and how each post ended), and a watch that stops:
    removed or turned off, its open incidents handed over or closed (handover.py)."""

    async def claim_alert(
        self, subscription_id: int, key: str, *, worker: str, now: datetime, status: str = "claimed"
    ) -> bool:
        """Claim a post; True for exactly one claimer. `status` 'baseline' records silently."""
        values = alert_claim(subscription_id, key, status=status, worker=worker, now=now)
        return await self._db.claim(
            lambda connection: insert_new(connection, alerts, values=values)
        )

    async def renew_alert(
        self, subscription_id: int, key: str, hold: Hold, *, now: datetime
    ) -> Hold | None:
        """Renew a post's claim still held as `hold`, for a whole lease from `now`; None if
        it was taken over (or finished) meanwhile."""
        return await renew_held(self._db, alerts, hold, *_alert_of(subscription_id, key), now=now)

    async def finish_alert(
        self, subscription_id: int, key: str, *, hold: Hold, status: str, now: datetime
    ) -> bool:
        """Record how a claimed post ended ('posted' or 'failed'), if the claim is still held
        as `hold`; False if it was taken over (the new owner records it)."""
        statement = update_held(alerts, hold, *_alert_of(subscription_id, key))
        return await held_write(self._db, statement.values(status=status, posted_at=now))

    async def reclaim_stale_alerts(
        self, subscription_id: int, *, worker: str, now: datetime, claimed_before: datetime
    ) -> list[str]:
        """Take over alerts claimed but never finished by a worker that went quiet.

        Each stale claim goes to exactly one caller, however many ask at once.
        """
        stale = and_(
            alerts.c.subscription_id == subscription_id,
            alerts.c.status == "claimed",
            alerts.c.claimed_at < claimed_before,
        )
        take = update(alerts).values(claimed_by=worker, claimed_at=now)

        def reclaim(connection: Connection) -> list[str]:
            if connection.dialect.update_returning:
                taken = connection.execute(take.where(stale).returning(alerts.c.alert_key))
                return sorted(taken.scalars())
            locked = connection.execute(
                select(alerts.c.alert_key).where(stale).with_for_update(skip_locked=True)
            )
            keys = sorted(locked.scalars())
            if keys:
                connection.execute(take.where(stale, alerts.c.alert_key.in_(keys)))
            return keys

        try:
            return await self._db.write(reclaim)
        except IntegrityError:  # pragma: no cover - an UPDATE of non-key columns
            return []

    async def watches_with_abandoned_alerts(self, *, claimed_before: datetime) -> set[int]:
        """Watches holding alert claims whose owner went quiet: poll them again now."""
        query = (
            select(alerts.c.subscription_id)
            .where(alerts.c.status == "claimed", alerts.c.claimed_at < claimed_before)
            .distinct()
        )
        return await self._db.read(lambda connection: set(connection.execute(query).scalars()))

    async def remove_watch(
        self, subscription_id: int, *, default_profile: str, now: datetime
    ) -> list[Incident] | None:
        """Remove a watch (its history goes with it), handing its open incidents over; the
        ones closed instead, as they were before (None: there is no such watch)."""

        def remove(connection: Connection) -> list[Incident] | None:
            row = connection.execute(
                select(subscriptions).where(subscriptions.c.id == subscription_id)
            ).mappings()
            found = row.first()
            if found is None:
                return None
            closed = release(
                connection, subscription_of(found), default_profile=default_profile, now=now
            )
            connection.execute(delete(subscriptions).where(subscriptions.c.id == subscription_id))
            return closed

        return await self._db.write(remove)

    async def disable_watch(
        self, watch: Subscription, reason: str, *, default_profile: str, now: datetime
    ) -> list[Incident]:
        """Turn a watch off, remembering why, handing its open incidents over; the ones
        closed instead, as they were before."""

        def disable(connection: Connection) -> list[Incident]:
            connection.execute(
                update(subscriptions)
                .where(subscriptions.c.id == watch.id)
                .values(enabled=False, disabled_reason=reason)
            )
            return release(connection, watch, default_profile=default_profile, now=now)

        return await self._db.write(disable)
