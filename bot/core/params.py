"""The query parameters of `GET /v3/{project_id}/backups`, checked as the reference documents.

A violation raises InvalidRequest before any request is made. The simulator checks
incoming requests with the same rules, so both sides agree.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot import messages
from bot.core.bounds import WindowFault, window_fault
from bot.errors import InvalidRequest
from bot.support.validation import first_problem

MAX_LIMIT = 100
NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{3,63}$")
# The reference says 36 alphanumerics ending `in07`/`br07`; its own example uses `in01`/`br01`.
INSTANCE_ID_RE = re.compile(r"^[A-Za-z0-9]{32}in\d\d$")
BACKUP_ID_RE = re.compile(r"^[A-Za-z0-9]{32}br\d\d$")
# The API's times are whole seconds: a bound within a second of now is now.
WIRE_RESOLUTION = timedelta(seconds=1)


def on_the_wire(moment: datetime) -> datetime:
    """`moment` as the API reads it when sent as a bound: the wire carries whole seconds."""
    return moment.replace(microsecond=0)


class ListBackupsParams(BaseModel):
    """Typed query parameters; the Huawei adapter writes them as the strings the API takes."""

    model_config = ConfigDict(frozen=True)

    instance_id: str | None = None
    backup_id: str | None = None
    backup_type: Literal["auto", "manual"] | None = None
    offset: int = Field(default=0, ge=0)
    limit: int = Field(default=MAX_LIMIT, ge=1, le=MAX_LIMIT)
    begin_time: datetime | None = None
    end_time: datetime | None = None
    name: str | None = None
    instance_name: str | None = None

    @field_validator("instance_id")
    @classmethod
    def _instance_id(cls, value: str | None) -> str | None:
        if value is not None and not INSTANCE_ID_RE.match(value):
            raise ValueError(messages.INSTANCE_ID_RULE)
        return value

    @field_validator("backup_id")
    @classmethod
    def _backup_id(cls, value: str | None) -> str | None:
        if value is not None and not BACKUP_ID_RE.match(value):
            raise ValueError(messages.BACKUP_ID_RULE)
        return value

    @field_validator("name", "instance_name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and not NAME_RE.match(value):
            raise ValueError(messages.NAME_IS)
        return value

    @field_validator("begin_time", "end_time")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError(messages.TIMES_NEED_AN_OFFSET)
        return value

    @classmethod
    def build(cls, **values: object) -> ListBackupsParams:
        """Construct, turning pydantic's errors into one InvalidRequest naming the parameter."""
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            problem = first_problem(exc)
            raise InvalidRequest(
                messages.invalid_parameter(problem.where or "parameter", problem.message),
                messages.CHECK_THE_VALUE,
            ) from None

    def checked_at(self, now: datetime, *, server_lag: timedelta) -> ListBackupsParams:
        """Apply the rules that depend on the clock; return the parameters to send.

        Times must not be in the future and begin must precede end. An end time within
        `server_lag` of now is dropped: the window ends "now", and a server whose clock
        lags ours would see that end as future and refuse it.
        """
        fault = window_fault(self.begin_time, self.end_time, now=now, leeway=WIRE_RESOLUTION)
        if fault is WindowFault.STARTS_IN_THE_FUTURE:
            raise InvalidRequest(messages.START_IN_THE_FUTURE, messages.PICK_AN_EARLIER_START_TIME)
        if fault in (WindowFault.ENDS_BEFORE_IT_STARTS, WindowFault.EMPTY):
            raise InvalidRequest(messages.STARTS_AFTER_IT_ENDS, messages.SWAP_OR_WIDEN)
        if fault is WindowFault.ENDS_IN_THE_FUTURE:
            raise InvalidRequest(messages.END_IN_THE_FUTURE, messages.LEAVE_THE_END_OUT)
        if self.end_time is None:
            return self
        if self.end_time > now - server_lag:
            return self.model_copy(update={"end_time": None})
        return self
