"""Digests declared in a TOML file, for teams that keep configuration in git.

[[digest]]
channel = "C0123456789"          # channel id (channel details -> bottom of "About")
targets = "orders-prod payments-prod"   # optional: every instance by default
at = "09:00"                     # optional, 24-hour clock
tz = "Europe/Paris"              # optional, default UTC
"""

from __future__ import annotations

import re

from bot.core.commands import DigestAdd, parse_command
from bot.core.query import canonical
from bot.errors import ConfigError, UserError
from bot.tomlfile import read_toml

CHANNEL_RE = re.compile(r"^[CG][A-Z0-9]{6,}$")


def load_declared_digests(path: str) -> dict[str, dict[str, str]]:
    """Config key -> channel, targets, at, tz; ConfigError naming the file and entry."""
    data = read_toml(path, variable="BACKUPBOT_DIGESTS_FILE", shape="[[digest]] tables")
    entries = data.get("digest", [])
    if not isinstance(entries, list):
        raise ConfigError(
            f"{path}: 'digest' must be a list of tables", "write [[digest]] per digest"
        )
    declared: dict[str, dict[str, str]] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"{path}, digest {number}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where} is not a table", "write [[digest]] then key = value lines")
        channel = str(entry.get("channel", ""))
        if not CHANNEL_RE.match(channel):
            raise ConfigError(
                f"{where}: channel must be a channel id like C0123456789",
                "copy it from the channel's details in Slack",
            )
        words = ["digest", "add", str(entry.get("targets", ""))]
        words += ["at", str(entry["at"])] if "at" in entry else []
        words += ["tz", str(entry["tz"])] if "tz" in entry else []
        try:
            command = parse_command(" ".join(words))
        except UserError as error:
            raise ConfigError(f"{where}: {error.message}", error.hint) from None
        assert isinstance(command, DigestAdd)
        fields = {
            "channel": channel,
            "targets": canonical(command.targets),
            "at": (command.at.strftime("%H:%M") if command.at else "09:00"),
            "tz": command.zone or "UTC",
        }
        declared["|".join(fields[key] for key in ("channel", "targets", "at", "tz"))] = fields
    return declared
