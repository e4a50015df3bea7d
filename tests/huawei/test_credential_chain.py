"""The credential chain asks the SDK's sources in the SDK's order, keeps the first that
gives credentials, and a profile may name one source instead."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from huaweicloudsdkcore.auth.provider import CredentialProviderChain

from bot.app.engines import cloud_settings, open_engines
from bot.errors import ConfigError, CredentialsUnavailable
from bot.huawei.auth import AccessKeys
from bot.huawei.credentials import ORDER, Chain, chain_for
from bot.huawei.profiles import load_profiles
from bot.huawei.simulator import SIMULATOR_ACCESS_KEY, SIMULATOR_SECRET_KEY, SimulatorState
from bot.huawei.simulator.server import IdentityServer
from tests.conftest import SettableClock
from tests.huawei.identity import pod_identity, settings_for

# The SDK's providers, by the source each is here.
SDK_NAMES = {
    "EnvCredentialProvider": "environment",
    "ProfileCredentialProvider": "credentials-file",
    "MetadataBasicCredentialProvider": "metadata",
    "PodIdentityCredentialProvider": "pod-identity",
}
# Newer SDKs put a provider first that assumes an agency at STS with an OIDC token
# (HUAWEICLOUD_OIDC_*, `/v5/agencies/assume-with-oidc`); backupbot does not offer it (its
# OIDC federation is the environment's and the file's, HUAWEICLOUD_SDK_IDP_ID).
NOT_OFFERED = {"OidcStsCredentialProvider"}


def test_the_chain_asks_the_sources_in_the_sdks_order(
    identity: IdentityServer, tmp_path: Path
) -> None:
    providers = CredentialProviderChain.get_basic_credential_provider_chain()._providers
    sdk = [type(provider).__name__ for provider in providers]
    assert set(sdk) - set(SDK_NAMES) <= NOT_OFFERED, "a provider this test does not know"
    assert tuple(SDK_NAMES[name] for name in sdk if name not in NOT_OFFERED) == ORDER
    chain = chain_for(
        cloud_settings(settings_for(identity, tmp_path)).credentials, region="cn-north-4"
    )
    assert chain.kinds == ORDER


async def test_the_environment_wins_and_nothing_else_is_asked(
    identity: IdentityServer, cloud: SimulatorState, tmp_path: Path
) -> None:
    (tmp_path / "credentials").write_text("[basic]\nak = FROMFILE\nsk = file\n")
    settings = settings_for(
        identity, tmp_path, CLOUD_SDK_AK="FROMENV", CLOUD_SDK_SK="env",
        HUAWEICLOUD_SDK_CREDENTIALS_FILE=str(tmp_path / "credentials"),
    )  # fmt: skip
    chain = chain_for(cloud_settings(settings).credentials, region=None)
    async with httpx.AsyncClient() as http:
        keys = await chain.fetch(http)
    assert isinstance(keys, AccessKeys)
    assert keys.access_key.get_secret_value() == "FROMENV"
    assert chain.name == "the environment (CLOUD_SDK_AK)"
    assert cloud.identity.seen == []


async def test_the_credentials_file_comes_before_metadata(
    identity: IdentityServer, cloud: SimulatorState, tmp_path: Path
) -> None:
    path = tmp_path / "credentials"
    path.write_text(f"[basic]\nak = {SIMULATOR_ACCESS_KEY}\nsk = {SIMULATOR_SECRET_KEY}\n")
    chain = chain_for(
        cloud_settings(
            settings_for(identity, tmp_path, HUAWEICLOUD_SDK_CREDENTIALS_FILE=str(path))
        ).credentials,
        region=None,
    )
    async with httpx.AsyncClient() as http:
        await chain.fetch(http)
    assert chain.kind == "credentials-file"
    assert cloud.identity.seen == []


async def on_a_cce_node(identity: IdentityServer, cloud: SimulatorState, tmp_path: Path) -> Chain:
    """The chain of a pod with Pod Identity, once it found its source."""
    env = pod_identity(identity, tmp_path, cloud.identity.pod_token)
    chain = chain_for(
        cloud_settings(settings_for(identity, tmp_path, **env)).credentials, region=None
    )
    async with httpx.AsyncClient() as http:
        await chain.fetch(http)
    return chain


async def test_without_keys_the_servers_agency_and_then_the_pods(
    identity: IdentityServer, cloud: SimulatorState, tmp_path: Path
) -> None:
    assert (await on_a_cce_node(identity, cloud, tmp_path)).kind == "metadata"
    cloud.identity.agency = False  # a CCE node without an agency: the pod's is next
    assert (await on_a_cce_node(identity, cloud, tmp_path)).kind == "pod-identity"
    assert [issued.by for issued in cloud.issuer.issued] == ["metadata", "pod-identity"]


async def test_the_source_found_is_kept_even_when_it_fails_later(
    identity: IdentityServer, cloud: SimulatorState, tmp_path: Path
) -> None:
    chain = await on_a_cce_node(identity, cloud, tmp_path)
    cloud.identity.agency = False
    async with httpx.AsyncClient() as http:
        with pytest.raises(CredentialsUnavailable, match="the server has no agency"):
            await chain.fetch(http)
    assert cloud.issuer.count("pod-identity") == 0, "never silently another identity"


async def test_no_source_at_all_is_one_line_saying_why_each_gave_nothing(
    identity: IdentityServer, cloud: SimulatorState, tmp_path: Path
) -> None:
    cloud.identity.agency = False
    settings = settings_for(
        identity, tmp_path, HUAWEICLOUD_PROJECT_ID="0123456789abcdef0123456789abcdef",
        GAUSSDB_ENDPOINT="http://127.0.0.1:9",
    )  # fmt: skip
    with pytest.raises(ConfigError) as caught:
        async with open_engines(settings, simulator=False):
            pass
    assert caught.value.said == "No cloud credentials could be found"
    hint = caught.value.hint
    for why in (
        "neither CLOUD_SDK_AK and CLOUD_SDK_SK",
        f"{tmp_path / 'no-credentials-file'} does not exist",
        "the server has no agency",
        "HC_CONTAINER_CREDENTIALS_FULL_URI and HC_CONTAINER_AUTHORIZATION_TOKEN_FILE are not set",
        "set CLOUD_SDK_AK and CLOUD_SDK_SK, give a credentials file",
    ):
        assert why in hint, why


async def test_a_profile_may_name_its_source(
    identity: IdentityServer, cloud: SimulatorState, clock: SettableClock, tmp_path: Path
) -> None:
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(
        'default = "cce"\n'
        '[profiles.cce]\nproject_id = "0123456789abcdef0123456789abcdef"\n'
        'endpoint = "http://127.0.0.1:9"\ncredentials = "pod-identity"\n'
        '[profiles.node]\nproject_id = "0123456789abcdef0123456789abcdef"\n'
        'endpoint = "http://127.0.0.1:9"\n'
    )
    env = pod_identity(identity, tmp_path, cloud.identity.pod_token)
    settings = settings_for(
        identity, tmp_path, BACKUPBOT_PROFILES_FILE=str(profiles),
        CLOUD_SDK_AK="ENVKEY", CLOUD_SDK_SK="env", **env,
    )  # fmt: skip
    loaded = load_profiles(cloud_settings(settings))
    assert loaded.by_name["cce"].credentials.kind == "pod-identity"
    async with httpx.AsyncClient() as http:
        await loaded.by_name["cce"].credentials.fetch(http)
        await loaded.by_name["node"].credentials.fetch(http)
    assert loaded.by_name["node"].credentials.kind == "environment", "no key: the chain"
    assert cloud.issuer.count("pod-identity") == 1


async def test_the_default_profile_may_name_its_source_too(
    identity: IdentityServer, cloud: SimulatorState, tmp_path: Path
) -> None:
    env = pod_identity(identity, tmp_path, cloud.identity.pod_token)
    project = {"HUAWEICLOUD_PROJECT_ID": "0123456789abcdef0123456789abcdef"}
    settings = settings_for(
        identity, tmp_path, BACKUPBOT_CREDENTIALS_SOURCE="pod-identity", GAUSSDB_ENDPOINT="http://127.0.0.1:9",
        **project, **env,
    )  # fmt: skip
    source = load_profiles(cloud_settings(settings)).by_name["default"].credentials
    async with httpx.AsyncClient() as http:
        await source.fetch(http)
    assert cloud.issuer.count("pod-identity") == 1
    assert cloud.identity.seen == ["pod-identity"], "the node's agency is not asked"
    wrong = settings_for(
        identity, tmp_path, BACKUPBOT_CREDENTIALS_SOURCE="vault", GAUSSDB_ENDPOINT="http://127.0.0.1:9",
        **project,
    )  # fmt: skip
    with pytest.raises(ConfigError) as caught:
        load_profiles(cloud_settings(wrong))
    assert caught.value.said == (
        "BACKUPBOT_CREDENTIALS_SOURCE is malformed: 'vault' is not a credential source"
    )
    assert caught.value.hint.startswith("credentials is one of environment, credentials-file")
