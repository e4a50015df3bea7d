"""Configuration comes from the SDK's own variable names; mistakes name the variable."""

from __future__ import annotations

import httpx
import pytest

from bot.app.engines import cloud_settings, open_engines
from bot.config import Settings
from bot.errors import ConfigError
from bot.huawei.auth import AccessKeys, Credentials, IamToken
from bot.huawei.credentials.local import EnvironmentSource
from bot.huawei.profiles import load_profiles
from bot.huawei.regions import REGION_ENDPOINTS, endpoint_for

PROJECT = "0123456789abcdef0123456789abcdef"
ALL_VARIABLES = (
    "CLOUD_SDK_AK", "CLOUD_SDK_SK", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK",
    "CLOUD_SDK_SECURITY_TOKEN", "HUAWEICLOUD_SDK_SECURITY_TOKEN", "HUAWEICLOUD_AUTH_TOKEN",
    "HUAWEICLOUD_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID", "HUAWEICLOUD_REGION",
    "GAUSSDB_ENDPOINT", "BACKUPBOT_LANGUAGE", "BACKUPBOT_PAGE_CONCURRENCY", "SLACK_API_URL",
    "SLACK_BOT_TOKEN", "BACKUPBOT_MAX_WINDOW_ROWS", "CLOUD_SDK_AK_FILE", "CLOUD_SDK_SK_FILE",
    "HUAWEICLOUD_SDK_IDP_ID", "HUAWEICLOUD_SDK_ID_TOKEN_FILE", "HUAWEICLOUD_SDK_IAM_ENDPOINT",
    "HUAWEICLOUD_SDK_CREDENTIALS_FILE", "BACKUPBOT_METADATA_URL",
    "HC_CONTAINER_CREDENTIALS_FULL_URI", "HC_CONTAINER_AUTHORIZATION_TOKEN_FILE",
)  # fmt: skip


async def from_environment(settings: Settings) -> Credentials:
    """What the environment source gives (no request is made for keys or a token)."""
    async with httpx.AsyncClient() as http:
        return await EnvironmentSource(cloud_settings(settings).credentials).fetch(http)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ALL_VARIABLES:
        monkeypatch.delenv(name, raising=False)


async def test_official_sdk_names_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUD_SDK_AK", "AK123")
    monkeypatch.setenv("CLOUD_SDK_SK", "SK456")
    monkeypatch.setenv("CLOUD_SDK_SECURITY_TOKEN", "TOKEN789")
    monkeypatch.setenv("HUAWEICLOUD_PROJECT_ID", PROJECT)
    monkeypatch.setenv("HUAWEICLOUD_REGION", "ap-southeast-1")
    monkeypatch.setenv("BACKUPBOT_LANGUAGE", "zh-cn")
    settings = Settings.load()
    assert settings.access_key is not None
    assert settings.access_key.get_secret_value() == "AK123"
    assert settings.project_id == PROJECT
    assert settings.language == "zh-CN", "the X-Language value once taken names a locale"
    credentials = await from_environment(settings)
    assert isinstance(credentials, AccessKeys)
    assert credentials.security_token is not None
    assert credentials.expires_at is None, "keys given by hand are not known to expire"


def test_huaweicloud_sdk_aliases_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "AK")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "SK")
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
    settings = Settings.load()
    assert settings.secret_key is not None
    assert settings.project_id == PROJECT


async def test_a_token_is_preferred_to_the_key_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUAWEICLOUD_AUTH_TOKEN", "MIIT-token")
    monkeypatch.setenv("CLOUD_SDK_AK", "AK")
    monkeypatch.setenv("CLOUD_SDK_SK", "SK")
    assert isinstance(await from_environment(Settings.load()), IamToken)


def test_secrets_never_appear_in_the_settings_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUD_SDK_AK", "AK-VISIBLE")
    monkeypatch.setenv("CLOUD_SDK_SK", "very-secret-value")
    monkeypatch.setenv("HUAWEICLOUD_AUTH_TOKEN", "token-secret-value")
    text = repr(Settings.load()) + str(Settings.load())
    assert "very-secret-value" not in text
    assert "token-secret-value" not in text


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HUAWEICLOUD_PROJECT_ID", "not-a-project"),
        ("BACKUPBOT_LANGUAGE", "fr-fr"),
        ("GAUSSDB_ENDPOINT", "gaussdb.example.com"),
        ("BACKUPBOT_PAGE_CONCURRENCY", "lots"),
        ("BACKUPBOT_MAX_WINDOW_ROWS", "42"),
        ("GAUSSDB_ENDPOINT", "http://127.0.0.1:99999"),
        ("GAUSSDB_ENDPOINT", "http://[::1"),
        ("GAUSSDB_ENDPOINT", "https://admin:hunter2@gaussdb.example.com"),
        ("SLACK_API_URL", "http://user:hunter2@127.0.0.1/api/"),
        ("CLOUD_SDK_AK", "AK-LINE-ONE\nAK-LINE-TWO"),
        ("SLACK_BOT_TOKEN", "xoxb-1\r\nX-Injected: yes"),
    ],
)
def test_malformed_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        Settings.load()
    assert variable in caught.value.said
    assert value not in caught.value.said, "values may be secrets: never echo them"
    assert caught.value.hint


async def test_the_bound_on_rows_read_for_one_answer_reaches_the_engine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings.load().max_window_rows == 5_000
    monkeypatch.setenv("BACKUPBOT_MAX_WINDOW_ROWS", "20000")
    async with open_engines(Settings.load(), simulator=True) as engines:
        assert engines.engine(None).max_window_rows == 20_000


def test_missing_project_and_half_a_key_pair_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "/nonexistent/credentials")
    with pytest.raises(ConfigError, match="HUAWEICLOUD_PROJECT_ID"):
        load_profiles(cloud_settings(Settings.load()))
    monkeypatch.setenv("HUAWEICLOUD_PROJECT_ID", PROJECT)
    monkeypatch.setenv("HUAWEICLOUD_REGION", "cn-north-4")
    monkeypatch.setenv("CLOUD_SDK_SK", "SK")
    with pytest.raises(ConfigError, match="CLOUD_SDK_AK") as caught:
        load_profiles(cloud_settings(Settings.load()))
    assert "--simulator" in caught.value.hint


def test_region_table_knows_the_odd_hosts() -> None:
    assert endpoint_for("cn-north-4", None) == "https://gaussdb.cn-north-4.myhuaweicloud.com"
    assert endpoint_for("ap-southeast-1", None).startswith("https://gaussdbformysql.")
    assert endpoint_for("af-south-1", None).startswith("https://gaussdb-mysql.")
    assert len(REGION_ENDPOINTS) >= 20


def test_endpoint_override_wins_and_unknown_regions_need_it() -> None:
    assert endpoint_for("xx-nowhere-1", "http://127.0.0.1:8700/") == "http://127.0.0.1:8700"
    with pytest.raises(ConfigError, match="xx-nowhere-1") as caught:
        endpoint_for("xx-nowhere-1", None)
    assert "GAUSSDB_ENDPOINT" in caught.value.hint
    with pytest.raises(ConfigError, match="HUAWEICLOUD_REGION"):
        endpoint_for(None, None)


def test_keys_lose_surrounding_blanks_and_urls_keep_their_port(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLOUD_SDK_AK", "  AK123\n")
    monkeypatch.setenv("GAUSSDB_ENDPOINT", " http://[::1]:8700 ")
    settings = Settings.load()
    assert settings.access_key is not None
    assert settings.access_key.get_secret_value() == "AK123"
    assert settings.endpoint == "http://[::1]:8700"
