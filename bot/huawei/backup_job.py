"""Taking a backup by hand: `POST /v3/{project_id}/backups/create` (SDK
`create_gauss_my_sql_backup`) and following its job, `GET /v3/{project_id}/jobs?id=`
(SDK `show_gauss_my_sql_job_info`); the shapes are the SDK's (`MysqlCreateBackupRequest`,
`CreateGaussMySqlBackupResponse`, `GetJobInfoDetail`).

The create is sent once and never retried (the transport's `post_once`): an answer lost
is OutcomeUnknown, and whoever made the call looks for a backup of its name
(`find_backups`) rather than calling again. The API's 409s say a backup or another
operation is under way; they are answered in the words of the refusal backupbot gives
before calling. A 403 names the IAM action to grant.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bot import messages
from bot.core.backup import Backup
from bot.core.backup_action import Job, Started, backup_running, check_description, check_name
from bot.core.params import ListBackupsParams
from bot.errors import BackupbotError, UpstreamError, UserError
from bot.huawei.explanations import IamAction, denied
from bot.huawei.page import read_json, read_page
from bot.huawei.transport import Transport, reading
from bot.huawei.wire import to_query

CREATE_ACTION: IamAction = ("gaussdbformysql:backup:create", "gaussdb:backup:create")
# No role/policy-based equivalent of listing tasks is documented: none is named.
JOBS_ACTION: IamAction = ("gaussdbformysql:task:list", None)
MAX_PROCESS = 16  # the state store's column: "60%" fits; an odd longer value is cut, not fatal
BUSY_CODE = "DBS.201205"  # 409: a backup is in progress
# 409: another operation is being performed on the instance (facts.md).
OTHER_OPERATION_CODES = frozenset(
    {"DBS.200011", "DBS.200019", "DBS.200047", "DBS.201202", "DBS.212006"}
)


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


class _CreatedBackup(_Loose):
    id: str = Field(min_length=1)


class _Created(_Loose):
    backup: _CreatedBackup
    job_id: str = Field(min_length=1)


class _JobDetail(_Loose):
    id: str = ""
    status: str = ""
    process: str | None = None
    fail_reason: str | None = None


class _JobAnswer(_Loose):
    job: _JobDetail | None = None


def read_created(body: bytes | str) -> Started:
    """A create's 201 body: the new backup's id and its job's."""
    created = read_json(_Created, body)
    return Started(backup_id=created.backup.id, job_id=created.job_id)


def read_job(body: bytes | str) -> Job | None:
    """A job's body; None when it names no job (not known yet)."""
    detail = read_json(_JobAnswer, body).job
    if detail is None or not detail.id:
        return None
    return Job(
        id=detail.id,
        status=detail.status,
        process=(detail.process or "")[:MAX_PROCESS],
        fail_reason=detail.fail_reason or "",
    )


class BackupJobs:
    """Manual backups of one project: create once, follow the job, find by name."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self._project = transport.project_id

    async def create_backup(self, *, instance_id: str, name: str, description: str) -> Started:
        """Ask for a backup of `instance_id` named `name` (the rules checked first); sent
        once. A 409 is the refusal "a backup is already running" (or another operation);
        no answer is OutcomeUnknown."""
        body = {"instance_id": instance_id, "name": check_name(name)}
        if description:
            body["description"] = check_description(description)
        path = f"/v3/{self._project}/backups/create"
        try:
            return await self._transport.post_once(path, body, reading(read_created))
        except UpstreamError as error:
            raise _refusal(error, CREATE_ACTION) from error

    async def show_job(self, job_id: str) -> Job | None:
        """The job now; None when the API will not show it (any 4xx but a 403): a new job
        id is unknown for a few seconds, with an error code no doc gives, so none is
        trusted; whoever follows reads the backup's own row meanwhile."""
        path = f"/v3/{self._project}/jobs"
        try:
            return await self._transport.get(path, [("id", job_id)], reading(read_job))
        except UpstreamError as error:
            if error.status is not None and 400 <= error.status < 500 and error.status != 403:
                return None
            raise _refusal(error, JOBS_ACTION) from error

    async def find_backups(self, *, instance_id: str, name: str | None = None) -> list[Backup]:
        """The instance's latest backups (of that name, if given), newest first."""
        params = ListBackupsParams(instance_id=instance_id, name=name)
        path = f"/v3/{self._project}/backups"
        page = await self._transport.get(path, to_query(params), reading(read_page))
        return list(page.backups)


def _refusal(error: UpstreamError, action: IamAction) -> BackupbotError:
    """The API's refusal in backupbot's words: a 409 as "already running", a 403 naming
    the action to grant; anything else as it came."""
    if error.status == 409:
        if error.error_code == BUSY_CODE:
            return backup_running(None)
        return UserError(messages.ANOTHER_OPERATION, messages.WAIT_FOR_IT)
    return denied(error, action)
