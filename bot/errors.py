"""The error tree of backupbot: every error raised on purpose is defined here.

    BackupbotError              base of everything raised on purpose: `said` is the one
    │                           line a person reads, `hint` what to do about it ('' when
    │                           there is nothing to add); both in bot/messages' words,
    │                           chosen by whoever raises it
    ├── UserError               the user can fix it; `said` and `hint` are safe to show
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
    │   ├── OutcomeUnknown      a call that changes the cloud got no answer (a timeout, a lost
    │   │                       connection, a 5xx): it may have been done; look, never repeat
    │   └── CredentialsUnavailable  no cloud credentials could be had from a source (ECS
    │       │                   metadata down, a refused id token, an unreadable file)
    │       └── NotConfigured   the source does not apply here (its variables are not set):
    │                           the credential chain goes on to the next
    ├── UnreadablePage          a 2xx body that is garbled or of the wrong shape (the client
    │                           turns it into an UpstreamError)
    ├── StoreUnusable           the state store cannot serve: for the operator (users are
    │   │                       told only that subscriptions are unavailable); `reason`
    │   ├── StorageError        it cannot be read or written now: names the database and
    │   │                       the driver's error
    │   └── MigrationRefused    a database backupbot must not migrate (newer, foreign, damaged)
    ├── DeliveryError           the chat platform did not take a call (a post, an update, a
    │   │                       lookup); `code` is its error code, or the network error's kind
    │   ├── ChannelGone         the channel can no longer receive messages: its subscription stops
    │   ├── MessageGone         the message to update is gone or frozen: nothing to retry
    │   └── DeliveryFailed      worth retrying later: refused for now (`code`), or...
    │       └── PlatformUnreachable  ...no answer at all (the network, a timeout)
    ├── ButtonTooLarge          a button's state does not fit Slack's 2,000 characters
    ├── RequestRejected         an HTTP request that cannot be Slack's (4xx before any listener)
    └── SignatureRejected       the simulator's gateway refuses an AK/SK signature

Foreign errors are translated into this tree once, where backupbot meets the library
that raises them (as httpx's `map_exceptions` does): the TaurusDB transport
(`bot.huawei.transport`), the store's transactions (`bot.schedule.store.transactions`),
the Slack Web API (`bot.slack.webapi.slack_errors`). Callers catch one class of it,
never a tuple. Anything else is a bug: adapters log it with a traceback and answer with
a generic apology.
"""

from __future__ import annotations


class BackupbotError(Exception):
    """Base of all errors backupbot raises on purpose: `said` is the one line a person
    reads, `hint` what to do about it ('' when there is nothing to add)."""

    def __init__(self, said: str, hint: str = "") -> None:
        super().__init__(said)
        self.said = said
        self.hint = hint

    def __str__(self) -> str:
        return self.said


class UserError(BackupbotError):
    """A mistake the user can fix: `said` and `hint` are safe to show anyone."""

    def __str__(self) -> str:
        return f"{self.said} ({self.hint})" if self.hint else self.said


class ConfigError(UserError):
    """Configuration is missing or malformed; `said` names the variable."""


class InvalidUrl(UserError):
    """A database URL backupbot cannot use; `said` never quotes it (it may hold a
    password), and the hint is empty unless there is more to say than "fix it"."""


class InvalidRequest(UserError):
    """A request parameter breaks the API's documented constraints."""


class QueryError(UserError):
    """A command the language cannot read; `word` is the offending word, if one is to blame."""

    def __init__(self, said: str, hint: str = "", *, word: str | None = None) -> None:
        super().__init__(said, hint)
        self.word = word


class AccessDenied(UserError):
    """The access rules do not allow this request; nothing was asked upstream."""


class StaleButton(UserError):
    """A button value from another version of backupbot, or one that was tampered with."""


class UpstreamError(BackupbotError):
    """The TaurusDB API answered with an error, or could not be reached: `said` says what
    failed, `hint` what it means or what to do.

    `status` is None when no HTTP response arrived (timeout, refused connection).
    """

    def __init__(
        self,
        said: str,
        *,
        status: int | None = None,
        error_code: str | None = None,
        error_msg: str | None = None,
        request_id: str | None = None,
        hint: str = "",
        retry_after: float | None = None,
        retryable: bool = False,
    ) -> None:
        super().__init__(said, hint)
        self.status = status
        self.error_code = error_code
        self.error_msg = error_msg
        self.request_id = request_id
        self.retry_after = retry_after
        self.retryable = retryable

    def __str__(self) -> str:
        parts = [self.said]
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.error_code:
            parts.append(self.error_code)
        if self.error_msg:
            parts.append(self.error_msg)
        if self.request_id:
            parts.append(f"request id {self.request_id}")
        text = ": ".join(parts[:1]) + ("" if len(parts) == 1 else " (" + ", ".join(parts[1:]) + ")")
        return f"{text}. {self.hint}" if self.hint else text


