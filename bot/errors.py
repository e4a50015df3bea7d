"""The error tree of backupbot: every error raised on purpose is defined here.

    BackupbotError              base of everything raised on purpose
    ├── UserError               the user can fix it; `message` and `hint` are safe to show
    │   ├── ConfigError         missing or malformed configuration, names the variable
    │   ├── InvalidUrl          a database URL backupbot cannot use, never quoted (it may
    │   │                       hold a password); whoever read it names the variable
    │   ├── InvalidRequest      a request the API would refuse, caught before sending
    │   ├── QueryError          words the language cannot read; `word` is the one to blame
    │   ├── AccessDenied        the access rules do not allow it; nothing was asked upstream
    │   └── StaleButton         a button value from another version, or tampered with
    ├── UpstreamError           the TaurusDB API refused or could not be reached;
    │   │                       `retryable` when trying again may help (429, 5xx, timeouts)
    │   ├── PermissionDenied    HTTP 403: the IAM user may not call that API; names the action
    │   └── CredentialsUnavailable  no cloud credentials could be had from a source (ECS
    │       │                   metadata down, a refused id token, an unreadable file)
    │       └── NotConfigured   the source does not apply here (its variables are not set):
    │                           the credential chain goes on to the next
    ├── UnreadablePage          a 2xx body that is garbled or of the wrong shape (the client
    │                           turns it into an UpstreamError)
    ├── StorageError            the state store (digests, watches, claims) cannot be read or
    │                           written: for the operator, names the database and the error
    ├── MigrationRefused        a database backupbot must not migrate (newer, foreign, damaged)
    ├── ChannelGone             a channel can no longer receive messages: its subscription stops
    ├── DeliveryFailed          a post failed in a way worth retrying later
    ├── MessageGone             a message to update is gone or frozen: nothing to retry
    ├── ButtonTooLarge          a button's state does not fit Slack's 2,000 characters
    ├── RequestRejected         an HTTP request that cannot be Slack's (4xx before any listener)
    └── SignatureRejected       the simulator's gateway refuses an AK/SK signature

Anything else is a bug: adapters log it with a traceback and answer with a
generic apology. A foreign error shown in a line of ours is shown by `words_of`.
"""

from __future__ import annotations

import re

from bot import messages

_ERRNO = re.compile(r"\[Errno -?\d+\]\s*")


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


class InvalidUrl(UserError):
    """A database URL backupbot cannot use; the message never quotes it (it may hold a
    password), and the hint is empty unless there is more to say than "fix it"."""


class InvalidRequest(UserError):
    """A request parameter breaks the API's documented constraints."""


class QueryError(UserError):
    """A command the language cannot read; `word` is the offending word, if one is to blame."""

    def __init__(self, message: str, hint: str = "", *, word: str | None = None) -> None:
        super().__init__(message, hint)
        self.word = word


class AccessDenied(UserError):
    """The access rules do not allow this request; nothing was asked upstream."""


class StaleButton(UserError):
    """A button value from another version of backupbot, or one that was tampered with."""


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
        retryable: bool = False,
    ) -> None:
        super().__init__(summary)
        self.summary = summary
        self.status = status
        self.error_code = error_code
        self.error_msg = error_msg
        self.request_id = request_id
        self.explanation = explanation
        self.retry_after = retry_after
        self.retryable = retryable

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
            explanation=messages.iam_user_needs(action, legacy_action),
        )
        self.action = action
        self.legacy_action = legacy_action


class CredentialsUnavailable(UpstreamError):
    """No cloud credentials could be had from a source: `summary` names the source and
    what failed, never a secret. Raised before any request to the API is sent."""


class NotConfigured(CredentialsUnavailable):
    """A credential source that does not apply here (its variables are not set, its file
    does not exist): the chain goes on to the next source, as the SDK's does."""


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
        verb = messages.WRITTEN if self.writing else messages.READ
        return messages.store_failed(self.database, verb, self.reason)


class UnreadablePage(BackupbotError):
    """The body is not what was asked for: garbled JSON (`garbled`), or the wrong shape."""

    def __init__(self, location: str, *, garbled: bool) -> None:
        super().__init__(location)
        self.location = location
        self.garbled = garbled


class MigrationRefused(BackupbotError):
    """The database is not one backupbot can migrate (newer, foreign or damaged); `hint`
    says what to do about it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


class ChannelGone(BackupbotError):
    """The channel cannot receive messages any more (deleted, archived, bot removed)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DeliveryFailed(BackupbotError):
    """Delivery failed in a way worth retrying later (platform error, timeout)."""


class MessageGone(BackupbotError):
    """The message to update is gone or cannot be changed any more (deleted, say): nothing
    to retry, and no reason to hold back what comes after it."""


class ButtonTooLarge(BackupbotError):
    """The state does not fit in a button value (an upstream value can be any length)."""


class RequestRejected(BackupbotError):
    """The request cannot be a Slack request; `status` is the 4xx to answer with."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class SignatureRejected(BackupbotError):
    """The gateway's verdict on a signature; the message says why, for the 401 body."""


def words_of(error: BaseException) -> str:
    """What a foreign error says, for a line of ours: its first line, without Python's
    `[Errno N]`; its kind when it says nothing (many network errors don't)."""
    return first_line(str(error)) or messages.said_nothing(type(error).__name__)


def first_line(text: str) -> str:
    """The first line of `text` that says something, without Python's `[Errno N]`."""
    lines = [line.strip() for line in _ERRNO.sub("", text).splitlines() if line.strip()]
    return lines[0] if lines else ""
