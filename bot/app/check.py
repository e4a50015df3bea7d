"""`backupbot check`: is everything configured and reachable? Answers in words."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

import aiohttp
import httpx
from slack_sdk.errors import SlackApiError

from bot.access import load_rules
from bot.app.state_store import connect_store, store_config_error
from bot.app.wiring import slack_client
from bot.config import Settings
from bot.core.assess import describe
from bot.core.clock import utc_now
from bot.core.instances import BackupPolicy, Instance
from bot.core.params import ListBackupsParams
from bot.core.summary import human_age
from bot.errors import (
    ConfigError,
    InvalidRequest,
    MigrationRefused,
    PermissionDenied,
    StorageError,
    UpstreamError,
)
from bot.huawei.auth import IamToken
from bot.huawei.client import BackupsApi
from bot.huawei.profiles import DEFAULT_PROFILE, Profile, api_for, load_profiles
from bot.schedule.config_file import load_declared_digests
from bot.schedule.migrate import known
from bot.slack.webapi import answered_json, error_code, slack_session

SLACK_ERRORS = {
    "invalid_auth": "the token is not valid: copy SLACK_BOT_TOKEN again from OAuth & Permissions",
    "not_authed": "no token was sent: set SLACK_BOT_TOKEN",
    "account_inactive": "the app was uninstalled or the token revoked: reinstall the app",
    "token_revoked": "the token was revoked: reinstall the app and copy the new token",
}
UTC_ZONE = ZoneInfo("UTC")


@dataclass(frozen=True)
class Finding:
    """One line of the report: passed (True), failed (False) or merely noted (None).

    A warning (`warn`) is noted, not failed: something works less well than it could,
    and `check` still exits 0.
    """

    ok: bool | None
    subject: str
    text: str
    warn: bool = False

    def line(self) -> str:
        """The finding as printed."""
        mark = "⚠" if self.warn else {True: "✔", False: "✖", None: "-"}[self.ok]
        return f"{mark} {self.subject}: {self.text}"


async def check(settings: Settings) -> list[Finding]:
    """Every check, in order; none raises. Whatever `serve` reads at start is read here too."""
    try:
        profiles = load_profiles(settings)
    except ConfigError as error:
        api = [Finding(False, "TaurusDB API", f"{error.message} ({error.hint})")]
    else:
        api = [
            finding
            for profile in profiles.by_name.values()
            for finding in await _api(settings, profile)
        ]
    return [
        *api,
        *(await _slack(settings)),
        _access(settings),
        *_digests(settings),
        _state(settings),
    ]


async def _api(settings: Settings, profile: Profile) -> list[Finding]:
    suffix = "" if profile.name == DEFAULT_PROFILE else f" @{profile.name}"
    subject = f"TaurusDB API{suffix}"
    async with httpx.AsyncClient() as http:
        api = api_for(profile, settings=settings, http=http)
        auth = "IAM token" if isinstance(profile.credentials, IamToken) else "AK/SK signing"
        where = f"{api.endpoint}, project {api.project_id}, {auth}"
        try:
            page = await api.list_page(ListBackupsParams(limit=1))
        except UpstreamError as error:
            # Nothing else could answer either (a bad key, a wrong host): one line says it.
            return [Finding(False, subject, f"{_refused(error)} [{where}]")]
        answered = (
            "answered, without a total_count"
            if page.total_count is None
            else f"answered: {page.total_count} backups"
        )
        seen = next((backup.instance_id for backup in page.backups if backup.instance_id), None)
        return [
            Finding(True, subject, f"{answered} [{where}]"),
            *(await _inventory(api, suffix=suffix, seen=seen, settings=settings)),
        ]


async def _inventory(
    api: BackupsApi, *, suffix: str, seen: str | None, settings: Settings
) -> list[Finding]:
    """One instance page and one policy read: may health judge by policy?

    A denial is a warning, not a failure: health still answers, by the age threshold.
    The policy read is of the first instance listed, else of the newest backup's.
    """
    threshold = human_age(timedelta(hours=settings.stale_after_hours))
    fallback = f"health falls back to the {threshold} threshold"
    instances, policies = f"TaurusDB instances{suffix}", f"TaurusDB policies{suffix}"
    findings: list[Finding] = []
    first: Instance | None = None
    try:
        listed = await api.instance_page(limit=1)
    except PermissionDenied as denied:
        text = f"may not list instances: {_grant(denied)}; {fallback} and cannot see "
        findings.append(Finding(None, instances, text + "instances without backups", warn=True))
    except UpstreamError as error:
        findings.append(Finding(False, instances, _refused(error)))
    else:
        first = listed.instances[0] if listed.instances else None
        count = f"{listed.total_count} instance{'s' if listed.total_count != 1 else ''}"
        findings.append(Finding(True, instances, f"may list instances ({count})"))
    instance_id = first.id if first is not None else seen
    if instance_id is None:
        findings.append(Finding(None, policies, "not checked: no instance to read the policy of"))
        return findings
    label = first.label if first is not None else instance_id
    try:
        policy = await api.show_policy(instance_id)
    except PermissionDenied as denied:
        text = f"may not read backup policies: {_grant(denied)}; {fallback}"
        findings.append(Finding(None, policies, text, warn=True))
    except (UpstreamError, InvalidRequest) as error:
        # An instance known only from a backup may be gone: that fails nothing.
        why = _refused(error) if isinstance(error, UpstreamError) else error.message
        findings.append(Finding(False if first is not None else None, policies, f"{label}: {why}"))
    else:
        text = f"may read backup policies ({label}: {_expects(policy)})"
        findings.append(Finding(True, policies, text))
    return findings


def _grant(denied: PermissionDenied) -> str:
    return f"grant {denied.action} (role/policy-based: {denied.legacy_action})"


def _expects(policy: BackupPolicy) -> str:
    try:
        schedule = policy.schedule()
    except ValueError as error:
        return f"not understood: {error}"
    if schedule is None:
        return "no automated backups"
    return describe(schedule, zone=UTC_ZONE, now=utc_now())


def _refused(error: UpstreamError) -> str:
    """An upstream error in one sentence: what, the codes to quote, and what it means."""
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
    return f"{error.summary} ({details}).{explanation}"


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