class PermissionDenied(UpstreamError):
    """HTTP 403 (`APIGW.0302`): the IAM user may not call this API.

    `action` is the identity-policy action to grant and `legacy_action` its equivalent
    for role/policy-based authorization (None where none is documented); `hint` says so.
    Callers that can do without the API (health without policies falls back to the age
    threshold) catch this one error.
    """

    def __init__(
        self,
        said: str,
        *,
        action: str,
        legacy_action: str | None,
        hint: str,
        status: int | None = None,
        error_code: str | None = None,
        error_msg: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(
            said,
            status=status,
            error_code=error_code,
            error_msg=error_msg,
            request_id=request_id,
            hint=hint,
        )
        self.action = action
        self.legacy_action = legacy_action


class OutcomeUnknown(UpstreamError):
    """A call that changes the cloud (a create) got no answer it can be judged by: a
    timeout, a lost connection, a 5xx. It may have been done: whoever made it looks for
    its effect (a backup of that name) and never repeats it blindly."""


class CredentialsUnavailable(UpstreamError):
    """No cloud credentials could be had from a source: `said` names the source and
    what failed, never a secret. Raised before any request to the API is sent."""


class NotConfigured(CredentialsUnavailable):
    """A credential source that does not apply here (its variables are not set, its file
    does not exist): the chain goes on to the next source, as the SDK's does."""


class UnreadablePage(BackupbotError):
    """The body is not what was asked for: garbled JSON (`garbled`), or the wrong shape;
    `said` is where in the body."""

    def __init__(self, location: str, *, garbled: bool) -> None:
        super().__init__(location)
        self.location = location
        self.garbled = garbled


class StoreUnusable(BackupbotError):
    """The state store cannot serve; `reason` is why, in a few words (the driver's, or
    ours), for the operator: users are told only that subscriptions are unavailable."""

    @property
    def reason(self) -> str:
        """Why, without naming the database."""
        return self.said


class StorageError(StoreUnusable):
    """The state store cannot be read or written (read-only file, full disk, database down).

    Not the user's doing, so not a UserError. `said` names the database (never its
    password) and the driver's error (`reason`); `writing` tells a failed write from a
    failed read.
    """

    def __init__(self, said: str, *, database: str, reason: str, writing: bool) -> None:
        super().__init__(said)
        self.database = database
        self._reason = reason
        self.writing = writing

    @property
    def reason(self) -> str:
        """The driver's error, one line, without the statement or a password."""
        return self._reason


class MigrationRefused(StoreUnusable):
    """The database is not one backupbot can migrate (newer, foreign or damaged); `hint`
    says what to do about it."""


class DeliveryError(BackupbotError):
    """The chat platform did not take a call; `code` is its error code (or, with no
    answer, the network error's kind; '' when the platform was not asked)."""

    def __init__(self, said: str, *, code: str = "") -> None:
        super().__init__(said)
        self.code = code


class ChannelGone(DeliveryError):
    """The channel cannot receive messages any more (deleted, archived, bot removed)."""


class MessageGone(DeliveryError):
    """The message to update is gone or cannot be changed any more (deleted, say): nothing
    to retry, and no reason to hold back what comes after it."""


class DeliveryFailed(DeliveryError):
    """Delivery failed in a way worth retrying later (the platform refused for now)."""


class PlatformUnreachable(DeliveryFailed):
    """The platform did not answer at all (the network, a timeout)."""


class ButtonTooLarge(BackupbotError):
    """The state does not fit in a button value (an upstream value can be any length)."""


class RequestRejected(BackupbotError):
    """The request cannot be a Slack request; `status` is the 4xx to answer with."""

    def __init__(self, status: int, said: str) -> None:
        super().__init__(said)
        self.status = status


class SignatureRejected(BackupbotError):
    """The gateway's verdict on a signature; `said` says why, for the 401 body."""
