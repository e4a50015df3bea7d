"""Slack's secrets: from the environment, or from files re-read when they change.

SLACK_BOT_TOKEN_FILE, SLACK_SIGNING_SECRET_FILE and SLACK_APP_TOKEN_FILE are read at start
(a missing or bad file stops start-up in one line) and again when the file changes, as a
Kubernetes Secret mounted as a volume does when it is updated (`bot/support/secretfile.py`). The
bot token is read at every Web API call; the signing secret at every request, the old one
still verifying for BACKUPBOT_SECRET_GRACE_SECONDS; the app token when Socket Mode
reconnects. Buttons' MAC keys derive from the signing secret (else the bot token), so a
button made before a rotation keeps working for the same grace period.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.config import Settings, app_token, bot_token
from bot.slack.button_state import ButtonCodec
from bot.support.secretfile import Secret, one_line, secret_from


def _forget(secrets: Iterable[str]) -> None:
    """The default `learn`: no log redaction to tell."""


@dataclass(frozen=True)
class SlackSecrets:
    """Each of Slack's secrets, if configured."""

    bot_token: Secret | None
    signing_secret: Secret | None
    app_token: Secret | None


def slack_secrets(
    settings: Settings, *, learn: Callable[[Iterable[str]], None] = _forget
) -> SlackSecrets:
    """Slack's secrets as the settings give them; ConfigError for a bad file, or for a
    secret given both as a value and as a file. `learn` is told every value read."""

    def told(value: str) -> None:
        learn([value])

    grace = settings.secret_grace_seconds
    return SlackSecrets(
        bot_token=secret_from(
            settings.slack_bot_token, settings.slack_bot_token_file,
            variable="SLACK_BOT_TOKEN", check=bot_token, grace=grace, on_change=told,
        ),
        signing_secret=secret_from(
            settings.slack_signing_secret, settings.slack_signing_secret_file,
            variable="SLACK_SIGNING_SECRET", check=one_line, grace=grace, on_change=told,
        ),
        app_token=secret_from(
            settings.slack_app_token, settings.slack_app_token_file,
            variable="SLACK_APP_TOKEN", check=app_token, grace=grace, on_change=told,
        ),
    )  # fmt: skip


def button_codec(secrets: SlackSecrets) -> ButtonCodec:
    """Button values are authenticated with keys derived from this deployment's secrets:
    the signing secret's (else the bot token's), every value accepted now."""
    secret = secrets.signing_secret or secrets.bot_token

    def keys() -> tuple[bytes, ...]:
        values = secret.accepted() if secret is not None else ("",)
        return tuple(_key(value) for value in values)

    return ButtonCodec(keys)


def _key(material: str) -> bytes:
    return hashlib.sha256(b"backupbot buttons\0" + material.encode()).digest()
