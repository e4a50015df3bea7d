"""Taking a backup by hand, as values and rules: the request a confirmation carries, the
name it gets, the description the API accepts, when to refuse before calling, and what
the API's job says. Pure: the API is a `BackupMaker` handed in (bot/huawei/backup_job.py).

The API's rules (facts.md, "Manual backup"): a name of 4-64 characters, starting with a
letter, of letters, digits, `-` and `_`; a description of at most 256 characters, none of
`> ! < " & ' =` and no carriage return. Both are checked here, before anything is sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot import messages
from bot.core.backup import Backup, BackupStatus
from bot.errors import InvalidRequest, UserError

NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{3,63}$")
MAX_NAME = 64
MAX_DESCRIPTION = 256
FORBIDDEN = ">!<\"&'="
STAMP = "%Y%m%d%H%M%S"  # UTC: the name says when it was asked for, the same everywhere
# Instance statuses a backup may be taken in (the v3 listing's and the v3.1 one's).
READY_STATUSES = frozenset({"ACTIVE", "NORMAL"})
BACKING_UP = "BACKING UP"
# Following a backup: its job is read first, its own row in the listing when the job cannot
# be (a new job id is unknown for a few seconds, with no documented error code). Past
# JOB_GRACE after the click, a job still unreadable is said in words (and a row still
# BUILDING past JOB_GRACE after its job completed is not waited on); when neither job nor
# row was seen for FOLLOW_FOR, following ends in words rather than never.
JOB_GRACE = timedelta(minutes=2)
FOLLOW_FOR = timedelta(minutes=30)


def lost_sight(*, last_seen: datetime, now: datetime) -> bool:
    """Whether a backup neither seen by its job nor by its row since `last_seen` is to be
    followed no longer."""
    return now - last_seen >= FOLLOW_FOR


def past_grace(*, since: datetime, now: datetime) -> bool:
    """Whether what the API shows late (a new job since the click; a finished backup's row
    since its job was last seen running) is past the little while it takes."""
    return now - since >= JOB_GRACE


def backup_name(instance: str, now: datetime) -> str:
    """`INSTANCE-YYYYMMDDhhmmss` (UTC), made to fit the API's rule: characters it refuses
    become `-`, a name not starting with a letter gets a `backup-` prefix, and the
    instance's part is shortened so that the whole is at most 64 characters."""
    stamp = now.astimezone(UTC).strftime(STAMP)
    base = re.sub(r"[^A-Za-z0-9_-]", "-", instance)
    if not base[:1].isascii() or not base[:1].isalpha():
        base = "backup-" + base
    base = base[: MAX_NAME - len(stamp) - 1].rstrip("-") or "backup"
    return f"{base}-{stamp}"


def check_name(name: str) -> str:
    """`name` if the API would take it; else InvalidRequest saying the rule."""
    if not NAME_RE.match(name):
        raise InvalidRequest(messages.backup_name_refused(name), messages.BACKUP_NAME_RULE)
    return name


def check_description(text: str) -> str:
    """`text` if the API would take it as a description; else InvalidRequest naming the
    first character it refuses (or the length)."""
    for character in text:
        if character in FORBIDDEN:
            raise InvalidRequest(messages.description_has(character), messages.DESCRIPTION_RULE)
        if character == "\r":
            raise InvalidRequest(messages.DESCRIPTION_HAS_A_RETURN, messages.DESCRIPTION_RULE)
    if len(text) > MAX_DESCRIPTION:
        raise InvalidRequest(
            messages.description_too_long(len(text), MAX_DESCRIPTION), messages.DESCRIPTION_RULE
        )
    return text


@dataclass(frozen=True, kw_only=True)
class BackupRequest:
    """One request to back up an instance, as its confirmation carries it: whoever acts on
    the click (any replica) needs nothing else. `confirmation` is its unique key."""

    confirmation: str
    profile: str | None
    instance_id: str
    instance_name: str
    name: str
    description: str
    team: str
    channel: str
    user: str
    asked_at: datetime
    expires_at: datetime

    def expired(self, now: datetime) -> bool:
        """Whether the confirmation is too old to act on."""
        return now >= self.expires_at


@dataclass(frozen=True)
class Started:
    """What the API answered to a create: the new backup and the job that makes it."""

    backup_id: str
    job_id: str


class JobStatus:
    """The job's statuses, as the API writes them."""

    PENDING = "Pending"
    RUNNING = "Running"
    COMPLETED = "Completed"
    FAILED = "Failed"


@dataclass(frozen=True)
class Job:
    """A job as `GET /v3/{project_id}/jobs?id=` shows it (only what following uses)."""

    id: str
    status: str
    process: str = ""
    fail_reason: str = ""

    @property
    def finished(self) -> bool:
        """Whether the job will not change any more."""
        return self.status in (JobStatus.COMPLETED, JobStatus.FAILED)


class BackupMaker(Protocol):
    """The API calls a manual backup needs (bot/huawei/backup_job.py is TaurusDB's)."""

    async def create_backup(self, *, instance_id: str, name: str, description: str) -> Started:
        """POST the backup once; UpstreamError when refused, OutcomeUnknown when the
        answer was lost (the backup may exist)."""
        ...

    async def show_job(self, job_id: str) -> Job | None:
        """The job; None while the API does not know it yet (a new job, for a few seconds)."""
        ...

    async def find_backups(self, *, instance_id: str, name: str | None = None) -> list[Backup]:
        """The instance's backups (of that name), newest first: the latest page."""
        ...


@dataclass(frozen=True)
class Starter:
    """Who asked for a backup backupbot took: a Slack user id (asked in Slack) or a login
    name (asked on the command line). Each surface words it its own way (a mention in
    Slack, plain text on the command line): the core never does."""

    user: str
    in_slack: bool


Namer = Callable[[Starter], str]


@dataclass(frozen=True)
class Busy:
    """A backup of the instance already running: since when, and by whom if known (in the
    asking surface's words)."""

    since: datetime | None
    by: str | None
    manual: bool


def refusal(*, status: str, building: Sequence[Backup], busy_by: str | None) -> UserError | None:
    """Why no backup may be taken now, or None: the instance is not normal, or a backup of
    it is already running (its status BACKING UP, or a BUILDING backup). `busy_by` is who
    started the running one, when backupbot did."""
    running = [backup for backup in building if backup.status is BackupStatus.BUILDING]
    if running or status.strip().upper() == BACKING_UP:
        first = running[0] if running else None
        busy = Busy(
            since=first.begin_time if first else None,
            by=busy_by,
            manual=first is not None and first.type == "manual",
        )
        return backup_running(busy)
    if status.strip().upper() not in READY_STATUSES:
        return UserError(
            messages.instance_not_ready(status or messages.UNKNOWN_STATUS),
            messages.TRY_WHEN_NORMAL,
        )
    return None


def backup_running(busy: Busy | None) -> UserError:
    """The refusal for a backup already running, in the same words whether backupbot saw
    it or the API said so (409 DBS.201205)."""
    if busy is None or busy.since is None:
        return UserError(messages.BACKUP_ALREADY_RUNNING, messages.WAIT_FOR_IT)
    since = busy.since.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if busy.by:
        return UserError(messages.backup_running_by(busy.by, since), messages.WAIT_FOR_IT)
    if busy.manual:
        return UserError(messages.manual_backup_running_since(since), messages.WAIT_FOR_IT)
    return UserError(messages.automated_backup_running_since(since), messages.WAIT_FOR_IT)
