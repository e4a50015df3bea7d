"""The sources read on this machine: the environment and the SDK's credentials file.

Both are the SDK's (`EnvCredentialProvider`, `ProfileCredentialProvider`): an identity
provider and an id token file (OIDC federation) win over a key pair, and a key pair may
come with a security token. The environment also takes backupbot's own forms: an IAM
token (HUAWEICLOUD_AUTH_TOKEN) and the key pair from files (CLOUD_SDK_AK_FILE,
CLOUD_SDK_SK_FILE), re-read when they change. Both are cheap to ask: the refresher asks
them at every request, so a rotated file is used within seconds.
"""

from __future__ import annotations

import configparser
import os
import time
from collections.abc import Callable

import httpx
from pydantic import SecretStr

from bot import messages
from bot.errors import ConfigError, NotConfigured
from bot.huawei.auth import AccessKeys, Credentials, IamToken
from bot.huawei.cloud_settings import CredentialSettings
from bot.huawei.credentials.oidc import OidcSource, iam_endpoint
from bot.huawei.credentials.source import unavailable
from bot.support.secretfile import Secret, SecretFile, one_line, secret_from

SECTION = "basic"  # the SDK's section for regional services


class _KeyPair:
    """An access key pair whose halves may each be a rotating file; one value while unchanged."""

    def __init__(self, access: Secret, secret: Secret, token: SecretStr | None) -> None:
        self._access, self._secret, self._token = access, secret, token
        self._keys = self._make()

    def _make(self) -> AccessKeys:
        return AccessKeys(
            SecretStr(self._access.current()), SecretStr(self._secret.current()), self._token
        )

    def keys(self) -> AccessKeys:
        fresh = self._make()
        if fresh != self._keys:
            self._keys = fresh
        return self._keys


