"""The one Settings object, read from the environment once at start-up and passed down.

Variable names follow the official Huawei Cloud SDK, so its users already have them.
Nothing else in backupbot reads `os.environ`.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot import messages
from bot.errors import ConfigError, InvalidUrl, UserError
from bot.messages.catalogue import PSEUDO, SHIPPED, shipped
from bot.support.database_url import checked_database_url, sqlite_url
from bot.support.secretfile import one_line
from bot.support.validation import PROJECT_ID_RE, first_problem
from bot.support.zones import zone_named

DATABASE_URL = "BACKUPBOT_DATABASE_URL"
SECRET_FIELDS = (
    "access_key", "secret_key", "security_token", "auth_token",
    "slack_bot_token", "slack_signing_secret", "slack_app_token",
)  # fmt: skip


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    """Everything configurable, with secrets kept as SecretStr so they never print."""

    model_config = SettingsConfigDict(
        case_sensitive=False, extra="ignore", frozen=True, populate_by_name=False
    )

    access_key: SecretStr | None = Field(
        None, validation_alias=_env("CLOUD_SDK_AK", "HUAWEICLOUD_SDK_AK")
    )
    secret_key: SecretStr | None = Field(
        None, validation_alias=_env("CLOUD_SDK_SK", "HUAWEICLOUD_SDK_SK")
    )
    security_token: SecretStr | None = Field(
        None, validation_alias=_env("CLOUD_SDK_SECURITY_TOKEN", "HUAWEICLOUD_SDK_SECURITY_TOKEN")
    )
    auth_token: SecretStr | None = Field(None, validation_alias=_env("HUAWEICLOUD_AUTH_TOKEN"))
    project_id: str | None = Field(
        None, validation_alias=_env("HUAWEICLOUD_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID")
    )
    region: str | None = Field(None, validation_alias=_env("HUAWEICLOUD_REGION"))
    endpoint: str | None = Field(None, validation_alias=_env("GAUSSDB_ENDPOINT"))
    page_concurrency: int = Field(
        8, ge=1, le=64, validation_alias=_env("BACKUPBOT_PAGE_CONCURRENCY")
    )
    request_timeout: float = Field(
        10.0, gt=0, le=300, validation_alias=_env("BACKUPBOT_REQUEST_TIMEOUT")
    )
    retry_attempts: int = Field(4, ge=1, le=10, validation_alias=_env("BACKUPBOT_RETRY_ATTEMPTS"))
    retry_budget: float = Field(30.0, gt=0, le=600, validation_alias=_env("BACKUPBOT_RETRY_BUDGET"))
    server_clock_lag: float = Field(
        60.0, ge=0, le=900, validation_alias=_env("BACKUPBOT_SERVER_CLOCK_LAG")
    )

    cache_ttl: float = Field(60.0, ge=0, le=3600, validation_alias=_env("BACKUPBOT_CACHE_TTL"))
    # Instances and policies change in minutes: read at most once per this many seconds.
    inventory_ttl: float = Field(
        600.0, ge=0, le=86_400, validation_alias=_env("BACKUPBOT_INVENTORY_TTL")
    )
    cache_size: int = Field(256, ge=1, le=100_000, validation_alias=_env("BACKUPBOT_CACHE_SIZE"))
    stale_after_hours: float = Field(
        26.0, gt=0, le=24 * 90, validation_alias=_env("BACKUPBOT_STALE_AFTER_HOURS")
    )
    max_window_rows: int = Field(
        5_000, ge=100, le=200_000, validation_alias=_env("BACKUPBOT_MAX_WINDOW_ROWS")
    )
    timezone: str = Field("UTC", validation_alias=_env("BACKUPBOT_TIMEZONE"))
    # The workspace's language (en, zh-CN; en-us and zh-cn as X-Language once took them):
    # for readers whose Slack locale is not shipped, new subscriptions and the CLI. Each
    # person in Slack is answered in their own locale; the API is asked in the reader's.
    language: str = Field("en", validation_alias=_env("BACKUPBOT_LANGUAGE"))

    slack_bot_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=_env("SLACK_SIGNING_SECRET")
    )
    slack_app_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_api_url: str = Field("https://slack.com/api/", validation_alias=_env("SLACK_API_URL"))
    slack_timeout: float = Field(
        10.0, gt=0, le=120, validation_alias=_env("BACKUPBOT_SLACK_TIMEOUT")
    )
    http_read_timeout: float = Field(
        10.0, gt=0, le=300, validation_alias=_env("BACKUPBOT_HTTP_READ_TIMEOUT")
    )

    # Where cloud credentials come from besides the keys above, with the official SDK's
    # names (README, "Cloud credentials"); *_FILE secrets are re-read when the file changes.
    access_key_file: str | None = Field(None, validation_alias=_env("CLOUD_SDK_AK_FILE"))
    secret_key_file: str | None = Field(None, validation_alias=_env("CLOUD_SDK_SK_FILE"))
    credentials_file: str | None = Field(
        None, validation_alias=_env("HUAWEICLOUD_SDK_CREDENTIALS_FILE")
    )
    idp_id: str | None = Field(None, validation_alias=_env("HUAWEICLOUD_SDK_IDP_ID"))
    id_token_file: str | None = Field(None, validation_alias=_env("HUAWEICLOUD_SDK_ID_TOKEN_FILE"))
    iam_endpoint: str | None = Field(None, validation_alias=_env("HUAWEICLOUD_SDK_IAM_ENDPOINT"))
    metadata_url: str = Field(
        "http://169.254.169.254", validation_alias=_env("BACKUPBOT_METADATA_URL")
    )
    pod_identity_uri: str | None = Field(
        None, validation_alias=_env("HC_CONTAINER_CREDENTIALS_FULL_URI")
    )
    pod_identity_token_file: str | None = Field(
        None, validation_alias=_env("HC_CONTAINER_AUTHORIZATION_TOKEN_FILE")
    )
    # One source for the default profile instead of the SDK's chain (a profile of the
    # profiles file names its own with `credentials = ...`).
    credentials_source: str | None = Field(
        None, validation_alias=_env("BACKUPBOT_CREDENTIALS_SOURCE")
    )
    slack_bot_token_file: str | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN_FILE"))
    slack_signing_secret_file: str | None = Field(
        None, validation_alias=_env("SLACK_SIGNING_SECRET_FILE")
    )
    slack_app_token_file: str | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN_FILE"))
    # How long a rotated secret's old value still verifies (replicas see a new file at
    # different moments).
    secret_grace_seconds: float = Field(
        900.0, ge=0, le=86_400, validation_alias=_env("BACKUPBOT_SECRET_GRACE_SECONDS")
    )

    profiles_file: str | None = Field(None, validation_alias=_env("BACKUPBOT_PROFILES_FILE"))
    access_file: str | None = Field(None, validation_alias=_env("BACKUPBOT_ACCESS_FILE"))
    state_path: str = Field("backupbot-state.sqlite3", validation_alias=_env("BACKUPBOT_STATE"))
    # A URL may carry a password: kept secret, and shown only with the password hidden.
    database_url: SecretStr | None = Field(None, validation_alias=_env(DATABASE_URL))
    scheduler_tick_seconds: float = Field(
        30.0, gt=0, le=3600, validation_alias=_env("BACKUPBOT_SCHEDULER_TICK_SECONDS")
    )
    claim_lease_seconds: float = Field(
        120.0, ge=1, le=3600, validation_alias=_env("BACKUPBOT_CLAIM_LEASE_SECONDS")
    )
    digests_file: str | None = Field(None, validation_alias=_env("BACKUPBOT_DIGESTS_FILE"))
    digest_grace_hours: float = Field(
        6.0, ge=0, le=48, validation_alias=_env("BACKUPBOT_DIGEST_GRACE_HOURS")
    )
    watch_interval_minutes: float = Field(
        10.0, ge=1, le=1440, validation_alias=_env("BACKUPBOT_WATCH_INTERVAL_MINUTES")
    )

    @field_validator("slack_api_url")
    @classmethod
    def _slack_api_url(cls, value: str) -> str:
        return checked_url(value, example="https://slack.com/api/").rstrip("/") + "/"

    @field_validator(*SECRET_FIELDS)
    @classmethod
    def _one_line(cls, value: SecretStr | None) -> SecretStr | None:
        return None if value is None else SecretStr(one_line(value.get_secret_value()))

    @field_validator("iam_endpoint", "pod_identity_uri")
    @classmethod
    def _optional_url(cls, value: str | None) -> str | None:
        if not value or not value.strip():
            return None
        return checked_url(value, example="http://127.0.0.1:8700").rstrip("/")

    @field_validator("metadata_url")
    @classmethod
    def _metadata_url(cls, value: str) -> str:
        return checked_url(value, example="http://169.254.169.254").rstrip("/")

    def credentials_path(self) -> str:
        """The SDK's credentials file: HUAWEICLOUD_SDK_CREDENTIALS_FILE, else
        ~/.huaweicloud/credentials."""
        return self.credentials_file or str(Path.home() / ".huaweicloud" / "credentials")

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        try:
            checked_database_url(value.get_secret_value())
        except InvalidUrl as error:
            # Raised whole, past pydantic (which lets anything but a ValueError through):
            # some problems have a hint of their own. The message never quotes the URL.
            hint = error.hint or messages.FIX_OR_UNSET
            raise ConfigError(messages.malformed(DATABASE_URL, error.said), hint) from None
        return value

    def state_url(self) -> str:
        """Where state lives: BACKUPBOT_DATABASE_URL, else the SQLite file BACKUPBOT_STATE."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return sqlite_url(self.state_path)

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        return None if value is None else SecretStr(bot_token(value.get_secret_value()))

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        return None if value is None else SecretStr(app_token(value.get_secret_value()))

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            return zone_named(value).key
        except UserError as error:
            raise ValueError(f"{error.said}: {error.hint}") from None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        found = shipped(value)
        if found is None or found == PSEUDO:
            raise ValueError(messages.unknown_language(SHIPPED))
        return found

    @field_validator("project_id")
    @classmethod
    def _project_id(cls, value: str | None) -> str | None:
        if value is not None and not PROJECT_ID_RE.match(value.strip()):
            raise ValueError(messages.THIRTY_TWO_CHARACTERS)
        return value.strip() if value else value

    @field_validator("endpoint")
    @classmethod
    def _endpoint(cls, value: str | None) -> str | None:
        if not value or not value.strip():
            return None
        return checked_url(value, example="https://gaussdb.cn-north-4.myhuaweicloud.com")

    @field_validator("region")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        return value.strip().lower() if value else None

    @classmethod
    def load(cls) -> Settings:
        """Read the environment; a bad value becomes one ConfigError naming the variable."""
        try:
            return cls()
        except ValidationError as exc:
            problem = first_problem(exc)
            field = problem.location[0] if problem.location else ""
            raise ConfigError(
                messages.malformed(env_name(field), problem.message), messages.FIX_OR_UNSET
            ) from None


