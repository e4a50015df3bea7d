"""Incidents, recorded so that any replica can continue one: its changes, its message.

One incident per instance per channel, whichever watches there cover the instance, and
each of its changes posted once, across watches as across replicas:

- Opening an incident is a claim: its row holds the instance in a unique key on
  (channel, profile, instance) while it is open, so of several replicas and watches
  seeing the same problem in one channel, one opens it (the insert skips a key already
  held: its caller learns it opened nothing).
- The watch that opened it follows it (`subscription_id`): only that watch records its
  changes. Another watch of the channel covering the instance leaves it alone while it
  is open; a closed one is anybody's history, and the next problem opens a new one.
  A watch removed or turned off hands its open incidents to another watch of the
  channel that covers the instance, or closes them (handover.py): an incident is never
  left followed by nobody.
- Changing one is a conditional UPDATE on the number of changes recorded so far, so of
  several replicas seeing the same change one records it.

Either way the winner also writes, in the same transaction, the change's words and the
claim of its post ("incident:ID:N" in `alerts`, under the following watch): whoever
records a change posts it, and a post whose owner went quiet is taken over like any
claim. A watch's first poll (its baseline) records what it finds silently, in the same
way, and skips the instances whose incident another watch already holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.engine import Connection

from bot.schedule.database import insert_new
from bot.schedule.incidents import (
    Change,
    Incident,
    Opening,
    Transition,
    parse_transition_key,
)
from bot.schedule.schema import alerts, incident_changes, incidents
from bot.schedule.store.holds import Hold, alert_claim, update_held
from bot.schedule.store.incident_rows import (
    condition_of,
    condition_values,
    incident_of,
    newest_per_instance,
    open_row,
    record_change,
)
from bot.schedule.store.transactions import Part

BASELINE_KEY = "watch:baseline"


@dataclass(frozen=True)
class Pending:
    """A change whose post is claimed and not done yet: by whom and since when, and its
    incident as now."""

    incident: Incident
    transition: Transition
    claimed_by: str
    claimed_at: datetime

    @property
    def hold(self) -> Hold:
        """The post's claim as its owner holds it."""
        return Hold(self.claimed_by, self.claimed_at)


