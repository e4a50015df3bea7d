"""`backupbot check` of one cloud profile: its credentials, then what the API lets it
read (backups, instances, policies, restorable times), a denial a warning where health
or restore answers still work without it. Changes with the Huawei API and its IAM."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx

from bot import messages
from bot.app.check_finding import Finding
from bot.app.engines import api_settings
from bot.config import Settings
from bot.core.clock import utc_now
from bot.core.health.assess import describe
from bot.core.health.instances import Instance, PolicyRead, PolicyUnreadable
from bot.core.human import human_age
from bot.core.params import ListBackupsParams
from bot.errors import CredentialsUnavailable, InvalidRequest, PermissionDenied, UpstreamError
from bot.huawei.auth import IamToken
from bot.huawei.backup_job import CREATE_ACTION, JOBS_ACTION
from bot.huawei.client import BackupsApi
from bot.huawei.credentials import Refresher
from bot.huawei.profiles import DEFAULT_PROFILE, Profile, api_for
from bot.support.error_words import words_of

UTC_ZONE = ZoneInfo("UTC")


async def api_findings(settings: Settings, profile: Profile) -> list[Finding]:
    """A profile's credentials, one backups page, the inventory and the restore reads."""
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