def bot_token(text: str) -> str:
    """A Slack bot token (`xoxb-`), checked as `one_line` does; else ValueError."""
    text = one_line(text)
    if not text.startswith("xoxb-"):
        raise ValueError(messages.NOT_A_BOT_TOKEN)
    return text


def app_token(text: str) -> str:
    """A Slack app-level token (`xapp-`), checked as `one_line` does; else ValueError."""
    text = one_line(text)
    if not text.startswith("xapp-"):
        raise ValueError(messages.NOT_AN_APP_TOKEN)
    return text


def checked_url(value: str, *, example: str) -> str:
    """`value` stripped, if it is an http(s) URL a client can connect to; else ValueError.

    The messages never quote the value: a URL can carry a password.
    """
    text = value.strip()
    if not re.match(r"^https?://[^/\s]+(/[^\s]*)?$", text):
        raise ValueError(messages.must_be_a_url(example))
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        needs = messages.URL_HOST_AND_PORT
        raise ValueError(messages.must_be_a_url(example, needs=needs)) from None
    if parts.username is not None or parts.password is not None:
        raise ValueError(messages.NO_CREDENTIALS_IN_URL)
    if not parts.hostname:
        raise ValueError(messages.must_be_a_url(example, needs=messages.URL_HOST))
    if port == 0:
        raise ValueError(messages.must_be_a_url(example, needs=messages.URL_PORT))
    return text


def env_name(field: str) -> str:
    """The environment variable(s) behind a Settings field, for messages."""
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info else None
    if isinstance(alias, AliasChoices):
        return " / ".join(str(choice) for choice in alias.choices)
    return field.upper()