class IncidentRecords(Part):
    """Each watch's incidents: opened, changed and posted once across replicas."""

    async def latest_incidents(self, subscription_id: int) -> dict[str, Incident]:
        """Each instance's newest incident (open or resolved) a watch followed, by instance."""
        query = newest_per_instance(incidents.c.subscription_id == subscription_id)
        return await self._db.read(lambda connection: _by_instance(connection, query))

    async def channel_incidents(
        self, channel_id: str, *, profile: str, watch: int
    ) -> dict[str, Incident]:
        """Each instance's newest incident in a channel, under a profile's key, whichever
        watch followed it, by instance; and those `watch` followed under another key."""
        query = newest_per_instance(
            or_(
                (incidents.c.channel_id == channel_id) & (incidents.c.profile == profile),
                incidents.c.subscription_id == watch,
            )
        )
        return await self._db.read(lambda connection: _by_instance(connection, query))

    async def take_baseline(
        self,
        subscription_id: int,
        openings: Sequence[Opening],
        *,
        channel_id: str,
        worker: str,
        now: datetime,
        profile: str = "",
    ) -> bool:
        """A watch's first poll: record its problems as incidents without posting them.

        True for exactly one caller, the first: the marker and the incidents commit
        together, so a replica that finds the marker finds the incidents too. An instance
        whose incident in the channel another watch opened meanwhile is skipped.
        """
        marker = alert_claim(
            subscription_id, BASELINE_KEY, status="baseline", worker=worker, now=now
        )

        def baseline(connection: Connection) -> bool:
            if not insert_new(connection, alerts, values=marker):
                return False
            for opening in openings:
                open_row(
                    connection, subscription_id, opening, channel_id=channel_id,
                    profile=profile, status="baseline", worker=worker, now=now,
                )  # fmt: skip
            return True

        return await self._db.claim(baseline)

    async def open_incident(
        self,
        subscription_id: int,
        opening: Opening,
        *,
        channel_id: str,
        worker: str,
        now: datetime,
        profile: str = "",
    ) -> Transition | None:
        """Open an incident and claim its first message; None if the instance has an open
        one in the channel already (another replica or watch opened it) or the watch is
        gone. `profile` is the key of the watch's profile ("" for the default one)."""
        return await self._db.claim_rows(
            lambda connection: open_row(
                connection,
                subscription_id,
                opening,
                channel_id=channel_id,
                profile=profile,
                status="claimed",
                worker=worker,
                now=now,
            )
        )

    async def change_incident(
        self, change: Change, *, worker: str, now: datetime
    ) -> Transition | None:
        """Record a change and claim its post; None if the incident changed meanwhile (another
        replica recorded this change, or another one)."""
        incident = change.incident
        number = incident.changes + 1
        values: dict[str, Any] = {
            "changes": number,
            "seen_at": now,
            **condition_values(change.condition),
        }
        if not change.condition.healthy:
            values["problem"] = change.condition.state.value
        if change.closes:
            values.update(closed_at=now, open_instance=None)
        statement = (
            update(incidents)
            .where(incidents.c.id == incident.id, incidents.c.changes == incident.changes)
            .values(values)
        )

        def record(connection: Connection) -> Transition | None:
            if connection.execute(statement).rowcount != 1:
                return None
            return record_change(
                connection,
                incident.id,
                change.condition,
                subscription_id=incident.subscription_id,
                number=number,
                status="claimed",
                worker=worker,
                now=now,
            )

        return await self._db.claim_rows(record)

    async def pending_transitions(self, subscription_id: int) -> list[Pending]:
        """Changes of a watch's incidents whose post is claimed but not done, oldest first
        per incident."""
        claims = select(alerts.c.alert_key, alerts.c.claimed_by, alerts.c.claimed_at).where(
            alerts.c.subscription_id == subscription_id, alerts.c.status == "claimed"
        )

        def read(connection: Connection) -> list[Pending]:
            owners: dict[tuple[int, int], tuple[str, datetime]] = {}
            for key, owner, since in connection.execute(claims):
                parsed = parse_transition_key(key)
                if parsed is not None:
                    owners[parsed] = (owner, since)
            if not owners:
                return []
            ids = sorted({incident for incident, _ in owners})
            found = connection.execute(select(incidents).where(incidents.c.id.in_(ids)))
            by_id = {row["id"]: incident_of(row) for row in found.mappings()}
            rows = connection.execute(
                select(incident_changes).where(incident_changes.c.incident_id.in_(ids))
            ).mappings()
            pending = [
                Pending(
                    by_id[row["incident_id"]],
                    Transition(
                        row["incident_id"], row["number"], condition_of(row), row["seen_at"]
                    ),
                    *owners[(row["incident_id"], row["number"])],
                )
                for row in rows
                if (row["incident_id"], row["number"]) in owners
            ]
            return sorted(pending, key=lambda p: (p.incident.id, p.transition.number))

        return await self._db.read(read)

    async def record_first_message(
        self,
        transition: Transition,
        *,
        subscription_id: int,
        hold: Hold,
        message_ts: str,
        now: datetime,
    ) -> bool:
        """An incident's first message is posted: its ts, for the thread and the updates.
        Recorded only if the post's claim is still held as `hold`; False if it was taken
        over (the new owner posts and records it)."""
        claim = update_held(
            alerts,
            hold,
            alerts.c.subscription_id == subscription_id,
            alerts.c.alert_key == transition.key,
        ).values(status="posted", posted_at=now)
        message = (
            update(incidents)
            .where(incidents.c.id == transition.incident_id)
            .values(message_ts=message_ts)
        )

        def record(connection: Connection) -> bool:
            if connection.execute(claim).rowcount != 1:
                return False
            connection.execute(message)
            return True

        return await self._db.write(record)


def _by_instance(connection: Connection, query: Any) -> dict[str, Incident]:
    found = (incident_of(row) for row in connection.execute(query).mappings())
    return {incident.instance: incident for incident in found}
