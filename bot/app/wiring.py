"""The object graph: Settings → engines → store → scheduler and Slack app, in one place.

`build` assembles every part and hands each what it needs; `App` holds them and owns
their start, the scheduler's run and their close, in that order. Nothing else in
backupbot constructs a service.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot import messages
from bot.app.memory import release_memory
from bot.app.slack_secrets import SlackSecrets, button_codec, slack_secrets
from bot.app.state_store import open_store
from bot.config import Settings
from bot.core.answering.engine import Engines
from bot.core.clock import Clock, utc_now
from bot.errors import ConfigError, StorageError
from bot.metrics import Metrics
from bot.schedule.backup_actions import BackupActions
from bot.schedule.config_file import load_declared_digests
from bot.schedule.rounds import ScheduleConfig, TickReport
from bot.schedule.scheduler import Scheduler
from bot.schedule.store import DeclaredDigest, Store
from bot.slack import webapi
from bot.slack.access import AccessPolicy, load_rules
from bot.slack.answers import Answers
from bot.slack.backup_commands import BackupCommands
from bot.slack.delivery import Delivery
from bot.slack.events import EventClaims
from bot.slack.guard import Guard
from bot.slack.home import Home
from bot.slack.listeners import Listeners, bolt_app
from bot.slack.permissions import Permissions
from bot.slack.questions import Questions
from bot.slack.signing import RequestSignatures
from bot.slack.slack_outbox import SlackActionOutbox, SlackOutbox
from bot.slack.subscription_commands import SubscriptionCommands
from bot.slack.tasks import BackgroundTasks
from bot.slack.users import SlackUsers
from bot.support.secretfile import Secret

log = logging.getLogger("backupbot.slack")
Mode = Literal["http", "socket"]


@dataclass
class App:
    """backupbot, built: what runs, and what the operator's routes report on."""

    settings: Settings
    engines: Engines
    store: Store
    metrics: Metrics
    clock: Clock
    client: AsyncWebClient
    bolt: AsyncApp
    tasks: BackgroundTasks
    policy: AccessPolicy
    scheduler: Scheduler
    declared: list[DeclaredDigest]
    secrets: SlackSecrets
    signatures: RequestSignatures | None = None  # HTTP mode: who may post /slack/events

    async def start(self) -> None:
        """Connect to Slack and learn which workspace installed the bot (the default access
        rule's workspace); a refused token or an unreachable Slack is one ConfigError."""
        if self.policy.home_team:
            return  # started already (serve starts it before its lifespan does)
        self.policy.home_team = await webapi.connect(
            self.client, slack_timeout=self.settings.slack_timeout
        )

    async def close(self) -> None:
        """Finish the work under way (answers still reach their askers), then close the
        shared Slack session and the store."""
        await self.tasks.drain()
        if self.client.session is not None:
            await self.client.session.close()
        self.store.close()

    @contextlib.asynccontextmanager
    async def scheduling(self, *, enabled: bool) -> AsyncIterator[None]:
        """Digests and watches run while the block runs (if `enabled`), then stop."""
        if not enabled:
            yield
            return
        stop = asyncio.Event()
        running = asyncio.ensure_future(self._schedule(stop))
        try:
            yield
        finally:
            stop.set()
            await running

    async def _schedule(self, stop: asyncio.Event) -> None:
        """Sync the config-file digests read at start, then run digests and watches until
        `stop` is set."""
        digests_file = self.settings.digests_file
        if digests_file:
            try:
                await self.store.subscriptions.sync_config(self.declared, created_at=self.clock())
                log.info("%d digests declared in %s", len(self.declared), digests_file)
            except StorageError as error:
                log.error("the digests of %s are not synced: %s", digests_file, error)
        await self.scheduler.run(stop)


def slack_client(settings: Settings, *, token: Secret | None = None) -> AsyncWebClient:
    """The Slack Web API client the settings describe, on `token` (else the settings' bot
    token, read again at every call); ConfigError without a bot token."""
    token = token or slack_secrets(settings).bot_token
    if token is None:
        raise ConfigError(messages.not_set("SLACK_BOT_TOKEN"), messages.COPY_THE_BOT_TOKEN)
    return webapi.web_client(
        token=token.current, base_url=settings.slack_api_url, timeout=settings.slack_timeout
    )


