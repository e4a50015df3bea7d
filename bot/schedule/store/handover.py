"""A watch that stops, removed or turned off, leaves no incident followed by nobody.

An open incident is followed by one watch of its channel (the one that opened it, see
incidents.py). When that watch stops, in the same transaction as the stop, each of its
open incidents goes to another enabled watch of the channel, under the same profile,
that covers its instance (by id or name, as health picks the instances a watch names;
the earliest such watch): its thread goes on there, and the claims of its posts not
done yet go with it, so nothing claimed is lost. An incident no other watch covers is
closed, and whoever stopped the watch says so in its first message: "no longer watched"
(a message that would otherwise say "failed" forever).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from bot.schedule.incidents import Incident, covers, profile_key, transition_key
from bot.schedule.schema import alerts, incidents, subscriptions
from bot.schedule.store.incident_rows import incident_of
from bot.schedule.store.subscriptions import Subscription, subscription_of


def release(
    connection: Connection, watch: Subscription, *, default_profile: str, now: datetime
) -> list[Incident]:
    """Hand `watch`'s open incidents over, or close them: those closed, as they were."""
    others = [
        subscription_of(row)
        for row in connection.execute(
            select(subscriptions)
            .where(subscriptions.c.kind == "watch", subscriptions.c.enabled.is_(True))
            .where(subscriptions.c.channel_id == watch.channel_id, subscriptions.c.id != watch.id)
            .order_by(subscriptions.c.id)
        ).mappings()
    ]
    held = connection.execute(
        select(incidents).where(
            incidents.c.subscription_id == watch.id, incidents.c.closed_at.is_(None)
        )
    ).mappings()
    closed = []
    for incident in [incident_of(row) for row in held]:
        heir = next(
            (
                other
                for other in others
                if profile_key(other.profile, default_profile) == incident.profile
                and covers(other.targets, incident)
            ),
            None,
        )
        mine = (incidents.c.id == incident.id) & (incidents.c.changes == incident.changes)
        if heir is not None:
            connection.execute(update(incidents).where(mine).values(subscription_id=heir.id))
            keys = [transition_key(incident.id, n) for n in range(1, incident.changes + 1)]
            connection.execute(
                update(alerts)
                .where(alerts.c.subscription_id == watch.id, alerts.c.alert_key.in_(keys))
                .values(subscription_id=heir.id)
            )
            continue
        # One more change, so that a poll of the stopping watch under way records none.
        connection.execute(
            update(incidents)
            .where(mine)
            .values(closed_at=now, open_instance=None, changes=incident.changes + 1)
        )
        closed.append(incident)
    return closed
