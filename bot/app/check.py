"""`backupbot check`: is everything configured and reachable? Answers in words.

The cloud profiles are checked in `check_cloud`; Slack, the access rules, the digests
and the state store here."""

from __future__ import annotations

import aiohttp
from slack_sdk.errors import SlackApiError

from bot import messages
from bot.app.check_cloud import api_findings
from bot.app.check_finding import Finding
from bot.app.engines import cloud_settings
from bot.app.slack_secrets import slack_secrets
from bot.app.state_store import connect_store, prove_writable, store_config_error
from bot.app.wiring import slack_client
from bot.config import Settings
from bot.errors import ConfigError, MigrationRefused, StoreUnusable
from bot.huawei.profiles import load_profiles
from bot.schedule.config_file import load_declared_digests
from bot.schedule.migrate import known
from bot.slack.access import load_rules
from bot.slack.webapi import answered_json, error_code, slack_session
from bot.support.error_words import words_of


async def check(settings: Settings) -> list[Finding]:
    """Every check, in order; none raises. Whatever `serve` reads at start is read here too."""
    names: list[str] | None = None  # the profiles configured; None: they cannot be read
    try:
        profiles = load_profiles(cloud_settings(settings))
    except ConfigError as error:
        api = [Finding(False, messages.CHECK_API, messages.said_and_hint(error.said, error.hint))]
    else:
        names = list(profiles.by_name)
        api = [
            finding
            for profile in profiles.by_name.values()
            for finding in await api_findings(settings, profile)
        ]
    return [
        *api,
        *(await _slack(settings)),
        _access(settings, profiles=names),
        *_digests(settings, profiles=names),
        _state(settings),
    ]


async def _slack(settings: Settings) -> list[Finding]:
    try:
        secrets = slack_secrets(settings)
    except ConfigError as error:
        return [
            Finding(False, messages.CHECK_SLACK, messages.said_and_hint(error.said, error.hint))
        ]
    if secrets.bot_token is None:
        return [Finding(None, messages.CHECK_SLACK, messages.NO_SLACK_TOKEN)]
    client = slack_client(settings, token=secrets.bot_token)
    try:
        async with slack_session(settings.slack_timeout) as session:
            client.session = session  # bounded by BACKUPBOT_SLACK_TIMEOUT, as in serve
            response = await client.auth_test()
    except SlackApiError as error:
        code = error_code(error)
        if not answered_json(error):
            text = messages.not_slack_check_url(settings.slack_api_url, code)
            return [Finding(False, messages.CHECK_SLACK, text)]
        why = messages.AUTH_TEST_ERRORS.get(code, code)
        return [Finding(False, messages.CHECK_SLACK, messages.auth_test_refused(why))]
    except TimeoutError:
        text = messages.slack_did_not_answer(settings.slack_api_url, settings.slack_timeout)
        return [Finding(False, messages.CHECK_SLACK, text)]
    except aiohttp.ClientError as error:
        text = messages.could_not_reach(settings.slack_api_url, words_of(error))
        return [Finding(False, messages.CHECK_SLACK, text)]
    connected = messages.connected_as(response.get("team"), response.get("user"))
    findings = [Finding(True, messages.CHECK_SLACK, connected)]
    modes = []
    if secrets.app_token is not None:
        modes.append(messages.SOCKET_MODE)
    if secrets.signing_secret is not None:
        modes.append(messages.HTTP_MODE)
    findings.append(
        Finding(True, messages.CHECK_SLACK_MODES, ", ".join(modes))
        if modes
        else Finding(False, messages.CHECK_SLACK_MODES, messages.SET_A_SLACK_MODE)
    )
    return findings


def _access(settings: Settings, *, profiles: list[str] | None) -> Finding:
    if settings.access_file is None:
        return Finding(None, messages.CHECK_ACCESS, messages.NO_ACCESS_RULES)
    try:
        rules = load_rules(settings.access_file, profiles=profiles)
    except ConfigError as error:
        return Finding(False, messages.CHECK_ACCESS, messages.said_and_hint(error.said, error.hint))
    count = messages.rules_counted(len(rules))
    return Finding(True, messages.CHECK_ACCESS, messages.found_in(count, settings.access_file))


def _digests(settings: Settings, *, profiles: list[str] | None) -> list[Finding]:
    if settings.digests_file is None:
        return []
    try:
        declared = load_declared_digests(settings.digests_file, profiles=profiles)
    except ConfigError as error:
        return [
            Finding(False, messages.CHECK_DIGESTS, messages.said_and_hint(error.said, error.hint))
        ]
    count = messages.digests_counted(len(declared))
    return [Finding(True, messages.CHECK_DIGESTS, messages.found_in(count, settings.digests_file))]


def _state(settings: Settings) -> Finding:
    """Reachable, at the schema this backupbot needs, writable: without changing anything."""
    try:
        store = connect_store(settings)
    except ConfigError as error:
        return Finding(False, messages.CHECK_STATE, messages.said_and_hint(error.said, error.hint))
    try:
        current, latest = store.schema()
        if current is None or (current != latest and known(current)):
            found = messages.NO_TABLES_YET if current is None else messages.schema_named(current)
            text = messages.migrates_at_start(database=store.database, found=found, latest=latest)
            return Finding(None, messages.CHECK_STATE, text)
        if current != latest:
            raise MigrationRefused(messages.newer_schema(current), messages.MIGRATIONS_GO_FORWARD)
        prove_writable(store, purpose="check")
    except StoreUnusable as error:
        problem = store_config_error(settings, store, error=error)
        return Finding(
            False, messages.CHECK_STATE, messages.said_and_hint(problem.said, problem.hint)
        )
    finally:
        store.close()
    return Finding(True, messages.CHECK_STATE, messages.store_ready(store.database, latest))
