"""Helpers of the credential tests: settings pointing every source at the fakes
(tests/huawei/conftest.py serves them), a pod's Pod Identity variables, an API client."""

from __future__ import annotations

from pathlib import Path

import httpx

from bot.config import Settings
from bot.core.clock import Clock
from bot.huawei.auth import Keyring
from bot.huawei.client import BackupsApi
from bot.huawei.simulator import SIMULATOR_PROJECT_ID, SimulatorState
from bot.huawei.simulator.identity import POD_IDENTITY_PATH
from bot.huawei.simulator.server import IdentityServer
from bot.huawei.transport import RetryPolicy, Transport

# Every variable a credential source reads: a test starts with none of them.
CREDENTIAL_VARIABLES = (
    "CLOUD_SDK_AK", "CLOUD_SDK_SK", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK",
    "CLOUD_SDK_SECURITY_TOKEN", "HUAWEICLOUD_SDK_SECURITY_TOKEN", "HUAWEICLOUD_AUTH_TOKEN",
    "CLOUD_SDK_AK_FILE", "CLOUD_SDK_SK_FILE", "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
    "HUAWEICLOUD_SDK_IDP_ID", "HUAWEICLOUD_SDK_ID_TOKEN_FILE", "HUAWEICLOUD_SDK_IAM_ENDPOINT",
    "BACKUPBOT_METADATA_URL", "HC_CONTAINER_CREDENTIALS_FULL_URI",
    "HC_CONTAINER_AUTHORIZATION_TOKEN_FILE", "HUAWEICLOUD_PROJECT_ID",
    "HUAWEICLOUD_SDK_PROJECT_ID", "HUAWEICLOUD_REGION", "GAUSSDB_ENDPOINT",
    "BACKUPBOT_PROFILES_FILE",
)  # fmt: skip


def settings_for(identity: IdentityServer, tmp_path: Path, **values: str) -> Settings:
    """Settings whose credential sources all point at the fakes (and at no real file)."""
    defaults = {
        "BACKUPBOT_METADATA_URL": identity.url,
        "HUAWEICLOUD_SDK_IAM_ENDPOINT": identity.url,
        "HUAWEICLOUD_SDK_CREDENTIALS_FILE": str(tmp_path / "no-credentials-file"),
    }
    return Settings(**{**defaults, **values})  # type: ignore[arg-type]  # environment names


def pod_identity(identity: IdentityServer, tmp_path: Path, token: str) -> dict[str, str]:
    """The variables CCE sets in a pod with Pod Identity, its token file written."""
    path = tmp_path / "pod-token"
    path.write_text(token + "\n")
    return {
        "HC_CONTAINER_CREDENTIALS_FULL_URI": identity.url + POD_IDENTITY_PATH,
        "HC_CONTAINER_AUTHORIZATION_TOKEN_FILE": str(path),
    }


def oidc(cloud: SimulatorState, tmp_path: Path) -> dict[str, str]:
    """The variables of OIDC federation with the identity provider the IAM fake trusts,
    its id token file written."""
    path = tmp_path / "id-token"
    path.write_text(cloud.identity.id_token)
    return {
        "HUAWEICLOUD_SDK_IDP_ID": cloud.identity.idp_id,
        "HUAWEICLOUD_SDK_ID_TOKEN_FILE": str(path),
    }


def api_over(keyring: Keyring, endpoint: str, http: httpx.AsyncClient, clock: Clock) -> BackupsApi:
    """The simulator's API, signing with whatever `keyring` holds at each request."""
    transport = Transport(
        http=http,
        endpoint=endpoint,
        project_id=SIMULATOR_PROJECT_ID,
        credentials=keyring,
        retry=RetryPolicy(attempts=1),
        timeout=30,
        clock=clock,
    )
    return BackupsApi(transport)
