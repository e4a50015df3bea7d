"""The access rules applied in Slack: to commands and clicks before anything is asked
upstream, to what App Home shows, and to digests and watches when they are sent."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.answering.engine import Engines
from bot.core.language.commands import (
    BackupCommand,
    Command,
    DigestAdd,
    DigestNow,
    HealthCommand,
    HelpCommand,
    QueryCommand,
    RemoveSubscription,
    RestoreCommand,
    WatchAdd,
)
from bot.schedule.store import Subscription, SubscriptionRecords
from bot.slack.access import AccessPolicy, Request
from bot.slack.asker import Asker


@dataclass(frozen=True, kw_only=True)
class Permissions:
    """Which profile a request touches, and whether the rules let this asker touch it."""

    policy: AccessPolicy
    engines: Engines
    subscriptions: SubscriptionRecords

    async def check(self, asker: Asker, profile: str | None) -> None:
        """Refuse (AccessDenied), before anything is asked upstream, what the rules do not
        allow; `profile` None is the default one."""
        await self.policy.check(
            Request(
                team=asker.team or self.policy.home_team,
                channel=asker.channel,
                user=asker.user,
                profile=profile or self.engines.default,
            )
        )

    async def profile_of(self, command: Command, asker: Asker) -> str | None:
        """The profile a command touches; None for help, which touches none."""
        match command:
            case HelpCommand():
                return None
            case QueryCommand(query):
                return query.profile or self.engines.default
            case RestoreCommand(question):
                return question.profile or self.engines.default
            case (
                HealthCommand(targets)
                | DigestAdd(targets)
                | DigestNow(targets)
                | WatchAdd(targets)
                | BackupCommand(targets)
            ):
                return targets.profile or self.engines.default
            case RemoveSubscription(_, subscription_id):
                stored = await self.subscriptions.get(subscription_id)
                if stored is not None and stored.channel_id == asker.channel:
                    return stored.profile or self.engines.default
        return self.engines.default

    def profile_of_subscription(self, subscription: Subscription) -> str:
        """The profile a digest or watch reads."""
        return subscription.profile or self.engines.default

    async def may_see(self, *, team: str, user: str, subscription: Subscription) -> bool:
        """Whether `user` may see `subscription` (in App Home): could they ask for it there."""
        profile = self.profile_of_subscription(subscription)
        return await self.policy.allows(Request(team, subscription.channel_id, user, profile))

    async def subscription_allowed(self, subscription: Subscription) -> bool:
        """Digests and watches from Slack still obey the rules at send time."""
        if subscription.origin == "config":
            return True  # declared by whoever runs the bot
        return await self.may_see(
            team=subscription.team_id or self.policy.home_team,
            user=subscription.created_by,
            subscription=subscription,
        )
