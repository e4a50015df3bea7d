"""What the Huawei room is told of the settings: where credentials come from, how the API
is asked, and which account a bot without a profiles file serves. Small values, built
from `Settings` by the composition root (`bot.app.engines.cloud_settings`): the room
reads no environment and knows nothing of Slack, storage or scheduling."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import SecretStr


@dataclass(frozen=True, kw_only=True)
class CredentialSettings:
    """Where cloud credentials may come from (README, "Cloud credentials"), with the
    official SDK's variable names; `region` is the environment's, for OIDC federation."""

    credentials_file: str  # the SDK's credentials file (its default path when unset)
    metadata_url: str = "http://169.254.169.254"
    access_key: SecretStr | None = None
    secret_key: SecretStr | None = None
    security_token: SecretStr | None = None
    auth_token: SecretStr | None = None
    access_key_file: str | None = None
    secret_key_file: str | None = None
    idp_id: str | None = None
    id_token_file: str | None = None
    iam_endpoint: str | None = None
    pod_identity_uri: str | None = None
    pod_identity_token_file: str | None = None
    region: str | None = None


@dataclass(frozen=True, kw_only=True)
class ApiSettings:
    """How the API is asked: retries, concurrency and timeouts (its language is the
    reader's: bot/messages/catalogue.py)."""

    retry_attempts: int = 4
    retry_budget: float = 30.0
    page_concurrency: int = 8
    request_timeout: float = 10.0
    server_clock_lag: float = 60.0


@dataclass(frozen=True, kw_only=True)
class CloudSettings:
    """The cloud accounts: the profiles file, or the one account of the environment."""

    credentials: CredentialSettings
    api: ApiSettings = field(default_factory=ApiSettings)
    profiles_file: str | None = None
    project_id: str | None = None
    region: str | None = None
    endpoint: str | None = None
    credentials_source: str | None = None  # one source instead of the SDK's chain
