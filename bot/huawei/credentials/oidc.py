"""OIDC federation: an id token from the platform (a Kubernetes service account token, a CI
job's) exchanged at IAM for temporary credentials, as the SDK's `FederalAccessor` does.

`POST {iam}/v3.0/OS-AUTH/id-token/tokens` (header `X-Idp-Id`, body
`{"auth": {"id_token": {"id": ID_TOKEN}}}`) gives an unscoped token in `X-Subject-Token`;
`POST {iam}/v3.0/OS-CREDENTIAL/securitytokens` with it gives the temporary AK/SK and
security token, for the SDK's 6 hours. The id token file is read at every refresh: the
platform rotates it. IAM is HUAWEICLOUD_SDK_IAM_ENDPOINT, else the region's.
"""

from __future__ import annotations

import httpx

from bot import messages
from bot.huawei.auth import Credentials
from bot.huawei.credentials.source import (
    credential_from,
    exchange,
    refused,
    token_file,
    unavailable,
)

ID_TOKEN_PATH = "/v3.0/OS-AUTH/id-token/tokens"
SECURITY_TOKENS_PATH = "/v3.0/OS-CREDENTIAL/securitytokens"
DURATION_SECONDS = 6 * 60 * 60  # the SDK's
CONTENT_TYPE = "application/json;charset=UTF-8"
IAM_HOSTS = "https://iam.{region}.myhuaweicloud.com"
GLOBAL_IAM = "https://iam.myhuaweicloud.com"  # the SDK's default
# The regions the SDK's IAM table names (huaweicloudsdkcore/auth/endpoint.py).
IAM_REGIONS = frozenset(
    {
        "cn-north-2",
        "cn-north-4",
        "cn-north-1",
        "cn-east-2",
        "cn-east-3",
        "cn-south-1",
        "cn-south-2",
        "cn-southwest-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "af-south-1",
        "sa-brazil-1",
        "la-south-2",
        "na-mexico-1",
        "la-north-2",
        "cn-north-9",
        "eu-west-0",
        "my-kualalumpur-1",
        "ru-moscow-1",
        "me-east-1",
        "ap-southeast-4",
        "ae-ad-1",
        "cn-east-4",
        "cn-east-5",
        "tr-west-1",
        "cn-north-12",
    }
)
TIMEOUT = 10.0


def iam_endpoint(override: str | None, region: str | None) -> str:
    """HUAWEICLOUD_SDK_IAM_ENDPOINT, else the region's IAM (the SDK's table), else global."""
    if override:
        return override.rstrip("/")
    if region in IAM_REGIONS:
        return IAM_HOSTS.format(region=region)
    return GLOBAL_IAM


class OidcSource:
    """Temporary credentials for an identity provider's id token, from IAM."""

    kind = "oidc"

    def __init__(self, *, idp_id: str, id_token_path: str, iam: str) -> None:
        self._idp_id = idp_id
        self._id_token_path = id_token_path
        self._iam = iam.rstrip("/")

    @property
    def name(self) -> str:
        """The source in words, said in the reader's language when read."""
        return messages.oidc_named(self._idp_id)

    async def fetch(self, http: httpx.AsyncClient) -> Credentials:
        """Exchange the id token for a token, and that for temporary credentials."""
        id_token = token_file(self._id_token_path, source=self.name)
        response = await exchange(
            http, "POST", self._iam + ID_TOKEN_PATH, source=self.name, seconds=TIMEOUT,
            headers={"X-Idp-Id": self._idp_id, "Content-Type": CONTENT_TYPE},
            body={"auth": {"id_token": {"id": id_token}}},
        )  # fmt: skip
        if response.status_code >= 400:
            raise refused(self.name, response)
        token = response.headers.get("X-Subject-Token")
        if not token:
            raise unavailable(self.name, messages.NO_SUBJECT_TOKEN)
        identity = {
            "methods": ["token"],
            "token": {"id": token, "duration_seconds": DURATION_SECONDS},
        }
        response = await exchange(
            http, "POST", self._iam + SECURITY_TOKENS_PATH, source=self.name, seconds=TIMEOUT,
            headers={"Content-Type": CONTENT_TYPE}, body={"auth": {"identity": identity}},
        )  # fmt: skip
        if response.status_code >= 400:
            raise refused(self.name, response)
        return credential_from(response.content, source=self.name)