class EnvironmentSource:
    """Credentials from the environment, as the SDK's environment provider reads them."""

    def __init__(
        self, settings: CredentialSettings, *, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        """`monotonic` times the looks at key files (tests move it)."""
        _both_or_neither(
            ("HUAWEICLOUD_SDK_IDP_ID", settings.idp_id),
            ("HUAWEICLOUD_SDK_ID_TOKEN_FILE", settings.id_token_file),
        )
        self._oidc: OidcSource | None = None
        self._token: IamToken | None = None
        self._pair: _KeyPair | None = None
        self.kind = "environment"
        # Names are said when read: in the language of whoever reads them.
        self._name: Callable[[], str] = lambda: messages.ENVIRONMENT
        if settings.idp_id and settings.id_token_file:
            iam = iam_endpoint(settings.iam_endpoint, settings.region)
            self._oidc = OidcSource(
                idp_id=settings.idp_id, id_token_path=settings.id_token_file, iam=iam
            )
            oidc = self._oidc
            self.kind, self._name = oidc.kind, lambda: oidc.name
        elif settings.auth_token is not None:
            self._token = IamToken(settings.auth_token)
            self._name = lambda: messages.environment_named("HUAWEICLOUD_AUTH_TOKEN")
        else:
            self._pair = _key_pair(settings, monotonic)
            if self._pair is not None:
                variable = "CLOUD_SDK_AK_FILE" if settings.access_key_file else "CLOUD_SDK_AK"
                self._name = lambda: messages.environment_named(variable)

    @property
    def name(self) -> str:
        """The source in words, said in the reader's language when read."""
        return self._name()

    async def fetch(self, http: httpx.AsyncClient) -> Credentials:
        """What the environment gives; NotConfigured if it gives nothing."""
        if self._oidc is not None:
            return await self._oidc.fetch(http)
        if self._token is not None:
            return self._token
        if self._pair is not None:
            return self._pair.keys()
        raise NotConfigured(messages.no_credentials_from(self.name, messages.ENVIRONMENT_NOT_SET))


def _both_or_neither(first: tuple[str, object], second: tuple[str, object]) -> None:
    """Half a pair of variables is a mistake to name, not a source to skip."""
    for (given, value), (missing, other) in ((first, second), (second, first)):
        if value and not other:
            raise ConfigError(messages.half_set(given, missing), messages.set_both(given, missing))


def _key_pair(settings: CredentialSettings, monotonic: Callable[[], float]) -> _KeyPair | None:
    """The key pair of CLOUD_SDK_AK / CLOUD_SDK_SK or their _FILE forms, if given."""
    access = secret_from(
        settings.access_key, settings.access_key_file, variable="CLOUD_SDK_AK",
        check=one_line, grace=0, monotonic=monotonic,
    )  # fmt: skip
    secret = secret_from(
        settings.secret_key, settings.secret_key_file, variable="CLOUD_SDK_SK",
        check=one_line, grace=0, monotonic=monotonic,
    )  # fmt: skip
    if access is None and secret is None:
        return None
    if access is None or secret is None:
        missing = "CLOUD_SDK_AK" if access is None else "CLOUD_SDK_SK"
        raise ConfigError(messages.not_set(missing), messages.SET_THE_KEYS)
    return _KeyPair(access, secret, settings.security_token)


class CredentialsFileSource:
    """Credentials from the SDK's INI file, section `[basic]`, re-read when it changes."""

    kind = "credentials-file"

    def __init__(
        self, path: str, *, iam: str, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._path = path
        self._iam = iam
        self._monotonic = monotonic

        self._file: SecretFile | None = None
        self._read: tuple[str, AccessKeys | OidcSource] | None = None

    @property
    def name(self) -> str:
        """The source in words, said in the reader's language when read."""
        return messages.credentials_file_named(self._path)

    async def fetch(self, http: httpx.AsyncClient) -> Credentials:
        """The file's keys, or OIDC credentials for the identity provider it names."""
        text = self._text()
        if self._read is None or self._read[0] != text:
            self._read = (text, self._parse(text))
        found = self._read[1]
        return found if isinstance(found, AccessKeys) else await found.fetch(http)

    def _text(self) -> str:
        if self._file is None:
            if not os.path.exists(self._path):
                why = messages.file_not_found(self._path)
                raise NotConfigured(messages.no_credentials_from(self.name, why))
            try:
                self._file = SecretFile(
                    self._path, variable="HUAWEICLOUD_SDK_CREDENTIALS_FILE", check=str, grace=0,
                    monotonic=self._monotonic,
                )  # fmt: skip
            except ConfigError as error:
                raise unavailable(self.name, error.said) from None
        return self._file.current()

    def _parse(self, text: str) -> AccessKeys | OidcSource:
        values = read_section(text, path=self._path, fail=lambda why: unavailable(self.name, why))
        if values.get("idp_id") and values.get("id_token_file"):
            iam = values.get("iam_endpoint") or self._iam
            return OidcSource(
                idp_id=values["idp_id"], id_token_path=values["id_token_file"], iam=iam
            )
        try:
            access, secret = one_line(values.get("ak", "")), one_line(values.get("sk", ""))
        except ValueError as error:
            raise unavailable(self.name, str(error)) from None
        if not access or not secret:
            raise unavailable(self.name, messages.keys_missing(self._path))
        token = values.get("security_token")
        return AccessKeys(SecretStr(access), SecretStr(secret), SecretStr(token) if token else None)


def read_section(text: str, *, path: str, fail: Callable[[str], Exception]) -> dict[str, str]:
    """The `[basic]` section of a credentials file's text; `fail(why)` is raised if none."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=path)
    except configparser.Error as error:
        raise fail(messages.file_cannot_be_read(path, type(error).__name__)) from None
    if not parser.has_section(SECTION):
        raise fail(messages.section_missing(path, SECTION))
    return {key: value.strip() for key, value in parser.items(SECTION)}


def file_project_id(path: str) -> str | None:
    """The `project_id` of a credentials file, if it exists and names one."""
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError):
        return None
    try:
        values = read_section(text, path=path, fail=ValueError)
    except ValueError:
        return None
    return values.get("project_id") or None
