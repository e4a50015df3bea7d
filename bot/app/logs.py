"""Logging: one JSON object a line when not on a terminal, and secrets never written.

Every configured secret is redacted from every record, whatever logged it (our code,
Bolt, slack_sdk, httpx), as a last line of defence behind SecretStr; so is every secret
learned later (temporary cloud credentials, a rotated secret file).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from bot.config import Settings
from bot.support.database_url import secrets_in

REDACTED = "[redacted]"
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """A record as one JSON line: time, level, logger, message, and the extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["traceback"] = record.exc_text
        return json.dumps(entry, default=str, ensure_ascii=False)


class RedactSecrets(logging.Filter):
    """Replaces every known secret in a record's message, arguments and extra fields."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets: list[str] = []
        self.learn(secrets)

    def learn(self, secrets: Iterable[str]) -> None:
        """Redact `secrets` too from now on (longest first: one may contain another)."""
        known = {*self.secrets, *(s for s in secrets if len(s) >= 4)}
        if len(known) != len(self.secrets):
            self.secrets = sorted(known, key=len, reverse=True)

    def _clean(self, value: object) -> object:
        if isinstance(value, str):
            for secret in self.secrets:
                value = value.replace(secret, REDACTED)
        return value

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        record.msg = self._clean(record.getMessage())
        record.args = None
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD:
                record.__dict__[key] = self._clean(value)
        if record.exc_info:
            # Tracebacks quote values too: format it now, redacted, in place of the original.
            record.exc_text = str(self._clean(logging.Formatter().formatException(record.exc_info)))
            record.exc_info = None
        return True


def secrets_of(settings: Settings) -> list[str]:
    """Every secret value in the settings themselves (profiles' are passed in beside them)."""
    values = [
        settings.access_key,
        settings.secret_key,
        settings.security_token,
        settings.auth_token,
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
    ]
    found = [value.get_secret_value() for value in values if value is not None]
    if settings.database_url is not None:
        found.append(settings.database_url.get_secret_value())
        found.extend(secrets_in(settings.database_url.get_secret_value()))
    return found


def configure_logging(
    settings: Settings, *, secrets: Iterable[str] = (), stream: TextIO | None = None
) -> RedactSecrets:
    """Log to `stream` (stderr): JSON unless it is a terminal.

    The settings' secrets and `secrets` (those of the loaded profiles) are redacted; the
    filter returned learns those fetched or read later.
    """
    target = stream or sys.stderr
    handler = logging.StreamHandler(target)
    if target.isatty():
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    else:
        handler.setFormatter(JsonFormatter())
    redact = RedactSecrets([*secrets_of(settings), *secrets])
    handler.addFilter(redact)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.INFO)
    return redact
