"""What the scheduler needs from a chat platform (its outbox), and how delivery can fail.

The scheduler knows nothing of Slack: whoever builds it hands it an Outbox
(bot/slack/slack_outbox.py is Slack's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.core.health.digest import Digest
from bot.schedule.incidents import Incident, Transition
from bot.schedule.store import Subscription

# The incident values the outbox is handed: the Slack room imports them from here.
__all__ = [
    "DigestContent",
    "Incident",
    "Outbox",
    "Transition",
]


@dataclass(frozen=True)
class DigestContent:
    """A digest ready to publish; `problem` explains why there is no `digest`."""

    subscription: Subscription
    local_date: date
    zone: ZoneInfo
    digest: Digest | None
    problem: str | None
    as_of: datetime


class Outbox(Protocol):
    """Posts digests and incidents; raises ChannelGone or DeliveryFailed."""

    async def digest(self, content: DigestContent) -> str:
        """Post a digest to its channel; the message id."""
        ...

    async def incident(self, subscription: Subscription, incident: Incident) -> str:
        """Post an incident's first message, showing its state now; the message id."""
        ...

    async def incident_update(self, subscription: Subscription, incident: Incident) -> None:
        """Show an incident's state now in its first message; MessageGone if it cannot be."""
        ...

    async def incident_unwatched(
        self, subscription: Subscription, incident: Incident, why: str
    ) -> None:
        """Say in an incident's first message that no watch follows it any more (`why`: the
        watch was removed or turned off); MessageGone if it cannot be."""
        ...

    async def incident_change(
        self, subscription: Subscription, incident: Incident, transition: Transition
    ) -> str:
        """Post one change of an incident in its first message's thread; the reply's id."""
        ...

    async def withdraw(self, channel: str, message: str) -> None:
        """Take back a message posted once its claim was no longer ours (another replica
        posts it); MessageGone if it cannot be."""
        ...

    async def disabled(self, subscription: Subscription, reason: str) -> None:
        """Tell whoever created a subscription that it was turned off, and why."""
        ...
