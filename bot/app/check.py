"""`backupbot check`: is everything configured and reachable? Answers in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

import aiohttp
import httpx
from slack_sdk.errors import SlackApiError

from bot import messages
from bot.app.engines import api_settings, cloud_settings
from bot.app.slack_secrets import slack_secrets
from bot.app.state_store import connect_store, prove_writable, store_config_error
from bot.app.wiring import slack_client
from bot.config import Settings
from bot.core.clock import utc_now
from bot.core.health.assess import describe
from bot.core.health.instances import Instance, PolicyRead, PolicyUnreadable
from bot.core.human import human_age
from bot.core.params import ListBackupsParams
from bot.errors import (
    ConfigError,
    CredentialsUnavailable,
    InvalidRequest,
    MigrationRefused,
    PermissionDenied,
    StoreUnusable,
    UpstreamError,
)
from bot.huawei.auth import IamToken
from bot.huawei.backup_job import CREATE_ACTION, JOBS_ACTION
from bot.huawei.client import BackupsApi
from bot.huawei.credentials import Refresher
from bot.huawei.profiles import DEFAULT_PROFILE, Profile, api_for, load_profiles
from bot.schedule.config_file import load_declared_digests
from bot.schedule.migrate import known
from bot.slack.access import load_rules
from bot.slack.webapi import answered_json, error_code, slack_session
from bot.support.error_words import words_of

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
        return messages.check_line(mark=mark, subject=self.subject, text=self.text)


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
            for finding in await _api(settings, profile)
        ]
    return [
        *api,
        *(await _slack(settings)),
        _access(settings, profiles=names),
        *_digests(settings, profiles=names),
        _state(settings),
    ]


async def _api(settings: Settings, profile: Profile) -> list[Finding]:
    suffix = "" if profile.name == DEFAULT_PROFILE else f" @{profile.name}"
    subject = messages.CHECK_API + suffix
    async with httpx.AsyncClient() as http:
        refresher = Refresher(profile.credentials, http=http)
        found = await _credentials(refresher, subject=messages.CHECK_CREDENTIALS + suffix)
        if not found.ok:
            return [found]  # nothing could be signed: the API is not asked
        api = api_for(profile, settings=api_settings(settings), http=http, keyring=refresher)
        token = isinstance(await refresher.current(), IamToken)
        auth = messages.IAM_TOKEN if token else messages.AK_SK_SIGNING
        where = messages.api_where(endpoint=api.endpoint, project=api.project_id, auth=auth)
        try:
            page = await api.list_page(ListBackupsParams(limit=1))
        except UpstreamError as error:
            # Nothing else could answer either (a bad key, a wrong host): one line says it.
            return [found, Finding(False, subject, f"{_refused(error)} [{where}]")]
        answered = (
            messages.ANSWERED_WITHOUT_TOTAL
            if page.total_count is None
            else messages.answered_backups(page.total_count)
        )
        seen = next((backup.instance_id for backup in page.backups if backup.instance_id), None)
        return [
            found,
            Finding(True, subject, f"{answered} [{where}]"),
            *(await _inventory(api, suffix=suffix, seen=seen, settings=settings)),
            # Never tried: trying would take a backup. Granted or not, a 403 will name it.
            Finding(
                None,
                messages.CHECK_ACTIONS + suffix,
                messages.actions_need(CREATE_ACTION[0], JOBS_ACTION[0]),
            ),
        ]


async def _credentials(refresher: Refresher, *, subject: str) -> Finding:
    """Where a profile's credentials come from and when they expire, once fetched."""
    try:
        await refresher.current()
    except CredentialsUnavailable as error:
        return Finding(False, subject, messages.said_then_hint(error.said, error.hint))
    status = refresher.status
    if status.expires_at is None:
        return Finding(True, subject, messages.fixed_from(status.source))
    expires = status.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    left = human_age(status.expires_at - utc_now())
    return Finding(True, subject, messages.temporary_from(status.source, expires, left))


