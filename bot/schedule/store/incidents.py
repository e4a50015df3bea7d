"""Incidents, recorded so that any replica can continue one: its changes, its message.

Opening an incident is a claim: its row holds the instance in a unique key while it is
open, so of several replicas seeing the same problem one opens it. Changing one is a
conditional UPDATE on the number of changes recorded so far, so of several replicas
seeing the same change one records it. Either way the winner also writes, in the same
transaction, the change's words and the claim of its post ("incident:ID:N" in
`alerts`): whoever records a change posts it, and a post whose owner went quiet is taken
over like any claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, func, select, update
from sqlalchemy.engine import Connection

from bot.core.health import State
from bot.schedule.database import insert_new
from bot.schedule.incidents import (
    Change,
    Condition,
    Incident,
    Opening,
    Transition,
    parse_transition_key,
    transition_key,
)
from bot.schedule.schema import alerts, incident_changes, incidents
from bot.schedule.store.holds import Hold, held
from bot.schedule.store.transactions import Transactions
from bot.schedule.store.watch_state import alert_claim

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


def _condition(row: RowMapping) -> Condition:
    return Condition(State(row["state"]), row["reason"], row["window_start"], row["attempts"])


def _incident(row: RowMapping) -> Incident:
    return Incident(
        id=row["id"],
        subscription_id=row["subscription_id"],
        instance=row["instance"],
        label=row["label"],
        condition=_condition(row),
        problem=State(row["problem"]),
        changes=row["changes"],
        opened_at=row["opened_at"],
        seen_at=row["seen_at"],
        closed_at=row["closed_at"],
        channel_id=row["channel_id"],
        message_ts=row["message_ts"],
    )


def _condition_values(condition: Condition) -> dict[str, Any]:
    return {
        "state": condition.state.value,
        "reason": condition.reason,
        "window_start": condition.window,
        "attempts": condition.attempts,
    }


def _record_change(
    connection: Connection,
    incident: int,
    condition: Condition,
    *,
    subscription_id: int,
    number: int,
    status: str,
    worker: str,
    now: datetime,
) -> Transition:
    """Write what change `number` said and the claim of its post."""
    connection.execute(
        incident_changes.insert().values(
            incident_id=incident, number=number, seen_at=now, **_condition_values(condition)
        )
    )
    key = transition_key(incident, number)
    connection.execute(
        alerts.insert().values(
            alert_claim(subscription_id, key, status=status, worker=worker, now=now)
        )
    )
    return Transition(incident, number, condition, now)


def _open(
    connection: Connection,
    subscription_id: int,
    opening: Opening,
    *,
    channel_id: str,
    status: str,
    worker: str,
    now: datetime,
) -> Transition:
    """Insert an open incident (IntegrityError if the instance has one) and its first change."""
    inserted = connection.execute(
        incidents.insert().values(
            subscription_id=subscription_id,
            instance=opening.instance,
            label=opening.label,
            open_instance=opening.instance,
            problem=opening.condition.state.value,
            changes=1,
            opened_at=now,
            seen_at=now,
            channel_id=channel_id,
            **_condition_values(opening.condition),
        )
    )
    key = inserted.inserted_primary_key
    assert key is not None, "an INSERT of one row has its primary key"
    incident = int(key[0])
    return _record_change(
        connection,
        incident,
        opening.condition,
        subscription_id=subscription_id,
        number=1,
        status=status,
        worker=worker,
        now=now,
    )


class IncidentRecords(Transactions):
    """Each watch's incidents: opened, changed and posted once across replicas."""

    async def latest_incidents(self, subscription_id: int) -> dict[str, Incident]:
        """Each instance's newest incident (open or resolved) under a watch, by instance."""
        newest = (
            select(func.max(incidents.c.id))
            .where(incidents.c.subscription_id == subscription_id)
            .group_by(incidents.c.instance)
        )
        query = select(incidents).where(incidents.c.id.in_(newest))

        def read(connection: Connection) -> dict[str, Incident]:
            found = (_incident(row) for row in connection.execute(query).mappings())
            return {incident.instance: incident for incident in found}

        return await self._read(read)

    async def take_baseline(
        self,
        subscription_id: int,
        openings: Sequence[Opening],
        *,
        channel_id: str,
        worker: str,
        now: datetime,
    ) -> bool:
        """A watch's first poll: record its problems as incidents without posting them.

        True for exactly one caller, the first: the marker and the incidents commit
        together, so a replica that finds the marker finds the incidents too.
        """
        marker = alert_claim(
            subscription_id, BASELINE_KEY, status="baseline", worker=worker, now=now
        )

        def baseline(connection: Connection) -> bool:
            if not insert_new(connection, alerts, values=marker):
                return False
            for opening in openings:
                _open(
                    connection,
                    subscription_id,
                    opening,
                    channel_id=channel_id,
                    status="baseline",
                    worker=worker,
                    now=now,
                )
            return True

        return await self._claim(baseline)

    async def open_incident(
        self,
        subscription_id: int,
        opening: Opening,
        *,
        channel_id: str,
        worker: str,
        now: datetime,
    ) -> Transition | None:
        """Open an incident and claim its first message; None if the instance has an open
        one already (another replica opened it) or the watch is gone."""
        return await self._claim_rows(
            lambda connection: _open(
                connection,
                subscription_id,
                opening,
                channel_id=channel_id,
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
            **_condition_values(change.condition),
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
            return _record_change(
                connection,
                incident.id,
                change.condition,
                subscription_id=incident.subscription_id,
                number=number,
                status="claimed",
                worker=worker,
                now=now,
            )

        return await self._claim_rows(record)

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
            by_id = {row["id"]: _incident(row) for row in found.mappings()}
            rows = connection.execute(
                select(incident_changes).where(incident_changes.c.incident_id.in_(ids))
            ).mappings()
            pending = [
                Pending(
                    by_id[row["incident_id"]],
                    Transition(row["incident_id"], row["number"], _condition(row), row["seen_at"]),
                    *owners[(row["incident_id"], row["number"])],
                )
                for row in rows
                if (row["incident_id"], row["number"]) in owners
            ]
            return sorted(pending, key=lambda p: (p.incident.id, p.transition.number))

        return await self._read(read)

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
        claim = (
            update(alerts)
            .where(alerts.c.subscription_id == subscription_id)
            .where(alerts.c.alert_key == transition.key, held(alerts, hold))
            .values(status="posted", posted_at=now)
        )
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

        return await self._write(record)
