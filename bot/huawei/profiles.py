"""Named cloud accounts: one bot serving `prod`, `staging` or several regions.

Profiles come from a TOML file (BACKUPBOT_PROFILES_FILE; the README's *Profiles* shows
one) that may hold their credentials, so keep it out of git and mount it as a secret. Each
`[profiles.NAME]` names a project, a region or an endpoint, and a key pair, an IAM token,
one credential source (`credentials = "metadata"`) or nothing: the SDK's credential chain
(`bot.huawei.credentials`). Without the file, the one profile `default` comes from the
environment, its credentials from the chain. `api_for` builds the API client of a profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import httpx
from pydantic import AfterValidator, BaseModel, ConfigDict, SecretStr

from bot import messages
from bot.core.clock import Clock, utc_now
from bot.core.language.lexicon import PROFILE_RE
from bot.errors import ConfigError
from bot.huawei.auth import AccessKeys, IamToken, Keyring
from bot.huawei.client import BackupsApi
from bot.huawei.cloud_settings import ApiSettings, CloudSettings
from bot.huawei.credentials import (
    KINDS,
    CredentialSource,
    FixedSource,
    Refresher,
    chain_for,
    source_of,
)
from bot.huawei.credentials.local import file_project_id
from bot.huawei.regions import endpoint_for
from bot.huawei.transport import Observer, RetryPolicy, Transport, no_observer
from bot.support.tomlfile import read_toml, validated
from bot.support.validation import PROJECT_ID_RE

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
    credentials: str | None = None


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default: str | None = None
    profiles: dict[str, _Entry]


@dataclass(frozen=True)
class Profile:
    """One cloud account: where its API is, and where its credentials come from."""

    name: str
    project_id: str
    endpoint: str
    credentials: CredentialSource


@dataclass(frozen=True)
class Profiles:
    """Every configured profile and which one a question without `@name` uses."""

    default: str
    by_name: dict[str, Profile]

    @property
    def secrets(self) -> list[str]:
        """The secret values the profiles file gives: whoever configures logging redacts
        them (those fetched later are redacted as they come: `Refresher`'s `learn`)."""
        return [
            value
            for profile in self.by_name.values()
            if isinstance(profile.credentials, FixedSource)
            for value in profile.credentials.credentials.secrets
        ]


def load_profiles(settings: CloudSettings) -> Profiles:
    """From BACKUPBOT_PROFILES_FILE, or the one `default` profile from the environment."""
    if settings.profiles_file is None:
        project_id = settings.project_id or file_project_id(settings.credentials.credentials_file)
        if not project_id:
            raise ConfigError(
                messages.PROJECT_ID_NOT_SET,
                messages.COPY_THE_PROJECT_ID,
            )
        source = (
            source_of(settings.credentials_source, settings.credentials, region=settings.region)
            if settings.credentials_source
            else chain_for(settings.credentials, region=settings.region)
        )
        profile = Profile(
            DEFAULT_PROFILE, project_id, endpoint_for(settings.region, settings.endpoint), source
        )
        return Profiles(DEFAULT_PROFILE, {DEFAULT_PROFILE: profile})
    return _from_file(settings.profiles_file, settings)


def _from_file(path: str, settings: CloudSettings) -> Profiles:
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
            name,
            entry.project_id,
            _endpoint(path, name, entry),
            _credentials(path, name, entry, settings),
        )
    default = parsed.default or (DEFAULT_PROFILE if DEFAULT_PROFILE in profiles else min(profiles))
    if default not in profiles:
        raise ConfigError(messages.default_not_defined(path, default), messages.FIX_THE_DEFAULT)
    return Profiles(default, profiles)


def _endpoint(path: str, name: str, entry: _Entry) -> str:
    try:
        return endpoint_for(entry.region, entry.endpoint)
    except ConfigError as error:
        raise ConfigError(messages.in_profile(path, name, error.said), error.hint) from None


def _credentials(path: str, name: str, entry: _Entry, settings: CloudSettings) -> CredentialSource:
    """The entry's keys or token, else the source it names, else the SDK's chain."""
    keys = (entry.access_key, entry.secret_key, entry.security_token, entry.auth_token)
    given = any(value is not None for value in keys)
    if entry.credentials is not None:
        if given or entry.credentials not in KINDS:
            raise ConfigError(
                messages.in_profile(path, name, messages.ONE_WAY_TO_AUTHENTICATE),
                messages.credentials_are(", ".join(KINDS)),
            )
        try:
            return source_of(entry.credentials, settings.credentials, region=entry.region)
        except ConfigError as error:
            raise ConfigError(messages.in_profile(path, name, error.said), error.hint) from None
    if entry.auth_token is not None:
        return FixedSource(IamToken(entry.auth_token), messages.THE_PROFILES_FILE)
    if entry.access_key is None and entry.secret_key is None:
        return chain_for(settings.credentials, region=entry.region)
    if entry.access_key is None or entry.secret_key is None:
        raise ConfigError(
            messages.profile_without_credentials(path, name),
            messages.GIVE_CREDENTIALS,
        )
    keys_given = AccessKeys(entry.access_key, entry.secret_key, entry.security_token)
    return FixedSource(keys_given, messages.THE_PROFILES_FILE)


def api_for(
    profile: Profile,
    *,
    settings: ApiSettings,
    http: httpx.AsyncClient,
    keyring: Keyring | None = None,
    observer: Observer = no_observer,
    clock: Clock = utc_now,
) -> BackupsApi:
    """The API of `profile`, tuned by the settings, over the shared `http` client; its
    credentials from `keyring` (else fetched from the profile's source when first used)."""
    transport = Transport(
        http=http,
        endpoint=profile.endpoint,
        project_id=profile.project_id,
        credentials=keyring or Refresher(profile.credentials, http=http, clock=clock),
        retry=RetryPolicy(attempts=settings.retry_attempts, budget=settings.retry_budget),
        concurrency=settings.page_concurrency,
        timeout=settings.request_timeout,
        observer=observer,
        clock=clock,
    )
    return BackupsApi(transport, server_clock_lag=settings.server_clock_lag)
