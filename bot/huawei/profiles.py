"""Named cloud accounts: one bot serving `prod`, `staging` or several regions.

Profiles come from a TOML file (BACKUPBOT_PROFILES_FILE; the README's *Profiles* shows
one) that holds their credentials, so keep it out of git and mount it as a secret. Each
`[profiles.NAME]` names a project, a region or an endpoint, and a key pair or an IAM
token. Without the file, the one profile `default` comes from the environment. `api_for` builds
the API client of a profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import httpx
from pydantic import AfterValidator, BaseModel, ConfigDict, SecretStr

from bot import messages
from bot.config import PROJECT_ID_RE, Settings
from bot.core.clock import Clock, utc_now
from bot.core.lexicon import PROFILE_RE
from bot.errors import ConfigError
from bot.huawei.auth import AccessKeys, Credentials, IamToken
from bot.huawei.client import BackupsApi
from bot.huawei.regions import endpoint_for
from bot.huawei.transport import Observer, RetryPolicy, Transport, no_observer
from bot.tomlfile import read_toml, validated

DEFAULT_PROFILE = "default"


def _project_id(value: str) -> str:
    if not PROJECT_ID_RE.match(value):
        raise ValueError(messages.PROJECT_ID_RULE)
    return value


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    project_id: Annotated[str, AfterValidator(_project_id)]
    region: str | None = None
    endpoint: str | None = None
    access_key: SecretStr | None = None
    secret_key: SecretStr | None = None
    security_token: SecretStr | None = None
    auth_token: SecretStr | None = None


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default: str | None = None
    profiles: dict[str, _Entry]


@dataclass(frozen=True)
class Profile:
    """One cloud account: where its API is and how to authenticate."""

    name: str
    project_id: str
    endpoint: str
    credentials: Credentials


@dataclass(frozen=True)
class Profiles:
    """Every configured profile and which one a question without `@name` uses."""

    default: str
    by_name: dict[str, Profile]

    @property
    def secrets(self) -> list[str]:
        """Every profile's secret values: whoever configures logging redacts them."""
        return [value for p in self.by_name.values() for value in p.credentials.secrets]


def credentials_from(settings: Settings) -> Credentials:
    """The credentials in the environment: a token if given, else the AK/SK pair."""
    if settings.auth_token is not None:
        return IamToken(settings.auth_token)
    if settings.access_key is None or settings.secret_key is None:
        missing = "CLOUD_SDK_AK" if settings.access_key is None else "CLOUD_SDK_SK"
        raise ConfigError(
            messages.not_set(missing),
            messages.SET_THE_KEYS,
        )
    return AccessKeys(settings.access_key, settings.secret_key, settings.security_token)


def load_profiles(settings: Settings) -> Profiles:
    """From BACKUPBOT_PROFILES_FILE, or the one `default` profile from the environment."""
    if settings.profiles_file is None:
        if not settings.project_id:
            raise ConfigError(
                messages.PROJECT_ID_NOT_SET,
                messages.COPY_THE_PROJECT_ID,
            )
        profile = Profile(
            DEFAULT_PROFILE,
            settings.project_id,
            endpoint_for(settings.region, settings.endpoint),
            credentials_from(settings),
        )
        return Profiles(DEFAULT_PROFILE, {DEFAULT_PROFILE: profile})
    return _from_file(settings.profiles_file)


def _from_file(path: str) -> Profiles:
    data = read_toml(path, variable="BACKUPBOT_PROFILES_FILE", shape="[profiles.NAME] tables")
    parsed = validated(_File, data, path=path, hint=messages.PROFILES_FILE_HINT)
    if not parsed.profiles:
        raise ConfigError(messages.names_no_profiles(path), messages.ADD_A_PROFILE)
    profiles = {}
    for name, entry in parsed.profiles.items():
        if not PROFILE_RE.match(name):
            raise ConfigError(
                messages.not_a_profile_name_in(path, name), messages.PROFILE_NAME_RULE
            )
        profiles[name] = Profile(
            name, entry.project_id, _endpoint(path, name, entry), _credentials(path, name, entry)
        )
    default = parsed.default or (DEFAULT_PROFILE if DEFAULT_PROFILE in profiles else min(profiles))
    if default not in profiles:
        raise ConfigError(messages.default_not_defined(path, default), messages.FIX_THE_DEFAULT)
    return Profiles(default, profiles)


def _endpoint(path: str, name: str, entry: _Entry) -> str:
    try:
        return endpoint_for(entry.region, entry.endpoint)
    except ConfigError as error:
        raise ConfigError(messages.in_profile(path, name, error.message), error.hint) from None


def _credentials(path: str, name: str, entry: _Entry) -> Credentials:
    if entry.auth_token is not None:
        return IamToken(entry.auth_token)
    if entry.access_key is None or entry.secret_key is None:
        raise ConfigError(
            messages.profile_without_credentials(path, name),
            messages.GIVE_CREDENTIALS,
        )
    return AccessKeys(entry.access_key, entry.secret_key, entry.security_token)


def api_for(
    profile: Profile,
    *,
    settings: Settings,
    http: httpx.AsyncClient,
    observer: Observer = no_observer,
    clock: Clock = utc_now,
) -> BackupsApi:
    """The API of `profile`, tuned by the settings, over the shared `http` client."""
    transport = Transport(
        http=http,
        endpoint=profile.endpoint,
        project_id=profile.project_id,
        credentials=profile.credentials,
        language=settings.language,
        retry=RetryPolicy(attempts=settings.retry_attempts, budget=settings.retry_budget),
        concurrency=settings.page_concurrency,
        timeout=settings.request_timeout,
        observer=observer,
        clock=clock,
    )
    return BackupsApi(transport, server_clock_lag=settings.server_clock_lag)