async def _inventory(
    api: BackupsApi, *, suffix: str, seen: str | None, settings: Settings
) -> list[Finding]:
    """One instance page and one policy read: may health judge by policy?

    A denial is a warning, not a failure: health still answers, by the age threshold.
    The policy read is of the first instance listed, else of the newest backup's.
    """
    threshold = human_age(timedelta(hours=settings.stale_after_hours))
    fallback = messages.health_falls_back(threshold)
    instances, policies = messages.CHECK_INSTANCES + suffix, messages.CHECK_POLICIES + suffix
    findings: list[Finding] = []
    first: Instance | None = None
    try:
        listed = await api.instance_page(limit=1)
    except PermissionDenied as denied:
        text = messages.may_not_list_instances(_grant(denied), fallback)
        findings.append(Finding(None, instances, text, warn=True))
    except UpstreamError as error:
        findings.append(Finding(False, instances, _refused(error)))
    else:
        first = listed.instances[0] if listed.instances else None
        total = listed.total_count  # optional in the SDK
        count = messages.NO_TOTAL_GIVEN if total is None else messages.instances_counted(total)
        findings.append(Finding(True, instances, messages.may_list_instances(count)))
    instance_id = first.id if first is not None else seen
    if instance_id is None:
        findings.append(Finding(None, policies, messages.NO_INSTANCE_FOR_POLICY))
        return findings
    label = first.label if first is not None else instance_id
    try:
        policy = await api.show_policy(instance_id)
    except PermissionDenied as denied:
        text = messages.may_not_read_policies(_grant(denied), fallback)
        findings.append(Finding(None, policies, text, warn=True))
    except UpstreamError as error:
        # An instance known only from a backup may be gone: that fails nothing.
        findings.append(_policy_failed(first is not None, policies, f"{label}: {_refused(error)}"))
    except InvalidRequest as error:
        findings.append(_policy_failed(first is not None, policies, f"{label}: {error.said}"))
    else:
        text = messages.may_read_policies(label, _expects(policy))
        findings.append(Finding(True, policies, text))
    findings.append(await _restore_times(api, instance_id, label=label, suffix=suffix))
    return findings


async def _restore_times(api: BackupsApi, instance_id: str, *, label: str, suffix: str) -> Finding:
    """One read of the instance's restorable times over the last day: may restore
    questions be answered? A denial is a warning: everything else still works."""
    subject = messages.CHECK_RESTORE + suffix
    now = utc_now()
    try:
        ranges = await api.restores.restore_times(
            instance_id, start=now - timedelta(days=1), end=now - timedelta(minutes=1)
        )
    except PermissionDenied as denied:
        return Finding(
            None, subject, messages.may_not_read_restore_times(_grant(denied)), warn=True
        )
    except UpstreamError as error:
        return Finding(False, subject, f"{label}: {_refused(error)}")
    except InvalidRequest as error:
        return Finding(None, subject, f"{label}: {error.said}")
    return Finding(True, subject, messages.may_read_restore_times(label, len(ranges.spans)))


def _policy_failed(listed: bool, subject: str, text: str) -> Finding:
    """A policy read that failed: a failure for a listed instance, nothing to judge for
    one known only from a backup (it may be gone)."""
    return Finding(False if listed else None, subject, text)


def _grant(denied: PermissionDenied) -> str:
    return messages.grant(denied.action, denied.legacy_action)


def _expects(policy: PolicyRead) -> str:
    if isinstance(policy, PolicyUnreadable):
        return policy.reason
    try:
        schedule = policy.schedule()
    except ValueError as error:
        return messages.not_understood(str(error))
    if schedule is None:
        return messages.NO_AUTOMATED_BACKUPS
    return describe(schedule, zone=UTC_ZONE, now=utc_now())


def _refused(error: UpstreamError) -> str:
    """An upstream error in one sentence: what, the codes to quote (or, with no answer,
    why: the network's words), and what it means."""
    details = ", ".join(
        part
        for part in (
            f"HTTP {error.status}" if error.status is not None else "",
            error.error_code or "",
            messages.request_id(error.request_id) if error.request_id else "",
        )
        if part
    )
    cause = error.__cause__
    if not details and cause is not None and not isinstance(cause, httpx.TimeoutException):
        details = words_of(cause)  # a timeout's summary says it all: no answer within N s
    return messages.said_then_hint(error.said, error.hint, details=details)


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
