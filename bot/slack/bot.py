"""backupbot in Slack: Bolt listeners over the engine.

Every listener acknowledges at once and hands the work to a background task it keeps a
reference to; the answer then goes through `response_url` (or the Web API for mentions,
DMs and exhausted response URLs). Errors become short ephemeral replies; anything
unexpected is logged with a traceback and answered with an apology and an incident id.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from cachetools import TTLCache
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.access import AccessDenied, AccessPolicy, Request, Rule
from bot.core.answer import Answer, Ask
from bot.core.clock import Clock
from bot.core.commands import (
    Command,
    DigestAdd,
    DigestNow,
    HelpCommand,
    QueryCommand,
    RemoveSubscription,
    WatchAdd,
)
from bot.core.engine import Engines
from bot.core.parse import parse_query
from bot.core.query import QueryError
from bot.core.zones import zone_named
from bot.errors import ConfigError, StorageError, UpstreamError, UserError
from bot.metrics import Metrics
from bot.runtime import release_memory
from bot.schedule.scheduler import ScheduleConfig, Scheduler, TickReport
from bot.schedule.store import Store, Subscription
from bot.slack import blocks
from bot.slack.answers import Answers, Outcome
from bot.slack.blocks import View
from bot.slack.delivery import Delivery
from bot.slack.home import COULD_NOT_READ, home_view, not_allowed_here, refusal_view
from bot.slack.publisher import SlackPublisher
from bot.slack.state import ButtonCodec
from bot.slack.subscriptions import SubscriptionCommands, home_lines
from bot.slack.tasks import BackgroundTasks
from bot.slack.webapi import answered_json, error_code, slack_session

log = logging.getLogger("backupbot.slack")
audit = logging.getLogger("backupbot.audit")  # who, where, what, outcome: one line each
UTC = ZoneInfo("UTC")
# Slack retries an event for a few minutes; its id is claimed (across replicas) for longer.
EVENT_CLAIM = timedelta(hours=1)
STORE_DOWN = (
    "subscriptions are unavailable right now",
    "backupbot cannot use its state store; whoever runs it can see why in its logs",
)


@dataclass(frozen=True)
class Context:
    """Who asked what where: for access checks and the audit line of every command."""

    kind: str
    team: str
    user: str
    channel: str
    text: str


class SlackBot:
    """The Bolt app and what its listeners need."""

    def __init__(
        self,
        *,
        engines: Engines,
        client: AsyncWebClient,
        codec: ButtonCodec,
        clock: Clock,
        signing_secret: str | None,
        store: Store,
        metrics: Metrics,
        rules: tuple[Rule, ...] = (Rule(),),
        schedule: ScheduleConfig | None = None,
        worker: str = "backupbot",
        simulated: bool = False,
        slack_timeout: float = 10.0,
    ) -> None:
        self.engines = engines
        self.slack_timeout = slack_timeout
        self.metrics = metrics
        self.client = client
        self.codec = codec
        self.clock = clock
        self.simulated = simulated
        self.worker = worker
        self.tasks = BackgroundTasks(on_idle=release_memory)
        self.delivery = Delivery(client=client, clock=clock, metrics=metrics)
        self.store = store
        self.access = AccessPolicy(rules, members=self._members)
        self._groups: TTLCache[str, frozenset[str]] = TTLCache(maxsize=1000, ttl=600)
        self.scheduler = Scheduler(
            store=store,
            engines=engines,
            publisher=SlackPublisher(
                client=client, codec=codec, clock=clock, simulated=simulated, metrics=metrics
            ),
            clock=clock,
            worker=worker,
            config=schedule,
            on_report=self._count_report,
            allowed=self._subscription_allowed,
        )
        self.answers = Answers(engines=engines, codec=codec, clock=clock, simulated=simulated)
        self.subscriptions = SubscriptionCommands(
            store=store,
            scheduler=self.scheduler,
            engines=engines,
            delivery=self.delivery,
            clock=clock,
            slot=self.tasks.slot,
            watch_minutes=round(self.scheduler.config.watch_interval.total_seconds() / 60),
        )
        # Zones looked up, and lookups under way: a finished lookup keeps only its ZoneInfo.
        self._zones: TTLCache[str, ZoneInfo] = TTLCache(maxsize=10_000, ttl=3600)
        self._zone_lookups: dict[str, asyncio.Task[ZoneInfo]] = {}
        self._seen_events: TTLCache[str, bool] = TTLCache(maxsize=10_000, ttl=3600)
        self.app = AsyncApp(
            client=client,
            signing_secret=signing_secret,
            request_verification_enabled=signing_secret is not None,
            process_before_response=False,
            logger=logging.getLogger("backupbot.bolt"),
        )
        self._register()

    def _register(self) -> None:
        self.app.command("/backups")(self._on_command)
        self.app.event("app_mention")(self._on_mention)
        self.app.event("message")(self._on_message)
        self.app.event("app_home_opened")(self._on_home_opened)
        for action_id in blocks.ACTIONS:
            self.app.action(action_id)(self._on_action)

    # -- entry points: acknowledge now, work later -------------------------------------

    async def _on_command(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        context = Context(
            "command", str(body.get("team_id", "")), str(body.get("user_id", "")),
            str(body.get("channel_id", "")), str(body.get("text", "")),
        )  # fmt: skip
        self.tasks.spawn(
            self._guard(
                self._answer_command(body, context), self._reply_ephemeral(body, respond), context
            )
        )

    async def _on_mention(self, body: dict[str, Any]) -> None:
        event = body.get("event", {})
        if await self._duplicate(body):
            return
        text = _strip_mention(str(event.get("text", "")))
        context = Context(
            "mention", _team(body), str(event.get("user", "")), str(event.get("channel", "")), text
        )
        self.tasks.spawn(
            self._guard(
                self._answer_in_thread(event, context), self._reply_in_thread(event), context
            )
        )

    async def _on_message(self, body: dict[str, Any]) -> None:
        event = body.get("event", {})
        if event.get("channel_type") != "im" or event.get("bot_id") or event.get("subtype"):
            return
        if await self._duplicate(body):
            return
        text = _strip_mention(str(event.get("text", "")))
        context = Context(
            "dm", _team(body), str(event.get("user", "")), str(event.get("channel", "")), text
        )
        self.tasks.spawn(
            self._guard(self._answer_in_dm(event, context), self._reply_in_dm(event), context)
        )

    async def _on_home_opened(self, body: dict[str, Any]) -> None:
        event = body.get("event", {})
        if event.get("tab") not in (None, "home") or await self._duplicate(body):
            return
        self.tasks.spawn(self._publish_home(_team(body), str(event.get("user", ""))))

    async def _on_action(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        action = (body.get("actions") or [{}])[0]
        context = Context(
            "click", _team(body), str(body.get("user", {}).get("id", "")),
            str(body.get("channel", {}).get("id", "")), str(action.get("action_id", "")),
        )  # fmt: skip
        self.tasks.spawn(
            self._guard(
                self._answer_click(body, context), self._reply_ephemeral(body, respond), context
            )
        )

    async def _duplicate(self, body: dict[str, Any]) -> bool:
        """Slack retries events it thinks we missed; answer each event_id once, whichever
        replica it reaches: the id is claimed in the shared store (and remembered here).

        A store that cannot be written does not silence the bot: the event is answered,
        at worst twice.
        """
        event_id = str(body.get("event_id", ""))
        if not event_id:
            return False
        first = event_id not in self._seen_events
        self._seen_events[event_id] = True
        if first:
            try:
                first = await self.store.claim_event(
                    event_id, worker=self.worker, now=self.clock(), keep=EVENT_CLAIM
                )
            except StorageError as error:
                log.warning("event %s not de-duplicated across replicas: %s", event_id, error)
        self.metrics.slack_events.labels("new" if first else "duplicate").inc()
        if not first:
            log.info("ignoring retried event %s", event_id)
        return not first

    # -- the work ----------------------------------------------------------------------

    async def _authorize(self, context: Context, profile: str | None) -> None:
        """Refuse, before anything is asked upstream, what the access rules do not allow."""
        await self.access.check(
            Request(
                team=context.team or self.access.home_team,
                channel=context.channel,
                user=context.user,
                profile=profile or self.engines.default,
            )
        )

    async def _profile_of(self, command: Command, channel: str) -> str | None:
        """The profile a command touches; None for help, which touches none."""
        match command:
            case HelpCommand():
                return None
            case QueryCommand(query):
                return query.profile or self.engines.default
            case DigestAdd(targets) | DigestNow(targets) | WatchAdd(targets):
                return targets.profile or self.engines.default
            case RemoveSubscription(_, subscription_id):
                stored = await self.store.get(subscription_id)
                if stored is not None and stored.channel_id == channel:
                    return stored.profile or self.engines.default
        return self.engines.default

    async def _answer_command(self, body: dict[str, Any], context: Context) -> Outcome | None:
        command = self.answers.parse(str(body.get("text", "")))
        await self._authorize(context, await self._profile_of(command, context.channel))
        zone = await self.zone_of(context.user)
        if not isinstance(command, HelpCommand | QueryCommand):
            await self.subscriptions.handle(command, body, zone)
            return None
        async with self.tasks.slot():
            outcome = await self.answers.for_command(command, zone=zone, shareable=True)
        await self.delivery.respond(body, outcome.view, ephemeral=True)
        return outcome

    async def _answer_in_thread(self, event: dict[str, Any], context: Context) -> Outcome:
        outcome = await self._outcome_for_text(context)
        thread = str(event.get("thread_ts") or event.get("ts", ""))
        await self.delivery.post(context.channel, outcome.view, thread_ts=thread)
        return outcome

    async def _answer_in_dm(self, event: dict[str, Any], context: Context) -> Outcome:
        outcome = await self._outcome_for_text(context)
        await self.delivery.post(context.channel, outcome.view)
        return outcome

    async def _outcome_for_text(self, context: Context) -> Outcome:
        command = self.answers.parse(context.text)
        await self._authorize(context, await self._profile_of(command, context.channel))
        zone = await self.zone_of(context.user)
        async with self.tasks.slot():
            return await self.answers.for_command(command, zone=zone, shareable=False)

    async def _answer_click(self, body: dict[str, Any], context: Context) -> Outcome:
        action = body.get("actions", [{}])[0]
        action_id = str(action.get("action_id", ""))
        value = str(action.get("value", ""))
        await self._authorize(context, self.answers.profile_of_button(value))
        user = context.user
        zone = await self.zone_of(user)
        ephemeral = bool(body.get("container", {}).get("is_ephemeral"))
        shareable = action_id == blocks.ACTION_RUN or (
            action_id != blocks.ACTION_SHARE and ephemeral
        )
        async with self.tasks.slot():
            outcome = await self.answers.for_click(
                action_id, value, zone=zone, shareable=shareable,
                shared_by=user if action_id == blocks.ACTION_SHARE else None,
            )  # fmt: skip
        if action_id == blocks.ACTION_SHARE:
            await self.delivery.share(body, outcome.view)
        elif action_id == blocks.ACTION_RUN:  # from a digest: an answer for the clicker only
            await self.delivery.respond(body, outcome.view, ephemeral=True)
        else:
            await self.delivery.replace(body, outcome.view)
        return outcome

    async def _publish_home(self, team: str, user: str) -> None:
        try:
            view = await self._home_for(team or self.access.home_team, user)
            await self.client.views_publish(user_id=user, view=view)
        except SlackApiError as error:
            log.warning("Slack refused App Home for %s: %s", user, error_code(error))
        except (aiohttp.ClientError, TimeoutError) as error:
            log.warning("could not reach Slack to publish App Home for %s: %r", user, error)
        except Exception:
            log.exception("could not publish App Home for %s", user)

    async def _home_for(self, team: str, user: str) -> dict[str, Any]:
        """App Home as `user` may see it: what the access rules let them ask about."""
        request = Request(team, "", user, self.engines.default)
        if not await self.access.anywhere(team=team, user=user):
            log.info("home: denied %s", request)
            refusal = self.access.refusal(request)
            return refusal_view(refusal.message, refusal.hint)
        recent: Answer | str = not_allowed_here(self.engines.default)
        if await self.access.allows(request):
            zone = await self.zone_of(user)
            try:
                async with self.tasks.slot():
                    engine = self.engines.engine(None)
                    recent = await engine.answer(Ask(parse_query("failed last 7d"), zone=zone))
            except (UpstreamError, UserError) as error:
                log.info("home: no recent failures shown: %s", error)
                recent = COULD_NOT_READ
        try:
            stored = await self.store.subscriptions()
        except StorageError:
            lines = [f"_{STORE_DOWN[0].capitalize()}._"]
        else:
            visible = []
            for subscription in stored:
                profile = self._subscription_profile(subscription)
                if await self.access.allows(Request(team, subscription.channel_id, user, profile)):
                    visible.append(subscription)
            lines = home_lines(visible)
        return home_view(recent, subscriptions=lines, now=self.clock(), simulated=self.simulated)

    # -- replies for the error paths ---------------------------------------------------

    def _reply_ephemeral(
        self, body: dict[str, Any], respond: AsyncRespond
    ) -> Callable[[View], Awaitable[None]]:
        async def reply(view: View) -> None:
            await self.delivery.respond(body, view, ephemeral=True, replace=False)

        return reply

    def _reply_in_thread(self, event: dict[str, Any]) -> Callable[[View], Awaitable[None]]:
        async def reply(view: View) -> None:
            await self.delivery.ephemeral(
                channel=str(event.get("channel", "")),
                user=str(event.get("user", "")),
                view=view,
                thread_ts=str(event.get("thread_ts") or event.get("ts", "")),
            )

        return reply

    def _reply_in_dm(self, event: dict[str, Any]) -> Callable[[View], Awaitable[None]]:
        async def reply(view: View) -> None:
            await self.delivery.post(str(event.get("channel", "")), view)

        return reply

    async def _guard(
        self,
        work: Awaitable[Outcome | None],
        reply: Callable[[View], Awaitable[None]],
        context: Context,
    ) -> None:
        """Run `work`; turn any failure into a short reply, never into silence; log one line."""
        started = time.monotonic()
        outcome: Outcome | None = None
        label, code, view = "ok", None, None
        try:
            outcome = await work
        except AccessDenied as error:
            label, code = "denied", None
            view = blocks.error_view(error.message, error.hint)
        except UserError as error:
            label, code = "user_error", type(error).__name__
            view = blocks.error_view(error.message, error.hint)
        except UpstreamError as error:
            label, code = "upstream_error", error.error_code or f"HTTP {error.status}"
            view = blocks.upstream_error_view(error)
        except StorageError as error:
            # The state store failed (read-only, full, down): the operator's to fix, not a bug.
            label, code = "storage_error", type(error).__name__
            log.error("%s: %s", context.kind, error)
            view = blocks.error_view(*STORE_DOWN)
        except SlackApiError as error:
            # Slack refused to deliver (channel gone, bot removed...): ours to report, not a bug.
            label, code = "slack_error", error_code(error)
            log.warning("Slack refused to deliver an answer: %s", code)
            view = blocks.error_view(
                f"Slack refused to deliver the answer ({code})",
                "if this is a private channel, invite me with /invite @backupbot",
            )
        except (aiohttp.ClientError, TimeoutError) as error:
            label, code = "slack_error", type(error).__name__
            log.warning("could not reach Slack to deliver an answer: %s", error)
            view = blocks.error_view("Slack could not be reached just now", "please ask again")
        except Exception:
            incident = uuid.uuid4().hex[:10]
            label, code = "bug", incident
            log.exception("unexpected error, incident %s", incident)
            view = blocks.apology_view(incident)
        self.metrics.commands.labels(context.kind, label).inc()
        answer = outcome.answer if outcome is not None else None
        audit.info(
            "%s by %s in %s: %s", context.kind, context.user, context.channel, label,
            extra={
                "event": "command", "kind": context.kind, "team": context.team,
                "user": context.user, "channel": context.channel,
                "query": answer.text if answer is not None else context.text[:200],
                "results": answer.matches if answer is not None else None,
                "cache_hit": answer.from_cache if answer is not None else None,
                "upstream_requests": answer.requests if answer is not None else 0,
                "latency_ms": round((time.monotonic() - started) * 1000, 1),
                "outcome": label, "error_code": code,
            },
        )  # fmt: skip
        if view is None:
            return
        try:
            await reply(view)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            log.warning("could not deliver the error reply either: %s", error)
        except Exception:
            log.exception("could not deliver an error reply")

    # -- helpers -----------------------------------------------------------------------

    def _count_report(self, report: TickReport) -> None:
        self.metrics.digests.labels("posted").inc(len(report.posted))
        self.metrics.digests.labels("missed").inc(len(report.missed))
        self.metrics.alerts.inc(len(report.alerts))

    async def start(self) -> None:
        """Open the HTTP session shared by every Slack call (one per call is slow), and learn
        which workspace installed the bot (the default access rule's workspace).

        If Slack cannot be asked, the session is closed again and a ConfigError says why.
        """
        if self.access.home_team:
            return  # started already (serve starts the bot before its lifespan does)
        if self.client.session is None or self.client.session.closed:
            self.client.session = slack_session(self.slack_timeout)
        self.delivery.session = self.client.session
        try:
            identity = await self.client.auth_test()
        except SlackApiError as error:
            await self.client.session.close()
            raise _start_refused(error, self.client.base_url) from None
        except (aiohttp.ClientError, TimeoutError) as error:
            await self.client.session.close()
            raise ConfigError(
                f"could not reach Slack at {self.client.base_url} "
                f"({_reason(error, self.slack_timeout)})",
                "check the network, SLACK_API_URL and BACKUPBOT_SLACK_TIMEOUT",
            ) from None
        self.access.home_team = str(identity.get("team_id", ""))

    async def _members(self, group: str) -> frozenset[str]:
        """Members of a Slack user group (needs the usergroups:read scope), cached 10 min."""
        members = self._groups.get(group)
        if members is None:
            try:
                response = await self.client.usergroups_users_list(usergroup=group)
                members = frozenset(response.get("users") or ())
            except SlackApiError as error:
                log.warning("cannot read user group %s: %s", group, error_code(error))
                members = frozenset()
            self._groups[group] = members
        return members

    async def _subscription_allowed(self, subscription: Subscription) -> bool:
        """Digests and watches from Slack still obey the rules at send time."""
        if subscription.origin == "config":
            return True  # declared by whoever runs the bot
        request = Request(
            subscription.team_id or self.access.home_team,
            subscription.channel_id,
            subscription.created_by,
            self._subscription_profile(subscription),
        )
        return await self.access.allows(request)

    def _subscription_profile(self, subscription: Subscription) -> str:
        return subscription.profile or self.engines.default

    async def close(self) -> None:
        """Finish the work under way, then close the shared session."""
        await self.tasks.drain()
        if self.client.session is not None:
            await self.client.session.close()
        self.store.close()

    async def zone_of(self, user: str) -> ZoneInfo:
        """The user's own time zone from their Slack profile (UTC if unknown).

        Looked up once an hour per user; asks at the same moment share one lookup.
        """
        if not user:
            return UTC
        zone = self._zones.get(user)
        if zone is not None:
            return zone
        lookup = self._zone_lookups.get(user)
        if lookup is None:
            lookup = self._zone_lookups[user] = asyncio.ensure_future(self._lookup_zone(user))
            lookup.add_done_callback(lambda _: self._zone_lookups.pop(user, None))
        return await asyncio.shield(lookup)

    async def _lookup_zone(self, user: str) -> ZoneInfo:
        """The zone in the user's profile, remembered; UTC (not remembered) if Slack fails."""
        try:
            response = await self.client.users_info(user=user)
            profile: dict[str, Any] = response.get("user") or {}
            zone = zone_named(str(profile.get("tz") or "UTC"))
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            log.info("no time zone for %s (%r): using UTC this time", user, error)
            return UTC
        except QueryError as error:
            log.info("no time zone for %s (%s): using UTC", user, error)
            zone = UTC
        self._zones[user] = zone
        return zone


def _start_refused(error: SlackApiError, url: str) -> ConfigError:
    """Why auth.test failed at start-up, in words."""
    if answered_json(error):
        return ConfigError(
            f"Slack refused the bot token ({error_code(error)})",
            "copy SLACK_BOT_TOKEN again from the app's OAuth & Permissions page",
        )
    return ConfigError(
        f"{url} is not Slack's Web API: auth.test answered {error_code(error)}",
        "check SLACK_API_URL (default https://slack.com/api/)",
    )


def _reason(error: BaseException, timeout: float) -> str:
    if isinstance(error, TimeoutError):
        return f"no answer within {timeout:g} s"
    return str(error) or type(error).__name__


def _team(body: dict[str, Any]) -> str:
    """The workspace an event or interaction comes from."""
    return str(body.get("team_id") or (body.get("team") or {}).get("id", ""))


def _strip_mention(text: str) -> str:
    """Drop the leading `<@U123>` of a mention."""
    words = text.split()
    while words and words[0].startswith("<@") and words[0].endswith(">"):
        words.pop(0)
    return " ".join(words)
