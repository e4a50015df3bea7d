"""What the scheduler needs from a chat platform (its outbox), and how delivery can fail.

The scheduler knows nothing of Slack: whoever builds it hands it an Outbox
(bot/slack/scheduled.py is Slack's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.core.backup import Backup
from bot.core.digest import Digest
from bot.core.staleness import InstanceHealth
from bot.schedule.store import Subscription


@dataclass(frozen=True)
class DigestContent:
    """A digest ready to publish; `problem` explains why there is no `digest`."""

    subscription: Subscription
    local_date: date
    zone: ZoneInfo
    digest: Digest | None
    problem: str | None
    as_of: datetime


@dataclass(frozen=True)
class FailureAlert:
    """A backup failed."""

    backup: Backup


@dataclass(frozen=True)
class StaleAlert:
    """An instance crossed the no-good-backup threshold."""

    health: InstanceHealth


@dataclass(frozen=True)
class RecoveredAlert:
    """An instance that was stale has a good backup again."""

    health: InstanceHealth


Alert = FailureAlert | StaleAlert | RecoveredAlert


class Outbox(Protocol):
    """Posts digests and alerts; raises ChannelGone or DeliveryFailed."""

    async def digest(self, content: DigestContent) -> str:
        """Post a digest to its channel; the message id."""
        ...

    async def alert(self, subscription: Subscription, alert: Alert, *, now: datetime) -> None:
        """Post an alert to the watch's channel."""
        ...

    async def disabled(self, subscription: Subscription, reason: str) -> None:
        """Tell whoever created a subscription that it was turned off, and why."""
        ...
