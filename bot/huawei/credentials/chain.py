"""The credential chain: the SDK's sources in the SDK's order, the first that applies wins.

`huaweicloudsdkcore`'s `CredentialProviderChain.get_basic_credential_provider_chain` asks
the environment, then the credentials file, then ECS metadata, then CCE Pod Identity
(`tests/huawei/test_credential_chain.py` checks the order against the SDK itself). The
first that gives credentials is kept for the life of the process, as the SDK keeps the
provider that answered: a source that later fails is not silently replaced by another
identity. A profile may name one source instead (`credentials = "metadata"`).
"""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from bot import messages
from bot.core.clock import Clock, utc_now
from bot.errors import ConfigError, CredentialsUnavailable
from bot.huawei.auth import Credentials
from bot.huawei.cloud_settings import CredentialSettings
from bot.huawei.credentials.local import CredentialsFileSource, EnvironmentSource
from bot.huawei.credentials.metadata import MetadataSource
from bot.huawei.credentials.oidc import OidcSource, iam_endpoint
from bot.huawei.credentials.pod_identity import PodIdentitySource
from bot.huawei.credentials.source import CredentialSource

ORDER = ("environment", "credentials-file", "metadata", "pod-identity")  # the SDK's
KINDS = (*ORDER, "oidc")  # what a profile's `credentials` may name


def source_of(
    kind: str, settings: CredentialSettings, *, region: str | None, clock: Clock = utc_now
) -> CredentialSource:
    """The source `kind` as the settings configure it, for a profile in `region` (whose IAM
    OIDC federation asks, unless HUAWEICLOUD_SDK_IAM_ENDPOINT says otherwise)."""
    iam = iam_endpoint(settings.iam_endpoint, region)
    if kind == "environment":
        return EnvironmentSource(settings)
    if kind == "credentials-file":
        return CredentialsFileSource(settings.credentials_file, iam=iam)
    if kind == "metadata":
        return MetadataSource(settings.metadata_url, clock=clock)
    if kind == "pod-identity":
        return PodIdentitySource(settings.pod_identity_uri, settings.pod_identity_token_file)
    if kind == "oidc":
        if not settings.idp_id or not settings.id_token_file:
            raise ConfigError(messages.OIDC_NOT_SET, messages.set_both(
                "HUAWEICLOUD_SDK_IDP_ID", "HUAWEICLOUD_SDK_ID_TOKEN_FILE"
            ))  # fmt: skip
        return OidcSource(idp_id=settings.idp_id, id_token_path=settings.id_token_file, iam=iam)
    raise ConfigError(
        messages.malformed("BACKUPBOT_CREDENTIALS_SOURCE", messages.unknown_source(kind)),
        messages.credentials_are(", ".join(KINDS)),
    )


def chain_for(settings: CredentialSettings, *, region: str | None, clock: Clock = utc_now) -> Chain:
    """Every source, in the SDK's order."""
    return Chain([source_of(kind, settings, region=region, clock=clock) for kind in ORDER])


class Chain:
    """The first source that gives credentials, kept once found."""

    def __init__(self, sources: Sequence[CredentialSource]) -> None:
        self._sources = tuple(sources)
        self._found: CredentialSource | None = None

    @property
    def kind(self) -> str:
        """The kind of the source found (`chain` until one is)."""
        return self._found.kind if self._found is not None else "chain"

    @property
    def name(self) -> str:
        """The name of the source found."""
        return self._found.name if self._found is not None else messages.THE_CHAIN

    @property
    def kinds(self) -> tuple[str, ...]:
        """The sources asked, in order."""
        return tuple(source.kind for source in self._sources)

    async def fetch(self, http: httpx.AsyncClient) -> Credentials:
        """Credentials from the source found, or from the first that gives any; one
        CredentialsUnavailable naming why each failed if none does."""
        if self._found is not None:
            return await self._found.fetch(http)
        reasons = []
        for source in self._sources:
            try:
                credentials = await source.fetch(http)
            except CredentialsUnavailable as error:
                reasons.append(error.said)
                continue
            self._found = source
            return credentials
        raise CredentialsUnavailable(
            messages.NO_CREDENTIALS,
            hint=messages.tried_sources(reasons),
        )
