"""Digest sends: each digest of a local date claimed once, then posted, missed or failed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import ColumnElement, RowMapping, select, update

from bot.schedule.database import insert_new
from bot.schedule.schema import digest_sends
from bot.schedule.store.holds import Hold, held_write, renew_held, update_held
from bot.schedule.store.transactions import Part

SendStatus = Literal["claimed", "posted", "missed", "missed_reported", "failed"]


@dataclass(frozen=True)
class DigestSend:
    """One digest for one local date: claimed, posted, missed or failed."""

    subscription_id: int
    local_date: date
    status: SendStatus
    claimed_by: str
    claimed_at: datetime
    attempts: int
    posted_at: datetime | None
    error: str | None

    @property
    def hold(self) -> Hold:
        """The claim as its owner holds it."""
        return Hold(self.claimed_by, self.claimed_at)


def _send(row: RowMapping) -> DigestSend:
    return DigestSend(
        subscription_id=row["subscription_id"],
        local_date=row["local_date"],
        status=row["status"],
        claimed_by=row["claimed_by"],
        claimed_at=row["claimed_at"],
        attempts=row["attempts"],
        posted_at=row["posted_at"],
        error=row["error"],
    )


def _send_of(subscription_id: int, local_date: date) -> tuple[ColumnElement[bool], ...]:
    """The row of a subscription's digest of a local date."""
    return (
        digest_sends.c.subscription_id == subscription_id,
        digest_sends.c.local_date == local_date,
    )


class DigestSendRecords(Part):
    """Claims on digests, and how each send ended."""

    async def claim_send(
        self, subscription_id: int, local_date: date, *, worker: str, now: datetime
    ) -> bool:
        """Claim the digest of `local_date`; True for exactly one claimer, ever."""
        return await self._insert_send(
            subscription_id, local_date, status="claimed", worker=worker, now=now
        )

    async def record_missed(
        self, subscription_id: int, local_date: date, *, worker: str, now: datetime
    ) -> bool:
        """Record that a digest was not sent in time; True if this call recorded it."""
        return await self._insert_send(
            subscription_id, local_date, status="missed", worker=worker, now=now
        )

    async def _insert_send(
        self,
        subscription_id: int,
        local_date: date,
        *,
        status: SendStatus,
        worker: str,
        now: datetime,
    ) -> bool:
        values = {
            "subscription_id": subscription_id, "local_date": local_date, "status": status,
            "claimed_by": worker, "claimed_at": now,
        }  # fmt: skip
        return await self._db.claim(
            lambda connection: insert_new(connection, digest_sends, values=values)
        )

    async def reclaim_stale_send(
        self,
        subscription_id: int,
        local_date: date,
        *,
        worker: str,
        now: datetime,
        claimed_before: datetime,
    ) -> bool:
        """Take over a claim whose owner went quiet before `claimed_before` (it crashed)."""
        statement = (
            update(digest_sends)
            .where(
                digest_sends.c.subscription_id == subscription_id,
                digest_sends.c.local_date == local_date,
                digest_sends.c.status == "claimed",
                digest_sends.c.claimed_at < claimed_before,
            )
            .values(claimed_by=worker, claimed_at=now, attempts=digest_sends.c.attempts + 1)
        )
        return await self._db.claim(lambda connection: connection.execute(statement).rowcount == 1)

    async def renew_send(
        self, subscription_id: int, local_date: date, hold: Hold, *, now: datetime
    ) -> Hold | None:
        """Renew a claim still held as `hold`, for a whole lease from `now`; None if it was
        taken over (or finished) meanwhile."""
        return await renew_held(
            self._db, digest_sends, hold, *_send_of(subscription_id, local_date), now=now
        )

    async def finish_send(
        self,
        subscription_id: int,
        local_date: date,
        *,
        hold: Hold,
        status: SendStatus,
        now: datetime,
        message_ts: str | None = None,
        error: str | None = None,
    ) -> bool:
        """Record how a claimed send ended, if the claim is still held as `hold`; False if
        it was taken over (the new owner records it)."""
        statement = update_held(digest_sends, hold, *_send_of(subscription_id, local_date))
        return await held_write(
            self._db,
            statement.values(
                status=status,
                posted_at=now if status == "posted" else None,
                message_ts=message_ts,
                error=error,
            ),
        )

    async def of(self, subscription_id: int) -> list[DigestSend]:
        """Every send of a subscription, oldest date first."""
        query = (
            select(digest_sends)
            .where(digest_sends.c.subscription_id == subscription_id)
            .order_by(digest_sends.c.local_date)
        )
        return await self._db.read(
            lambda connection: [_send(row) for row in connection.execute(query).mappings()]
        )

    async def stale_claims(self, *, claimed_before: datetime) -> list[DigestSend]:
        """Claims never finished whose owner has been quiet since before `claimed_before`."""
        query = select(digest_sends).where(
            digest_sends.c.status == "claimed", digest_sends.c.claimed_at < claimed_before
        )
        return await self._db.read(
            lambda connection: [_send(row) for row in connection.execute(query).mappings()]
        )

    async def unreported_misses(self, subscription_id: int) -> list[date]:
        """Local dates whose digest was missed and not yet mentioned in a later digest."""
        query = (
            select(digest_sends.c.local_date)
            .where(
                digest_sends.c.subscription_id == subscription_id,
                digest_sends.c.status == "missed",
            )
            .order_by(digest_sends.c.local_date)
        )
        return await self._db.read(lambda connection: list(connection.execute(query).scalars()))

    async def mark_misses_reported(self, subscription_id: int, dates: Sequence[date]) -> None:
        """Misses mentioned in a digest are not mentioned again."""
        if not dates:
            return
        statement = (
            update(digest_sends)
            .where(
                digest_sends.c.subscription_id == subscription_id,
                digest_sends.c.local_date.in_(list(dates)),
                digest_sends.c.status == "missed",
            )
            .values(status="missed_reported")
        )
        await self._db.write(lambda connection: connection.execute(statement))
