"""Where state lives: BACKUPBOT_DATABASE_URL (or the file BACKUPBOT_STATE), its password kept."""

from __future__ import annotations

import logging

import pytest

from bot.app.logs import RedactSecrets, secrets_of
from bot.config import Settings
from bot.errors import ConfigError
from bot.schedule.database import database_url, describe

VARIABLES = ("BACKUPBOT_DATABASE_URL", "BACKUPBOT_STATE", "BACKUPBOT_SCHEDULER_TICK_SECONDS",
             "BACKUPBOT_CLAIM_LEASE_SECONDS")  # fmt: skip


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_the_sqlite_file_of_today_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings.load().state_url() == "sqlite:///backupbot-state.sqlite3"
    monkeypatch.setenv("BACKUPBOT_STATE", "/data/state.sqlite3")
    assert Settings.load().state_url() == "sqlite:////data/state.sqlite3"
    monkeypatch.setenv("BACKUPBOT_DATABASE_URL", "postgresql://bot@db/backupbot")
    assert Settings.load().state_url() == "postgresql://bot@db/backupbot", "the URL wins"


@pytest.mark.parametrize(
    ("plain", "driver"),
    [
        ("postgresql://bot@db/state", "postgresql+psycopg"),
        ("mysql://bot@db/state", "mysql+pymysql"),
        ("mariadb://bot@db/state", "mariadb+pymysql"),
        ("postgresql+psycopg://bot@db/state", "postgresql+psycopg"),
        ("sqlite:///state.sqlite3", "sqlite"),
    ],
)
def test_plain_urls_get_the_drivers_backupbot_ships(plain: str, driver: str) -> None:
    assert database_url(plain).drivername == driver


@pytest.mark.parametrize(
    "value",
    [
        "oracle://bot:pw-in-url@db/state",
        "not a url at all",
        "postgresql://bot:pw-in-url@db",
        "sqlite://",
    ],
)
def test_a_malformed_database_url_is_named_and_never_echoed(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("BACKUPBOT_DATABASE_URL", value)
    with pytest.raises(ConfigError) as caught:
        Settings.load()
    assert "BACKUPBOT_DATABASE_URL" in caught.value.said
    assert "pw-in-url" not in str(caught.value), "the URL, which may hold a password, is not echoed"


def test_the_password_of_the_database_is_never_shown_nor_logged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BACKUPBOT_DATABASE_URL", "postgresql://bot:Hunter2-secret@db:5432/state")
    settings = Settings.load()
    assert "Hunter2-secret" not in repr(settings) + str(settings)
    assert describe(database_url(settings.state_url())) == "postgresql+psycopg://***@db:5432/state"
    in_query = database_url("postgresql://bot@db/state?password=Hunter2-secret&sslmode=require")
    assert describe(in_query) == "postgresql+psycopg://***@db/state", "a query may hold one too"
    record = logging.LogRecord("x", logging.ERROR, "", 0, "login as %s", ("Hunter2-secret",), None)
    RedactSecrets(secrets_of(settings)).filter(record)
    assert "Hunter2-secret" not in record.getMessage()


def test_a_password_with_an_encoded_at_is_redacted_as_written_and_decoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BACKUPBOT_DATABASE_URL", "postgresql://bot:Hunter2%40secret@db/state")
    redact = RedactSecrets(secrets_of(Settings.load()))
    for written in ("Hunter2%40secret", "Hunter2@secret"):
        record = logging.LogRecord("x", logging.ERROR, "", 0, "login as %s", (written,), None)
        redact.filter(record)
        assert record.getMessage() == "login as [redacted]"


@pytest.mark.parametrize(
    ("variable", "value"),
    [("BACKUPBOT_SCHEDULER_TICK_SECONDS", "0"), ("BACKUPBOT_CLAIM_LEASE_SECONDS", "0.5")],
)
def test_scheduler_settings_are_checked(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=variable):
        Settings.load()


def test_the_scheduler_tick_can_be_shortened(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKUPBOT_SCHEDULER_TICK_SECONDS", "0.5")
    monkeypatch.setenv("BACKUPBOT_CLAIM_LEASE_SECONDS", "5")
    settings = Settings.load()
    assert (settings.scheduler_tick_seconds, settings.claim_lease_seconds) == (0.5, 5.0)
