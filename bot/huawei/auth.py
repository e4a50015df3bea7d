"""The two ways to authenticate, AK/SK signing or a ready IAM token, as `httpx.Auth`.

Credentials are plain values: profiles hold them and logs redact them. The API client
turns them into an `httpx.Auth` on its own clock, and httpx runs `auth_flow` on each
request just before sending it, every retry included, so each attempt is signed afresh.
The query string is first rewritten in its canonical form: what is signed is what is sent.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

import httpx
from pydantic import SecretStr

from bot.core.clock import Clock
from bot.huawei.signer import DATE_HEADER, canonical_query, sign


@dataclass(frozen=True)
class AccessKeys:
    """An access key pair, optionally with a security token (temporary credentials)."""

    access_key: SecretStr
    secret_key: SecretStr
    security_token: SecretStr | None = None

    @property
    def secrets(self) -> list[str]:
        """The secret values, for log redaction."""
        values = [self.access_key, self.secret_key, self.security_token]
        return [value.get_secret_value() for value in values if value is not None]


@dataclass(frozen=True)
class IamToken:
    """An IAM token (the `X-Subject-Token` of `POST /v3/auth/tokens`), sent as X-Auth-Token."""

    token: SecretStr

    @property
    def secrets(self) -> list[str]:
        """The secret values, for log redaction."""
        return [self.token.get_secret_value()]


Credentials = AccessKeys | IamToken


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


class AkSkAuth(httpx.Auth):
    """`SDK-HMAC-SHA256` signing; a security token is added first, so that it is signed."""

    def __init__(self, keys: AccessKeys, *, clock: Clock) -> None:
        self._keys = keys
        self._clock = clock

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Sign `request` as it is about to be sent."""
        query = _canonical_query(request)
        if self._keys.security_token is not None:
            request.headers["X-Security-Token"] = self._keys.security_token.get_secret_value()
        signed = sign(
            method=request.method,
            host=request.url.netloc.decode("ascii"),
            path=request.url.raw_path.decode("ascii").partition("?")[0],
            query=query,
            headers={name: value for name, value in request.headers.items() if _signed(name)},
            body=request.content,
            access_key=self._keys.access_key.get_secret_value(),
            secret_key=self._keys.secret_key.get_secret_value(),
            when=self._clock(),
        )
        for name in (DATE_HEADER, "Authorization"):
            request.headers[name] = signed.headers[name]
        yield request


class TokenAuth(httpx.Auth):
    """An IAM token in `X-Auth-Token`; the query is written as for signed requests."""

    def __init__(self, token: IamToken) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the token to `request` as it is about to be sent."""
        _canonical_query(request)
        request.headers["X-Auth-Token"] = self._token.token.get_secret_value()
        yield request


def auth_for(credentials: Credentials, *, clock: Clock) -> httpx.Auth:
    """The `httpx.Auth` for `credentials`; signatures are dated by `clock`."""
    if isinstance(credentials, IamToken):
        return TokenAuth(credentials)
    return AkSkAuth(credentials, clock=clock)
