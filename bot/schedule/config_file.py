"""Digests declared in a TOML file, for teams that keep configuration in git.

[[digest]]
channel = "C0123456789"          # channel id (channel details -> bottom of "About")
targets = "orders-prod payments-prod"   # optional: every instance by default
at = "09:00"                     # optional, 24-hour clock
tz = "Europe/Paris"              # optional, default UTC

Each entry is read once into data (DeclaredDigest); nothing stores its text.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from bot import messages
from bot.core.answering.engine import require_profile
from bot.core.language.commands import DEFAULT_DIGEST_TIME, subscription_targets, time_of_day
from bot.errors import ConfigError, UserError
from bot.schedule.store import DeclaredDigest
from bot.support.tomlfile import read_toml
from bot.support.zones import zone_named

CHANNEL_RE = re.compile(r"^[CG][A-Z0-9]{6,}$")


def load_declared_digests(path: str, *, profiles: Collection[str] | None) -> list[DeclaredDigest]:
    """The declared digests, in file order; ConfigError naming the file and entry.

    A digest may name only `profiles` (None: not known, not checked), the default one
    included: one for a profile nobody configured could never be sent.
    """
    data = read_toml(path, variable="BACKUPBOT_DIGESTS_FILE", shape="[[digest]] tables")
    entries = data.get("digest", [])
    if not isinstance(entries, list):
        raise ConfigError(messages.digest_not_a_list(path), messages.WRITE_DIGEST_TABLES)
    declared: dict[str, DeclaredDigest] = {}
    for number, entry in enumerate(entries, start=1):
        where = messages.declared_digest(path, number)
        if not isinstance(entry, dict):
            raise ConfigError(messages.not_a_table(where), messages.WRITE_KEY_VALUES)
        channel = str(entry.get("channel", ""))
        if not CHANNEL_RE.match(channel):
            raise ConfigError(messages.not_a_channel_id(where), messages.COPY_THE_CHANNEL_ID)
        try:
            query = subscription_targets(str(entry.get("targets", "")), "digest")
            at = time_of_day(str(entry["at"])) if "at" in entry else DEFAULT_DIGEST_TIME
            zone = zone_named(str(entry["tz"])).key if "tz" in entry else "UTC"
            if query.profile is not None and profiles is not None:
                require_profile(query.profile, profiles)
        except UserError as error:
            raise ConfigError(f"{where}: {error.said}", error.hint) from None
        digest = DeclaredDigest(
            channel=channel, targets=query.targets, profile=query.profile, at=at, zone=zone
        )
        declared[digest.key] = digest  # the same digest twice is one digest
    return list(declared.values())
