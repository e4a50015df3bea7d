"""Incidents as rows: reading them back typed, and the writes of an opening or a change
inside a transaction (the claims themselves are in incidents.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, Select, func, select
from sqlalchemy.engine import Connection

from bot.core.health.reports import State
from bot.schedule.database import insert_new
from bot.schedule.incidents import Condition, Incident, Opening, Transition, transition_key
from bot.schedule.schema import alerts, incident_changes, incidents
from bot.schedule.store.holds import alert_claim


def condition_of(row: RowMapping) -> Condition:
    """The condition an incident's (or a change's) row records."""
    return Condition(State(row["state"]), row["reason"], row["window_start"], row["attempts"])


def incident_of(row: RowMapping) -> Incident:
    """An incident's row, typed."""
    return Incident(
        id=row["id"],
        subscription_id=row["subscription_id"],
        instance=row["instance"],
        label=row["label"],
        condition=condition_of(row),
        problem=State(row["problem"]),
        changes=row["changes"],
        opened_at=row["opened_at"],
        seen_at=row["seen_at"],
        closed_at=row["closed_at"],
        channel_id=row["channel_id"],
        message_ts=row["message_ts"],
        profile=row["profile"],
        name=row["name"],
    )


def condition_values(condition: Condition) -> dict[str, Any]:
    """The columns of a condition."""
    return {
        "state": condition.state.value,
        "reason": condition.reason,
        "window_start": condition.window,
        "attempts": condition.attempts,
    }


def newest_per_instance(which: ColumnElement[bool]) -> Select[Any]:
    """Each instance's newest incident (open or resolved) among those `which` selects."""
    newest = select(func.max(incidents.c.id)).where(which).group_by(incidents.c.instance)
    return select(incidents).where(incidents.c.id.in_(newest))


def record_change(
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
            incident_id=incident, number=number, seen_at=now, **condition_values(condition)
        )
    )
    key = transition_key(incident, number)
    connection.execute(
        alerts.insert().values(
            alert_claim(subscription_id, key, status=status, worker=worker, now=now)
        )
    )
    return Transition(incident, number, condition, now)


def open_row(
    connection: Connection,
    subscription_id: int,
    opening: Opening,
    *,
    channel_id: str,
    profile: str,
    status: str,
    worker: str,
    now: datetime,
) -> Transition | None:
    """Insert an open incident and its first change; None if the instance has an open one
    in the channel already (whichever watch opened it): then nothing is written."""
    values = {
        "subscription_id": subscription_id, "instance": opening.instance,
        "label": opening.label, "name": opening.name, "open_instance": opening.instance,
        "problem": opening.condition.state.value, "changes": 1, "opened_at": now,
        "seen_at": now, "channel_id": channel_id, "profile": profile,
        **condition_values(opening.condition),
    }  # fmt: skip
    if not insert_new(connection, incidents, values=values):
        return None
    incident = connection.execute(
        select(incidents.c.id).where(
            incidents.c.channel_id == channel_id,
            incidents.c.profile == profile,
            incidents.c.open_instance == opening.instance,
        )
    ).scalar_one()
    return record_change(
        connection,
        incident,
        opening.condition,
        subscription_id=subscription_id,
        number=1,
        status=status,
        worker=worker,
        now=now,
    )
