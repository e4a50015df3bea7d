"""The two ways to authenticate, AK/SK signing or a ready IAM token, as one `httpx.Auth`.

Credentials are plain values: sources fetch them (`bot.huawei.credentials`) and logs
redact them. What signs a request asks its `Keyring` for the credentials to use at that
moment, so temporary ones are replaced under a running client. httpx runs the flow on each
request just before sending it, every retry included, so each attempt is signed afresh.
The query string is first rewritten in its canonical form: what is signed is what is sent.

A 401 to a request signed with temporary credentials (a security token that was revoked,
or expired early) asks the keyring once for fresh ones and retries once; fixed keys are
never retried (five bad signatures in a row lock an AK for five minutes).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import httpx
from pydantic import SecretStr

from bot.core.clock import Clock
from bot.huawei.signer import DATE_HEADER, canonical_query, sign

SECURITY_TOKEN_HEADER = "X-Security-Token"
TOKEN_HEADER = "X-Auth-Token"


@dataclass(frozen=True)
class AccessKeys:
    """An access key pair, optionally with a security token (temporary credentials), and
    when it expires (None: not known to expire, as a key pair of an IAM user)."""

    access_key: SecretStr
    secret_key: SecretStr
    security_token: SecretStr | None = None
    expires_at: datetime | None = None

    @property
    def secrets(self) -> list[str]:
        """The secret values, for log redaction."""
        values = [self.access_key, self.secret_key, self.security_token]
        return [value.get_secret_value() for value in values if value is not None]


@dataclass(frozen=True)
class IamToken:
    """An IAM token (the `X-Subject-Token` of `POST /v3/auth/tokens`), sent as X-Auth-Token."""

    token: SecretStr
    expires_at: datetime | None = None

    @property
    def secrets(self) -> list[str]:
        """The secret values, for log redaction."""
        return [self.token.get_secret_value()]


Credentials = AccessKeys | IamToken


class Keyring(Protocol):
    """What a signed request asks for its credentials (`bot.huawei.credentials.Refresher`)."""

    async def current(self) -> Credentials:
        """The credentials to sign with now; CredentialsUnavailable if there are none."""
        ...

    async def refused(self, used: Credentials) -> Credentials | None:
        """After a 401 to a request made with `used`: credentials worth one more try, or
        None (fixed credentials, or no fresh ones to be had)."""
        ...


@dataclass(frozen=True)
class FixedKeyring:
    """Credentials that never change: a 401 is final."""

    credentials: Credentials

    async def current(self) -> Credentials:
        """The credentials."""
        return self.credentials

    async def refused(self, used: Credentials) -> Credentials | None:
        """Nothing else to try."""
        return None


def _canonical_query(request: httpx.Request) -> list[tuple[str, str]]:
    """The request's query pairs; its URL now carries them exactly as they are signed."""
    pairs = httpx.QueryParams(request.url.query.decode("ascii")).multi_items()
    if pairs:
        request.url = request.url.copy_with(query=canonical_query(pairs).encode("ascii"))
    return pairs


def _signed(name: str) -> bool:
    """Whether a header is signed: those the official SDK signs (Host, Content-Type,
    User-Agent and the X- ones), never those a transport may add or rewrite."""
    lowered = name.lower()
    return lowered in ("host", "content-type", "user-agent") or lowered.startswith("x-")


def authenticate(
    request: httpx.Request,
    credentials: Credentials,
    *,
    query: list[tuple[str, str]],
    when: datetime,
) -> None:
    """Put `credentials` on `request`: an IAM token in its header, or an `SDK-HMAC-SHA256`
    signature dated `when`, the security token added first so that it is signed."""
    for name in (SECURITY_TOKEN_HEADER, TOKEN_HEADER, DATE_HEADER, "Authorization"):
        request.headers.pop(name, None)  # a retry's: the last attempt's are not this one's
    if isinstance(credentials, IamToken):
        request.headers[TOKEN_HEADER] = credentials.token.get_secret_value()
        return
    if credentials.security_token is not None:
        request.headers[SECURITY_TOKEN_HEADER] = credentials.security_token.get_secret_value()
    signed = sign(
        method=request.method,
        host=request.url.netloc.decode("ascii"),
        path=request.url.raw_path.decode("ascii").partition("?")[0],
        query=query,
        headers={name: value for name, value in request.headers.items() if _signed(name)},
        body=request.content,
        access_key=credentials.access_key.get_secret_value(),
        secret_key=credentials.secret_key.get_secret_value(),
        when=when,
    )
    for name in (DATE_HEADER, "Authorization"):
        request.headers[name] = signed.headers[name]


class KeyringAuth(httpx.Auth):
    """Authenticates each request with the keyring's credentials of the moment; after a
    401, once more with fresh ones if the keyring has any (temporary credentials)."""

    def __init__(self, keyring: Keyring, *, clock: Clock) -> None:
        self._keyring = keyring
        self._clock = clock

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """Credentials may have to be fetched: only an AsyncClient can send these requests."""
        raise RuntimeError("KeyringAuth authenticates requests of an httpx.AsyncClient only")

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Authenticate `request` as it is about to be sent; retry a 401 once if worth it."""
        query = _canonical_query(request)
        used = await self._keyring.current()
        authenticate(request, used, query=query, when=self._clock())
        response = yield request
        if response.status_code != 401:
            return
        fresh = await self._keyring.refused(used)
        if fresh is not None:
            authenticate(request, fresh, query=query, when=self._clock())
            yield request


def keyring_of(credentials: Credentials | Keyring) -> Keyring:
    """A keyring: the one given, or one holding fixed `credentials`."""
    if isinstance(credentials, AccessKeys | IamToken):
        return FixedKeyring(credentials)
    return credentials


def auth_for(credentials: Credentials | Keyring, *, clock: Clock) -> httpx.Auth:
    """The `httpx.Auth` for fixed `credentials` or a keyring; signatures dated by `clock`."""
    return KeyringAuth(keyring_of(credentials), clock=clock)
