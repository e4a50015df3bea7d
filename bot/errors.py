"""The error tree of backupbot.

    BackupbotError            base of everything raised on purpose
    ├── UserError             the user can fix it; `message` and `hint` are safe to show
    │   ├── ConfigError       missing or malformed configuration, names the variable
    │   └── InvalidRequest    a request the API would refuse, caught before sending
    ├── UpstreamError         the TaurusDB API refused or could not be reached
    │   └── PermissionDenied  HTTP 403: the IAM user may not call that API; names the action
    └── StorageError          the state store (digests, watches, claims) cannot be read or
                              written: for the operator, names the database and the error

Anything else is a bug: adapters log it with a traceback and answer with a
generic apology.
"""

from __future__ import annotations


class BackupbotError(Exception):
    """Base of all errors backupbot raises on purpose."""


class UserError(BackupbotError):
    """A mistake the user can fix: the message and hint are safe to show anyone."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ConfigError(UserError):
    """Configuration is missing or malformed; the message names the variable."""


class InvalidRequest(UserError):
    """A request parameter breaks the API's documented constraints."""


class UpstreamError(BackupbotError):
    """The TaurusDB API answered with an error, or could not be reached.

    `status` is None when no HTTP response arrived (timeout, refused connection).
    """

    def __init__(
        self,
        summary: str,
        *,
        status: int | None = None,
        error_code: str | None = None,
        error_msg: str | None = None,
        request_id: str | None = None,
        explanation: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(summary)
        self.summary = summary
        self.status = status
        self.error_code = error_code
        self.error_msg = error_msg
        self.request_id = request_id
        self.explanation = explanation
        self.retry_after = retry_after

    def __str__(self) -> str:
        parts = [self.summary]
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.error_code:
            parts.append(self.error_code)
        if self.error_msg:
            parts.append(self.error_msg)
        if self.request_id:
            parts.append(f"request id {self.request_id}")
        text = ": ".join(parts[:1]) + ("" if len(parts) == 1 else " (" + ", ".join(parts[1:]) + ")")
        return f"{text}. {self.explanation}" if self.explanation else text


class PermissionDenied(UpstreamError):
    """HTTP 403 (`APIGW.0302`): the IAM user may not call this API.

    `action` is the identity-policy action to grant and `legacy_action` its equivalent
    for role/policy-based authorization. Callers that can do without the API (health
    without policies falls back to the age threshold) catch this one error.
    """

    def __init__(
        self,
        summary: str,
        *,
        action: str,
        legacy_action: str,
        status: int | None = None,
        error_code: str | None = None,
        error_msg: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(
            summary,
            status=status,
            error_code=error_code,
            error_msg=error_msg,
            request_id=request_id,
            explanation=f"The IAM user needs {action} (with role/policy-based authorization: "
            f"{legacy_action}).",
        )
        self.action = action
        self.legacy_action = legacy_action


class StorageError(BackupbotError):
    """The state store cannot be read or written (read-only file, full disk, database down).

    Not the user's doing, so not a UserError: users are told only that subscriptions are
    unavailable; the operator's message names the database (never its password) and the
    driver's error. `writing` tells a failed write from a failed read.
    """

    def __init__(self, *, database: str, reason: str, writing: bool) -> None:
        self.database = database
        self.reason = reason
        self.writing = writing
        super().__init__(str(self))

    def __str__(self) -> str:
        verb = "written" if self.writing else "read"
        return f"the state store ({self.database}) could not be {verb}: {self.reason}"
