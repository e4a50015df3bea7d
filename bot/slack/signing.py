"""Slack's request signatures, checked against every signing secret accepted now.

Bolt checks one secret. During a rotation two verify (the new one, and the old one for
BACKUPBOT_SECRET_GRACE_SECONDS, while replicas see the new file at different moments), so
backupbot checks them itself, with slack_sdk's own `SignatureVerifier`, before Bolt sees
the request; Bolt's check is off. A refusal is Bolt's: 401 `{"error": "invalid request"}`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

from slack_sdk.signature import Clock, SignatureVerifier


class _Clock(Clock):
    """slack_sdk's clock, reading ours (tests move it)."""

    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now

    def now(self) -> float:
        return self._now()


class RequestSignatures:
    """Verifies `X-Slack-Signature` with any secret `secrets()` accepts now."""

    def __init__(
        self, secrets: Callable[[], Sequence[str]], *, now: Callable[[], float] = time.time
    ) -> None:
        self._secrets = secrets
        self._clock = _Clock(now)

    def valid(self, body: bytes, headers: Mapping[str, str]) -> bool:
        """Whether Slack signed `body` (within five minutes) with a secret accepted now."""
        timestamp = headers.get("x-slack-request-timestamp")
        signature = headers.get("x-slack-signature")
        if timestamp is None or signature is None or not timestamp.isdigit():
            return False
        return any(
            SignatureVerifier(secret, clock=self._clock).is_valid(body, timestamp, signature)
            for secret in self._secrets()
        )
