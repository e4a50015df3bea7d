"""App Home for each user: what the access rules let them see, published when they open it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot import messages
from bot.core.answering.answer import Answer, Ask
from bot.core.answering.engine import Engines
from bot.core.clock import Clock
from bot.core.language.help import HOME_QUESTION
from bot.core.language.parse import parse_query
from bot.errors import BackupbotError, DeliveryError, PlatformUnreachable, StorageError
from bot.messages.catalogue import speaking
from bot.schedule.store import SubscriptionRecords
from bot.slack.access import Request
from bot.slack.delivery import Delivery
from bot.slack.permissions import Permissions
from bot.slack.tasks import BackgroundTasks
from bot.slack.users import SlackUsers
from bot.slack.views.home_tab import home_view, not_allowed_here, refusal_view
from bot.slack.views.subscription_lines import home_line

log = logging.getLogger("backupbot.slack")


@dataclass(frozen=True, kw_only=True)
class Home:
    """Builds and publishes App Home: recent failures, digests and watches, as allowed."""

    delivery: Delivery
    permissions: Permissions
    engines: Engines
    subscriptions: SubscriptionRecords
    tasks: BackgroundTasks
    users: SlackUsers
    clock: Clock
    simulated: bool

    async def publish(self, team: str, user: str) -> None:
        """Publish `user`'s App Home; failures are logged, the user only sees an older one."""
        try:
            with speaking(await self.users.language_of(user)):
                view = await self.view_for(team or self.permissions.policy.home_team, user)
            await self.delivery.publish_home(user, view)
        except PlatformUnreachable as error:
            log.warning(
                "could not reach Slack to publish App Home for %s: %r", user, error.__cause__
            )
        except DeliveryError as refused:
            log.warning("Slack refused App Home for %s: %s", user, refused.code)
        except Exception:
            log.exception("could not publish App Home for %s", user)

    async def view_for(self, team: str, user: str) -> dict[str, Any]:
        """App Home as `user` may see it: what the access rules let them ask about, and of
        the digests and watches only those of channels they are a member of (a private
        channel's are not shown to whoever the rules merely allow there)."""
        policy = self.permissions.policy
        request = Request(team, "", user, self.engines.default)
        if not await policy.anywhere(team=team, user=user):
            log.info("home: denied %s", request)
            refusal = policy.refusal(request)
            return refusal_view(refusal.said, refusal.hint)
        recent: Answer | str = not_allowed_here(self.engines.default)
        if await policy.allows(request):
            zone = await self.users.zone_of(user)
            try:
                async with self.tasks.slot():
                    engine = self.engines.engine(None)
                    recent = await engine.answer(Ask(parse_query(HOME_QUESTION), zone=zone))
            except BackupbotError as error:  # the API's refusal, an unknown profile
                log.info("home: no recent failures shown: %s", error)
                recent = messages.HOME_COULD_NOT_READ
        try:
            stored = await self.subscriptions.find()
        except StorageError:
            lines = [messages.HOME_STORE_DOWN]
        else:
            lines = [
                home_line(subscription)
                for subscription in stored
                if await self.permissions.may_see(team=team, user=user, subscription=subscription)
                and user in await self.users.channel_members(subscription.channel_id)
            ]
        return home_view(recent, subscriptions=lines, now=self.clock(), simulated=self.simulated)
