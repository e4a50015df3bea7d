"""Temporary credentials the simulator issues (to its metadata, Pod Identity and IAM
fakes) and its gateway accepts: an AK/SK pair with a security token, until they expire.

Like the real gateway, a request signed with an expired or revoked temporary key is
refused with 401 APIGW.0301, and one with the key but not its security token (or with
the token unsigned) too.
"""

from __future__ import annotations

import secrets
import string
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

CREDENTIAL_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"  # what the SDK parses (`expires_at`)


def random_token(length: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


@dataclass
class Issued:
    """One set of temporary credentials, as issued."""

    access: str
    secret: str
    security_token: str
    expires_at: datetime
    by: str  # which fake issued it: metadata, pod-identity, oidc

    def body(self) -> dict[str, Any]:
        """The credential JSON every issuer answers with."""
        return {
            "credential": {
                "access": self.access,
                "secret": self.secret,
                "securitytoken": self.security_token,
                "expires_at": self.expires_at.astimezone(UTC).strftime(CREDENTIAL_TIME),
            }
        }


@dataclass
class Issuer:
    """Issues temporary credentials and remembers them for the gateway."""

    clock: Callable[[], datetime]
    lifetime: timedelta = timedelta(hours=6)
    issued: list[Issued] = field(default_factory=list)
    revoked: set[str] = field(default_factory=set)
    metadata_tokens: set[str] = field(default_factory=set)  # session tokens handed out
    subject_tokens: dict[str, datetime] = field(default_factory=dict)  # IAM's, and expiry
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def issue(self, by: str, *, lifetime: timedelta | None = None) -> Issued:
        """New temporary credentials valid for `lifetime` (default: the issuer's)."""
        fresh = Issued(
            access=random_token(20, string.ascii_uppercase + string.digits),
            secret=random_token(40),
            security_token=random_token(160),
            expires_at=self.clock() + (lifetime or self.lifetime),
            by=by,
        )
        with self._lock:
            self.issued.append(fresh)
        return fresh

    def count(self, by: str | None = None) -> int:
        """How many were issued (by one fake, or by all)."""
        return sum(1 for issued in self.issued if by is None or issued.by == by)

    def find(self, access: str) -> Issued | None:
        """The issued credentials of an access key, if any."""
        return next((issued for issued in self.issued if issued.access == access), None)

    def refusal(self, access: str, security_token: str | None, *, signed: bool) -> str | None:
        """Why the gateway refuses a request signed with temporary key `access` (None:
        accepted); None too for a key this issuer never issued."""
        issued = self.find(access)
        if issued is None:
            return None
        if security_token != issued.security_token or not signed:
            return "security token missing, unsigned or not the key's"
        if access in self.revoked:
            return "the temporary access key was revoked"
        if issued.expires_at <= self.clock():
            return "the security token has expired"
        return None
