"""`backupbot check`: is everything configured and reachable? Answers in words."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

import aiohttp
import httpx
from slack_sdk.errors import SlackApiError

from bot.access import load_rules
from bot.app.state_store import connect_store, store_config_error
from bot.app.wiring import slack_client
from bot.config import Settings
from bot.core.clock import utc_now
from bot.core.params import ListBackupsParams
from bot.errors import ConfigError, StorageError, UpstreamError
from bot.huawei.auth import IamToken
from bot.huawei.profiles import DEFAULT_PROFILE, Profile, api_for, load_profiles
from bot.schedule.config_file import load_declared_digests
from bot.schedule.migrate import MigrationRefused, known
from bot.slack.webapi import answered_json, error_code, slack_session

SLACK_ERRORS = {
    "invalid_auth": "the token is not valid: copy SLACK_BOT_TOKEN again from OAuth & Permissions",
    "not_authed": "no token was sent: set SLACK_BOT_TOKEN",
    "account_inactive": "the app was uninstalled or the token revoked: reinstall the app",
    "token_revoked": "the token was revoked: reinstall the app and copy the new token",
}


@dataclass(frozen=True)
class Finding:
    """One line of the report: passed (True), failed (False) or merely noted (None)."""

    ok: bool | None
    subject: str
    text: str

    def line(self) -> str:
        """The finding as printed."""
        mark = {True: "✔", False: "✖", None: "-"}[self.ok]
        return f"{mark} {self.subject}: {self.text}"


async def check(settings: Settings) -> list[Finding]:
    """Every check, in order; none raises. Whatever `serve` reads at start is read here too."""
    try:
        profiles = load_profiles(settings)
    except ConfigError as error:
        api = [Finding(False, "TaurusDB API", f"{error.message} ({error.hint})")]
    else:
        api = [await _api(settings, profile) for profile in profiles.by_name.values()]
    return [
        *api,
        *(await _slack(settings)),
        _access(settings),
        *_digests(settings),
        _state(settings),
    ]


async def _api(settings: Settings, profile: Profile) -> Finding:
    subject = "TaurusDB API" if profile.name == DEFAULT_PROFILE else f"TaurusDB API @{profile.name}"
    async with httpx.AsyncClient() as http:
        api = api_for(profile, settings=settings, http=http)
        auth = "IAM token" if isinstance(profile.credentials, IamToken) else "AK/SK signing"
        where = f"{api.endpoint}, project {api.project_id}, {auth}"
        try:
            page = await api.list_page(ListBackupsParams(limit=1))
        except UpstreamError as error:
            details = ", ".join(
                part
                for part in (
                    f"HTTP {error.status}" if error.status is not None else "",
                    error.error_code or "",
                    f"request id {error.request_id}" if error.request_id else "",
                )
                if part
            )
            explanation = f" {error.explanation}" if error.explanation else ""
            return Finding(False, subject, f"{error.summary} ({details}).{explanation} [{where}]")
    answered = (
        "answered, without a total_count"
        if page.total_count is None
        else f"answered: {page.total_count} backups"
    )
    return Finding(True, subject, f"{answered} [{where}]")


async def _slack(settings: Settings) -> list[Finding]:
    if settings.slack_bot_token is None:
        return [Finding(None, "Slack", "SLACK_BOT_TOKEN is not set (needed by serve and socket)")]
    client = slack_client(settings)
    try:
        async with slack_session(settings.slack_timeout) as session:
            client.session = session  # bounded by BACKUPBOT_SLACK_TIMEOUT, as in serve
            response = await client.auth_test()
    except SlackApiError as error:
        code = error_code(error)
        if not answered_json(error):
            return [
                Finding(
                    False,
                    "Slack",
                    f"{settings.slack_api_url} is not Slack's Web API: "
                    f"auth.test answered {code}; check SLACK_API_URL",
                )
            ]
        return [Finding(False, "Slack", f"auth.test refused: {SLACK_ERRORS.get(code, code)}")]
    except TimeoutError:
        return [
            Finding(
                False,
                "Slack",
                f"{settings.slack_api_url} did not answer within "
                f"{settings.slack_timeout:g} s (BACKUPBOT_SLACK_TIMEOUT)",
            )
        ]
    except aiohttp.ClientError as error:
        return [Finding(False, "Slack", f"could not reach {settings.slack_api_url}: {error}")]
    findings = [
        Finding(True, "Slack", f"connected to {response.get('team')} as @{response.get('user')}")
    ]
    modes = []
    if settings.slack_app_token is not None:
        modes.append("Socket Mode (backupbot socket)")
    if settings.slack_signing_secret is not None:
        modes.append("HTTP mode (backupbot serve)")
    findings.append(
        Finding(True, "Slack modes", ", ".join(modes))
        if modes
        else Finding(
            False, "Slack modes", "set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP)"
        )
    )
    return findings


def _access(settings: Settings) -> Finding:
    if settings.access_file is None:
        return Finding(None, "access rules", "not set: anyone in the workspace may ask")
    try:
        rules = load_rules(settings.access_file)
    except ConfigError as error:
        return Finding(False, "access rules", f"{error.message} ({error.hint})")
    count = f"{len(rules)} rule{'s' if len(rules) != 1 else ''}"
    return Finding(True, "access rules", f"{count} in {settings.access_file}")


def _digests(settings: Settings) -> list[Finding]:
    if settings.digests_file is None:
        return []
    try:
        declared = load_declared_digests(settings.digests_file)
    except ConfigError as error:
        return [Finding(False, "digests file", f"{error.message} ({error.hint})")]
    count = f"{len(declared)} digest{'s' if len(declared) != 1 else ''}"
    return [Finding(True, "digests file", f"{count} in {settings.digests_file}")]


def _state(settings: Settings) -> Finding:
    """Reachable, at the schema this backupbot needs, writable: without changing anything."""
    try:
        store = connect_store(settings)
    except ConfigError as error:
        return Finding(False, "state", f"{error.message} ({error.hint})")
    try:
        current, latest = store.schema()
        if current is None or (current != latest and known(current)):
            found = "no backupbot tables yet" if current is None else f"schema {current}"
            return Finding(
                None,
                "state",
                f"{store.database}: {found}; backupbot migrates it to schema {latest} at start "
                "(or run backupbot migrate)",
            )
        if current != latest:
            raise MigrationRefused(
                f"its schema {current} comes from a newer backupbot",
                "run the backupbot that migrated it: migrations only go forward",
            )
        store.probe(f"check:{socket.gethostname()}:{os.getpid()}", now=utc_now())
    except (StorageError, MigrationRefused) as error:
        problem = store_config_error(settings, store, error=error)
        return Finding(False, "state", f"{problem.message} ({problem.hint})")
    finally:
        store.close()
    return Finding(True, "state", f"{store.database} is ready (schema {latest}, writable)")
