"""The two ways to authenticate: AK/SK signing, or a ready IAM token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import SecretStr

from bot.huawei.signer import canonical_query, sign


@dataclass(frozen=True)
class PreparedRequest:
    """Headers and query string ready for the wire."""

    headers: dict[str, str]
    query: str


@dataclass(frozen=True)
class AkSkAuth:
    """Access key pair, optionally with a security token (temporary credentials)."""

    access_key: SecretStr
    secret_key: SecretStr
    security_token: SecretStr | None = None

    def prepare(
        self,
        *,
        host: str,
        path: str,
        query: list[tuple[str, str]],
        headers: dict[str, str],
        when: datetime,
    ) -> PreparedRequest:
        """Sign the request; the security token, when present, is added first so it is signed."""
        extra = dict(headers)
        if self.security_token is not None:
            extra["X-Security-Token"] = self.security_token.get_secret_value()
        signed = sign(
            method="GET",
            host=host,
            path=path,
            query=query,
            headers=extra,
            body=b"",
            access_key=self.access_key.get_secret_value(),
            secret_key=self.secret_key.get_secret_value(),
            when=when,
        )
        return PreparedRequest(headers=signed.headers, query=signed.query)


@dataclass(frozen=True)
class TokenAuth:
    """An IAM token (the `X-Subject-Token` of `POST /v3/auth/tokens`), sent as X-Auth-Token."""

    token: SecretStr

    def prepare(
        self,
        *,
        host: str,
        path: str,
        query: list[tuple[str, str]],
        headers: dict[str, str],
        when: datetime,
    ) -> PreparedRequest:
        """Add the token header; the query is encoded the same way as for signed requests."""
        del path, when
        return PreparedRequest(
            headers={**headers, "Host": host, "X-Auth-Token": self.token.get_secret_value()},
            query=canonical_query(query),
        )


Auth = AkSkAuth | TokenAuth