def schedule_config(settings: Settings) -> ScheduleConfig:
    """The scheduler's timing, from the settings."""
    return ScheduleConfig(
        grace=timedelta(hours=settings.digest_grace_hours),
        lease=timedelta(seconds=settings.claim_lease_seconds),
        watch_interval=timedelta(minutes=settings.watch_interval_minutes),
        health_age=timedelta(seconds=max(settings.cache_ttl, settings.inventory_ttl)),
        tick_seconds=settings.scheduler_tick_seconds,
        language=settings.language,
    )


def build(
    settings: Settings,
    engines: Engines,
    *,
    simulated: bool,
    mode: Mode,
    metrics: Metrics,
    clock: Clock = utc_now,
    secrets: SlackSecrets | None = None,
) -> App:
    """Every part of backupbot over `engines`; HTTP mode needs the signing secret to verify
    requests. Whatever `serve` would refuse at start is refused here, in one line.
    `secrets` are Slack's, read already (else read here from the settings)."""
    secrets = secrets or slack_secrets(settings)
    signing = secrets.signing_secret
    if mode == "http" and signing is None:
        raise ConfigError(
            messages.not_set("SLACK_SIGNING_SECRET"), messages.COPY_THE_SIGNING_SECRET
        )
    # Read as `check` reads them (a bad file stops start-up, not digests), before the store.
    profiles = list(engines.by_name)
    declared = (
        load_declared_digests(settings.digests_file, profiles=profiles)
        if settings.digests_file
        else []
    )
    rules = load_rules(settings.access_file, profiles=profiles)
    store = open_store(settings)
    worker = f"{socket.gethostname()}:{os.getpid()}"
    client = slack_client(settings, token=secrets.bot_token)
    codec = button_codec(secrets)
    tasks = BackgroundTasks(on_idle=release_memory)
    delivery = Delivery(client=client, clock=clock, metrics=metrics)
    users = SlackUsers(client, default_language=settings.language)
    policy = AccessPolicy(rules, members=users.members)
    permissions = Permissions(policy=policy, engines=engines, subscriptions=store.subscriptions)
    config = schedule_config(settings)
    actions = BackupActions(
        records=store.actions,
        engines=engines,
        outbox=SlackActionOutbox(delivery=delivery, codec=codec, clock=clock, simulated=simulated),
        clock=clock,
        worker=worker,
        lease=config.lease,
    )

    def count(report: TickReport) -> None:
        metrics.digests.labels("posted").inc(len(report.posted))
        metrics.digests.labels("missed").inc(len(report.missed))
        metrics.alerts.inc(len(report.alerts))

    scheduler = Scheduler(
        store=store,
        engines=engines,
        outbox=SlackOutbox(delivery=delivery, codec=codec, clock=clock, simulated=simulated),
        clock=clock,
        worker=worker,
        config=config,
        on_report=count,
        allowed=permissions.subscription_allowed,
        follow=actions.follow,
    )
    questions = Questions(
        answers=Answers(engines=engines, codec=codec, clock=clock, simulated=simulated),
        permissions=permissions,
        users=users,
        tasks=tasks,
        delivery=delivery,
        subscriptions=SubscriptionCommands(
            subscriptions=store.subscriptions,
            watches=store.watches,
            scheduler=scheduler,
            engines=engines,
            delivery=delivery,
            clock=clock,
            slot=tasks.slot,
            watch_minutes=round(config.watch_interval.total_seconds() / 60),
        ),
        backups=BackupCommands(
            actions=actions,
            engines=engines,
            policy=policy,
            delivery=delivery,
            codec=codec,
            clock=clock,
            slot=tasks.slot,
            simulated=simulated,
        ),
    )
    home = Home(
        delivery=delivery,
        permissions=permissions,
        engines=engines,
        subscriptions=store.subscriptions,
        tasks=tasks,
        users=users,
        clock=clock,
        simulated=simulated,
    )
    bolt = bolt_app(client=client)
    Listeners(
        questions=questions,
        home=home,
        events=EventClaims(events=store.events, worker=worker, clock=clock, metrics=metrics),
        guard=Guard(metrics=metrics, language_of=users.language_of),
        tasks=tasks,
        delivery=delivery,
    ).register(bolt)
    return App(
        settings=settings,
        engines=engines,
        store=store,
        metrics=metrics,
        clock=clock,
        client=client,
        bolt=bolt,
        tasks=tasks,
        policy=policy,
        scheduler=scheduler,
        declared=declared,
        secrets=secrets,
        signatures=(
            RequestSignatures(signing.accepted) if mode == "http" and signing is not None else None
        ),
    )
