"""What a button remembers, carried in its `value`: any replica can handle the click.

A value is compact JSON with a version tag and a MAC, so a click still works after a
restart or on another process, and a stale or tampered value is recognised and
answered politely instead of being trusted. While the secret the key comes from is
rotated, a button made with the old key still works for the grace period.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot import messages
from bot.errors import ButtonTooLarge, StaleButton

VERSION = 1
MAX_VALUE_LENGTH = 2000  # Slack's limit for a button value


@dataclass(frozen=True)
class ButtonState:
    """The canonical query, the screen page, and optionally one backup to show in full."""

    query: str
    page: int = 0
    backup_id: str | None = None


class ButtonCodec:
    """Encodes and checks button values with a key only this deployment knows: one key,
    or `keys()` (the current one first, then any still accepted during a rotation)."""

    def __init__(self, key: bytes | Callable[[], Sequence[bytes]]) -> None:
        self._keys = (lambda: (key,)) if isinstance(key, bytes) else key

    @staticmethod
    def _mac(key: bytes, body: str) -> str:
        return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()[:20]

    def encode(self, state: ButtonState) -> str:
        """The button value for `state`."""
        fields: dict[str, object] = {"v": VERSION, "q": state.query, "p": state.page}
        if state.backup_id is not None:
            fields["b"] = state.backup_id
        return self._wrap(fields)

    def decode(self, value: str) -> ButtonState:
        """The state in a button value; StaleButton if it is not one of ours, as sent."""
        fields = self._unwrap(value)
        try:
            if fields.get("v") != VERSION:
                raise _stale()
            query, page, backup_id = fields["q"], fields["p"], fields.get("b")
            if not isinstance(query, str) or not isinstance(page, int) or page < 0:
                raise TypeError
            if backup_id is not None and not isinstance(backup_id, str):
                raise TypeError
        except (KeyError, TypeError):
            raise _stale() from None
        return ButtonState(query=query, page=page, backup_id=backup_id)

    def seal(self, kind: str, fields: Mapping[str, str | int]) -> str:
        """A button value carrying a whole request of `kind` (an action's confirmation),
        signed like the paging buttons: any replica can act on it, nobody can forge it."""
        return self._wrap({"v": kind, **fields})

    def unseal(self, kind: str, value: str) -> dict[str, Any]:
        """The fields `seal` put in a value of `kind`; StaleButton if it is not one, as sent."""
        fields = self._unwrap(value)
        if fields.get("v") != kind:
            raise _stale()
        return fields

    def _wrap(self, fields: Mapping[str, object]) -> str:
        body = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
        value = json.dumps(
            {"s": body, "m": self._mac(self._keys()[0], body)}, separators=(",", ":")
        )
        if len(value) > MAX_VALUE_LENGTH:
            raise ButtonTooLarge(messages.button_too_large(len(value), MAX_VALUE_LENGTH))
        return value

    def _unwrap(self, value: str) -> dict[str, Any]:
        try:
            outer = json.loads(value)
            body, mac = outer["s"], outer["m"]
            if not (isinstance(body, str) and isinstance(mac, str)):
                raise TypeError
            if not any(hmac.compare_digest(self._mac(key, body), mac) for key in self._keys()):
                raise _stale()
            fields = json.loads(body)
            if not isinstance(fields, dict):
                raise TypeError
        except (ValueError, KeyError, TypeError, AttributeError):
            raise _stale() from None
        return fields


def _stale() -> StaleButton:
    return StaleButton(messages.STALE_BUTTON, messages.ASK_AGAIN)
