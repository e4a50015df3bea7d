"""Secrets from files are read again when the file changes, as a Kubernetes Secret volume
changes them (an atomic swap of a symlink), with the old value accepted for a grace period."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from bot.config import bot_token
from bot.errors import ConfigError
from bot.support.secretfile import SecretFile, one_line, secret_from
from tests.conftest import FakeTime


class SecretVolume:
    """A directory laid out as the kubelet lays out a mounted Secret: each key a symlink
    through `..data`, itself a symlink to a timestamped directory swapped atomically."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.version = 0

    def write(self, **keys: str) -> None:
        self.version += 1
        target = self.root / f"..2026_11_27_10_30_00.{self.version}"
        target.mkdir()
        for key, value in keys.items():
            (target / key).write_text(value)
        temporary = self.root / "..data_tmp"
        temporary.symlink_to(target.name)
        os.replace(temporary, self.root / "..data")  # the atomic swap
        for key in keys:
            link = self.root / key
            if not link.is_symlink():
                link.symlink_to(Path("..data") / key)

    def path(self, key: str) -> str:
        return str(self.root / key)


def test_a_swapped_secret_volume_is_seen_after_the_interval_and_the_old_value_kept_a_while(
    tmp_path: Path,
) -> None:
    volume = SecretVolume(tmp_path)
    volume.write(signing="old-secret\n")
    seconds = FakeTime()
    told: list[str] = []
    secret = SecretFile(
        volume.path("signing"), variable="SLACK_SIGNING_SECRET_FILE", check=one_line,
        grace=600, monotonic=seconds.monotonic, on_change=told.append,
    )  # fmt: skip
    assert secret.current() == "old-secret"
    volume.write(signing="new-secret\n")
    assert secret.current() == "old-secret", "looked at again only every few seconds"
    seconds.now += 2.5
    assert secret.current() == "new-secret"
    assert secret.accepted() == ("new-secret", "old-secret")
    seconds.now += 599
    assert secret.accepted() == ("new-secret", "old-secret")
    seconds.now += 2
    assert secret.accepted() == ("new-secret",)
    assert told == ["old-secret", "new-secret"]


def test_a_bad_value_after_start_is_logged_once_and_the_last_one_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    volume = SecretVolume(tmp_path)
    volume.write(token="xoxb-1\n")
    seconds = FakeTime()
    secret = SecretFile(
        volume.path("token"), variable="SLACK_BOT_TOKEN_FILE", check=bot_token, grace=0,
        monotonic=seconds.monotonic,
    )  # fmt: skip
    volume.write(token="not-a-bot-token\n")
    with caplog.at_level(logging.WARNING, logger="backupbot.secrets"):
        for _ in range(3):
            seconds.now += 3
            assert secret.current() == "xoxb-1"
    (record,) = caplog.records
    assert "SLACK_BOT_TOKEN_FILE" in record.getMessage()
    assert "not-a-bot-token" not in record.getMessage()
    volume.write(token="xoxb-2\n")
    seconds.now += 3
    assert secret.current() == "xoxb-2"


def test_a_missing_or_bad_file_at_start_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"SLACK_APP_TOKEN_FILE .* does not exist"):
        secret_from(
            None, str(tmp_path / "none"), variable="SLACK_APP_TOKEN", check=one_line, grace=0
        )
    bad = tmp_path / "token"
    bad.write_text("line-one\nline-two\n")
    with pytest.raises(ConfigError) as caught:
        secret_from(None, str(bad), variable="SLACK_BOT_TOKEN", check=one_line, grace=0)
    assert caught.value.said == (
        "SLACK_BOT_TOKEN_FILE is malformed: contains a line break or another control character"
    )
    assert "line-one" not in str(caught.value)
