"""The port every credential source implements, and what the remote ones share: one HTTP
exchange with foreign errors translated once, and the credential JSON they all answer with.

A source is the official SDK's `CredentialProvider`: it either applies here and gives
credentials, or raises. `NotConfigured` says it does not apply (the chain goes on);
`CredentialsUnavailable` says it applies but failed (metadata down, a refused id token).
Neither ever carries a secret: messages name the source, the status and the error code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import httpx
from pydantic import SecretStr

from bot import messages
from bot.errors import CredentialsUnavailable
from bot.huawei.auth import AccessKeys, Credentials


class CredentialSource(Protocol):
    """Where a profile's cloud credentials come from."""

    @property
    def kind(self) -> str:
        """A stable id: `environment`, `credentials-file`, `metadata`, `pod-identity`,
        `oidc` (the values a profile's `credentials` takes, and the metrics' label)."""
        ...

    @property
    def name(self) -> str:
        """The source in words, for `check`, logs and notices."""
        ...

    async def fetch(self, http: httpx.AsyncClient) -> Credentials:
        """Credentials from this source now; NotConfigured if it does not apply here,
        CredentialsUnavailable if it applies but gave none."""
        ...


@dataclass(frozen=True)
class FixedSource:
    """Credentials given as values (a profile's keys): always the same."""

    credentials: Credentials
    name: str
    kind: str = "profiles-file"

    async def fetch(self, http: httpx.AsyncClient) -> Credentials:
        """The credentials."""
        return self.credentials


def unavailable(source: str, why: str) -> CredentialsUnavailable:
    """The error of a source that applies but gave nothing, in one line."""
    return CredentialsUnavailable(
        messages.no_credentials_from(source, why), hint=messages.CHECK_THE_SOURCE
    )


async def exchange(
    http: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    source: str,
    seconds: float,
    headers: dict[str, str] | None = None,
    body: dict[str, Any] | None = None,
) -> httpx.Response:
    """One request to a credential service; a network failure is CredentialsUnavailable.

    Not through the API client's auth or retries: these requests carry their own
    authority (a metadata token, a pod's token, an id token), and the refresher retries.
    """
    try:
        return await http.request(method, url, headers=headers, json=body, timeout=seconds)
    except httpx.TimeoutException:
        raise unavailable(source, messages.no_answer_within(seconds)) from None
    except httpx.TransportError as error:
        reason = messages.source_unreachable(source, type(error).__name__)
        raise unavailable(source, reason) from None


def refused(source: str, response: httpx.Response) -> CredentialsUnavailable:
    """A credential service's error answer: its status and error code, never its body."""
    code = None
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        nested = body.get("error")  # IAM's shape: {"error": {"code", "message", "title"}}
        found = body.get("error_code") or (nested.get("code") if isinstance(nested, dict) else None)
        code = str(found) if found and str(found) != str(response.status_code) else None
    return unavailable(source, messages.source_refused(source, response.status_code, code))


def credential_from(body: bytes, *, source: str) -> AccessKeys:
    """Temporary credentials from the JSON metadata, Pod Identity and IAM all answer with,
    read as the SDK's `StsAccessor._process_credential` reads it (its alternative names too)."""
    try:
        found = _json_object(body)
        values = found.get("credential") or found.get("credentials") or found
        if not isinstance(values, dict):
            raise ValueError(messages.missing_field("credential"))
        access = _first(values, "access", "accessKeyId", "access_key_id")
        secret = _first(values, "secret", "secretAccessKey", "secret_access_key")
        token = _first(values, "securitytoken", "securityToken", "security_token")
        expires = _first(values, "expires_at", "expiration")
        return AccessKeys(
            SecretStr(access), SecretStr(secret), SecretStr(token), expires_at=_instant(expires)
        )
    except ValueError as error:
        raise unavailable(source, messages.source_answer_unreadable(source, str(error))) from None


def _json_object(body: bytes) -> dict[str, Any]:
    found = json.loads(body)
    if not isinstance(found, dict):
        raise ValueError(messages.missing_field("credential"))
    return found


def _first(values: dict[str, Any], *names: str) -> str:
    for name in names:
        value = values.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    raise ValueError(messages.missing_field(names[0]))


def _instant(text: str) -> datetime:
    """`2026-12-07T10:00:00.000000Z` (the SDK's format; without the fraction too), in UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(messages.unreadable_time(text)) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def token_file(path: str, *, source: str) -> str:
    """A token kept in a file (a pod's, an id token): read afresh each time, since the
    platform rotates it; CredentialsUnavailable if it is missing or empty."""
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise unavailable(source, messages.file_not_found(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        why = error.strerror if isinstance(error, OSError) else messages.NOT_UTF8
        raise unavailable(source, messages.file_cannot_be_read(path, why or "")) from None
    if not text:
        raise unavailable(source, messages.file_is_empty(path))
    return text
