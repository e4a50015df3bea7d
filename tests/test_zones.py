"""Every place a time zone is typed reads it alike and words a mistake alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.language.commands import DigestAdd, parse_command
from bot.errors import ConfigError, UserError
from bot.schedule.config_file import load_declared_digests

DIGEST = '[[digest]]\nchannel = "C0123456789"\ntz = "{zone}"\n'


def test_the_configuration_the_digests_file_and_a_command_agree(tmp_path: Path) -> None:
    path = tmp_path / "digests.toml"
    path.write_text(DIGEST.format(zone=" Asia/Tokyo "))
    (declared,) = load_declared_digests(str(path), profiles=None)
    command = parse_command("digest add tz Asia/Tokyo")
    assert isinstance(command, DigestAdd)
    assert declared.zone == command.zone == Settings(BACKUPBOT_TIMEZONE=" Asia/Tokyo ").timezone
    assert declared.zone == "Asia/Tokyo"


def test_a_mistake_is_worded_alike_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "digests.toml"
    path.write_text(DIGEST.format(zone="Mars/Olympus"))
    with pytest.raises(ConfigError) as from_file:
        load_declared_digests(str(path), profiles=None)
    with pytest.raises(UserError) as from_chat:
        parse_command("digest add tz Mars/Olympus")
    monkeypatch.setenv("BACKUPBOT_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ConfigError) as from_environment:
        Settings.load()
    for caught in (from_file, from_chat, from_environment):
        assert "unknown time zone 'Mars/Olympus'" in caught.value.said
