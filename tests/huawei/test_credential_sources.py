"""Each credential source end to end against its fake on 127.0.0.1: the credentials it
fetches sign a request the simulator accepts, and each failure is one line naming it."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import httpx
import pytest

from bot.app.engines import cloud_settings
from bot.core.params import ListBackupsParams
from bot.errors import ConfigError, CredentialsUnavailable, NotConfigured, UpstreamError
from bot.huawei.auth import AccessKeys, Credentials, FixedKeyring
from bot.huawei.credentials import Refresher, source_of
from bot.huawei.credentials.local import (
    CredentialsFileSource,
    EnvironmentSource,
    file_project_id,
)
from bot.huawei.credentials.source import CredentialSource
from bot.huawei.simulator import SIMULATOR_ACCESS_KEY, SIMULATOR_SECRET_KEY, SimulatorState
from bot.huawei.simulator.server import IdentityServer, SimulatorServer
from tests.conftest import NOW, FakeTime, SettableClock
from tests.huawei.identity import api_over, oidc, pod_identity, settings_for


async def fetched(source: CredentialSource) -> Credentials:
    async with httpx.AsyncClient() as http:
        return await source.fetch(http)


async def accepted(credentials: Credentials, gateway: SimulatorServer, clock: SettableClock) -> int:
    """Sign one backups request with `credentials`; the total the simulator answered."""
    async with httpx.AsyncClient() as http:
        api = api_over(FixedKeyring(credentials), gateway.url, http, clock)
        page = await api.list_page(ListBackupsParams(limit=1))
    assert page.total_count is not None
    return page.total_count


async def test_metadata_takes_a_session_token_then_the_agencys_credentials(
    identity: IdentityServer, gateway: SimulatorServer, cloud: SimulatorState,
    clock: SettableClock, tmp_path: Path,
) -> None:  # fmt: skip
    cloud.identity.require_metadata_token = True
    source = source_of(
        "metadata",
        cloud_settings(settings_for(identity, tmp_path)).credentials,
        region=None,
        clock=clock,
    )
    credentials = await fetched(source)
    assert isinstance(credentials, AccessKeys)
    assert credentials.security_token is not None
    assert credentials.expires_at == NOW + cloud.issuer.lifetime
    assert cloud.identity.seen == ["metadata-token", "metadata"]
    assert await accepted(credentials, gateway, clock) == len(cloud.fleet.backups)


@pytest.mark.parametrize("status", [400, 404, 405, 503])
async def test_metadata_goes_on_without_a_token_when_the_token_put_is_refused(
    identity: IdentityServer, gateway: SimulatorServer, cloud: SimulatorState,
    clock: SettableClock, tmp_path: Path, status: int,
) -> None:  # fmt: skip
    cloud.identity.token_put_status = status
    source = source_of(
        "metadata",
        cloud_settings(settings_for(identity, tmp_path)).credentials,
        region=None,
        clock=clock,
    )
    first = await fetched(source)
    assert await accepted(first, gateway, clock) == len(cloud.fleet.backups)
    async with httpx.AsyncClient() as http:
        await source.fetch(http)
        await source.fetch(http)
    # No token is asked for again within a day, as the SDK does.
    assert cloud.identity.seen == ["metadata-token", "metadata", "metadata", "metadata"]


async def test_a_401_from_metadata_asks_for_a_new_session_token_once(
    identity: IdentityServer, cloud: SimulatorState, clock: SettableClock, tmp_path: Path
) -> None:
    source = source_of(
        "metadata",
        cloud_settings(settings_for(identity, tmp_path)).credentials,
        region=None,
        clock=clock,
    )
    async with httpx.AsyncClient() as http:
        await source.fetch(http)
        cloud.issuer.metadata_tokens.clear()  # the session token expired
        again = await source.fetch(http)
    assert isinstance(again, AccessKeys)
    assert cloud.identity.seen == [
        "metadata-token", "metadata", "metadata", "metadata-token", "metadata",
    ]  # fmt: skip


async def test_a_server_without_an_agency_is_named_and_no_token_is_asked_again(
    identity: IdentityServer, cloud: SimulatorState, clock: SettableClock, tmp_path: Path
) -> None:
    cloud.identity.agency = False
    source = source_of(
        "metadata",
        cloud_settings(settings_for(identity, tmp_path)).credentials,
        region=None,
        clock=clock,
    )
    with pytest.raises(CredentialsUnavailable) as caught:
        await fetched(source)
    assert caught.value.said == (
        "No cloud credentials from ECS metadata (the server's agency): the server has no "
        "agency: attach one with the permissions backupbot needs"
    )
    assert cloud.identity.seen == ["metadata-token", "metadata"]


async def test_unreachable_metadata_is_one_line_naming_it(
    identity: IdentityServer, tmp_path: Path
) -> None:
    settings = settings_for(identity, tmp_path, BACKUPBOT_METADATA_URL="http://127.0.0.1:9")
    source = source_of("metadata", cloud_settings(settings).credentials, region=None)
    with pytest.raises(CredentialsUnavailable) as caught:
        await fetched(source)
    assert caught.value.said.startswith(
        "No cloud credentials from ECS metadata (the server's agency): ECS metadata (the "
        "server's agency) could not be reached"
    )


async def test_pod_identity_posts_the_pods_token_and_gets_credentials(
    identity: IdentityServer, gateway: SimulatorServer, cloud: SimulatorState,
    clock: SettableClock, tmp_path: Path,
) -> None:  # fmt: skip
    env = pod_identity(identity, tmp_path, cloud.identity.pod_token)
    source = source_of(
        "pod-identity",
        cloud_settings(settings_for(identity, tmp_path, **env)).credentials,
        region=None,
    )
    credentials = await fetched(source)
    assert cloud.issuer.count("pod-identity") == 1
    assert await accepted(credentials, gateway, clock) == len(cloud.fleet.backups)


async def test_pod_identity_with_a_wrong_token_or_without_its_variables(
    identity: IdentityServer, tmp_path: Path
) -> None:
    env = pod_identity(identity, tmp_path, "a-stale-token")
    source = source_of(
        "pod-identity",
        cloud_settings(settings_for(identity, tmp_path, **env)).credentials,
        region=None,
    )
    with pytest.raises(CredentialsUnavailable) as caught:
        await fetched(source)
    assert caught.value.said == (
        "No cloud credentials from CCE Pod Identity: CCE Pod Identity refused "
        "(HTTP 401, CCE.01400001)"
    )
    assert "a-stale-token" not in str(caught.value)
    unset = source_of(
        "pod-identity", cloud_settings(settings_for(identity, tmp_path)).credentials, region=None
    )
    with pytest.raises(NotConfigured):
        await fetched(unset)


async def test_oidc_exchanges_the_id_token_read_afresh_at_each_refresh(
    identity: IdentityServer, gateway: SimulatorServer, cloud: SimulatorState,
    clock: SettableClock, tmp_path: Path,
) -> None:  # fmt: skip
    settings = settings_for(identity, tmp_path, **oidc(cloud, tmp_path))
    id_token = tmp_path / "id-token"
    source = EnvironmentSource(cloud_settings(settings).credentials)
    assert source.kind == "oidc"
    credentials = await fetched(source)
    assert isinstance(credentials, AccessKeys)
    assert credentials.expires_at == NOW + cloud.issuer.lifetime  # the SDK's 6 hours
    assert await accepted(credentials, gateway, clock) == len(cloud.fleet.backups)
    cloud.identity.id_token = "eyJ.rotated-by-the-platform.sig"
    id_token.write_text(cloud.identity.id_token)
    assert await fetched(source) != credentials
    assert cloud.identity.seen == ["id-token", "securitytokens", "id-token", "securitytokens"]


async def test_oidc_with_a_refused_id_token_names_iams_answer(
    identity: IdentityServer, cloud: SimulatorState, tmp_path: Path
) -> None:
    settings = settings_for(identity, tmp_path, **oidc(cloud, tmp_path))
    (tmp_path / "id-token").write_text("eyJ.not-this-one.sig")
    with pytest.raises(CredentialsUnavailable) as caught:
        await fetched(source_of("oidc", cloud_settings(settings).credentials, region=None))
    assert caught.value.said == (
        "No cloud credentials from OIDC federation (identity provider backupbot-idp): "
        "OIDC federation (identity provider backupbot-idp) refused (HTTP 401)"
    )
    assert "not-this-one" not in str(caught.value)


def test_half_an_oidc_pair_is_a_configuration_mistake(
    identity: IdentityServer, tmp_path: Path
) -> None:
    settings = settings_for(identity, tmp_path, HUAWEICLOUD_SDK_IDP_ID="backupbot-idp")
    with pytest.raises(ConfigError) as caught:
        EnvironmentSource(cloud_settings(settings).credentials)
    assert caught.value.said == (
        "HUAWEICLOUD_SDK_IDP_ID is set but HUAWEICLOUD_SDK_ID_TOKEN_FILE is not"
    )


async def test_the_credentials_file_is_read_as_the_sdk_reads_it_and_again_when_it_changes(
    gateway: SimulatorServer, cloud: SimulatorState, clock: SettableClock, tmp_path: Path
) -> None:
    path = tmp_path / "credentials"
    path.write_text(f"[basic]\nak = {SIMULATOR_ACCESS_KEY}\nsk = wrong\nproject_id = p\n")
    seconds = FakeTime()
    source = CredentialsFileSource(str(path), iam="http://127.0.0.1:9", monotonic=seconds.monotonic)
    first = await fetched(source)
    assert isinstance(first, AccessKeys)
    assert first.secret_key.get_secret_value() == "wrong"
    assert file_project_id(str(path)) == "p"
    path.write_text(f"[basic]\nak = {SIMULATOR_ACCESS_KEY}\nsk = {SIMULATOR_SECRET_KEY}\n")
    assert await fetched(source) is first, "looked at again only after a few seconds"
    await seconds.sleep(3)
    fixed = await fetched(source)
    assert await accepted(fixed, gateway, clock) == len(cloud.fleet.backups)


async def test_a_credentials_file_may_name_an_identity_provider(
    identity: IdentityServer, gateway: SimulatorServer, cloud: SimulatorState,
    clock: SettableClock, tmp_path: Path,
) -> None:  # fmt: skip
    id_token = tmp_path / "id-token"
    id_token.write_text(cloud.identity.id_token)
    path = tmp_path / "credentials"
    path.write_text(
        f"[basic]\nidp_id = {cloud.identity.idp_id}\nid_token_file = {id_token}\n"
        f"iam_endpoint = {identity.url}\nak = ignored\nsk = ignored\n"
    )
    credentials = await fetched(CredentialsFileSource(str(path), iam="http://127.0.0.1:9"))
    assert cloud.issuer.count("oidc") == 1
    assert await accepted(credentials, gateway, clock) == len(cloud.fleet.backups)


async def test_a_missing_credentials_file_does_not_apply_and_a_bad_one_is_named(
    tmp_path: Path,
) -> None:
    with pytest.raises(NotConfigured):
        await fetched(CredentialsFileSource(str(tmp_path / "none"), iam="http://127.0.0.1:9"))
    bad = tmp_path / "credentials"
    bad.write_text("[other]\nak = x\n")
    with pytest.raises(CredentialsUnavailable) as caught:
        await fetched(CredentialsFileSource(str(bad), iam="http://127.0.0.1:9"))
    assert caught.value.said.endswith(f"{bad} has no [basic] section")


async def test_key_files_in_the_environment_are_used_and_rotated(
    identity: IdentityServer, tmp_path: Path
) -> None:
    access, secret = tmp_path / "ak", tmp_path / "sk"
    access.write_text("AKFROMAFILE\n")
    secret.write_text("sk-from-a-file\n")
    settings = settings_for(
        identity, tmp_path, CLOUD_SDK_AK_FILE=str(access), CLOUD_SDK_SK_FILE=str(secret)
    )
    seconds = FakeTime()
    source = EnvironmentSource(cloud_settings(settings).credentials, monotonic=seconds.monotonic)
    assert source.name == "the environment (CLOUD_SDK_AK_FILE)"
    keys = await fetched(source)
    assert isinstance(keys, AccessKeys)
    assert (keys.access_key.get_secret_value(), keys.secret_key.get_secret_value()) == (
        "AKFROMAFILE", "sk-from-a-file",
    )  # fmt: skip
    assert keys.expires_at is None
    secret.write_text("sk-rotated\n")
    await seconds.sleep(3)
    rotated = await fetched(source)
    assert isinstance(rotated, AccessKeys)
    assert rotated.secret_key.get_secret_value() == "sk-rotated"
    both = settings_for(
        identity, tmp_path, CLOUD_SDK_AK="AKVALUE", CLOUD_SDK_AK_FILE=str(access),
        CLOUD_SDK_SK_FILE=str(secret),
    )  # fmt: skip
    with pytest.raises(ConfigError, match="both CLOUD_SDK_AK and CLOUD_SDK_AK_FILE are set"):
        EnvironmentSource(cloud_settings(both).credentials)


async def test_a_401_to_keys_rotated_while_the_request_was_under_way_is_retried_with_the_new(
    identity: IdentityServer, gateway: SimulatorServer, cloud: SimulatorState,
    clock: SettableClock, tmp_path: Path,
) -> None:  # fmt: skip
    access, secret = tmp_path / "ak", tmp_path / "sk"
    access.write_text(SIMULATOR_ACCESS_KEY)
    secret.write_text(SIMULATOR_SECRET_KEY)
    settings = settings_for(
        identity, tmp_path, CLOUD_SDK_AK_FILE=str(access), CLOUD_SDK_SK_FILE=str(secret)
    )
    seconds = FakeTime()
    cloud.held = threading.Event()  # the request waits at the gateway until released
    sent = asyncio.Event()

    async def signed_and_sent(request: httpx.Request) -> None:
        sent.set()

    async with httpx.AsyncClient(event_hooks={"request": [signed_and_sent]}) as http:
        refresher = Refresher(
            EnvironmentSource(cloud_settings(settings).credentials, monotonic=seconds.monotonic),
            http=http,
        )
        api = api_over(refresher, gateway.url, http, clock)
        under_way = asyncio.ensure_future(api.list_page(ListBackupsParams(limit=1)))
        await asyncio.wait_for(sent.wait(), timeout=30)
        secret.write_text("sk-rotated")  # the key is rotated meanwhile, at IAM and in the file
        cloud.credentials[SIMULATOR_ACCESS_KEY] = "sk-rotated"
        await seconds.sleep(3)
        cloud.held.set()
        page = await under_way
        assert page.total_count == len(cloud.fleet.backups)
        assert [request.status for request in cloud.requests] == [401, 200]
        cloud.credentials[SIMULATOR_ACCESS_KEY] = "sk-elsewhere"
        with pytest.raises(UpstreamError):  # the same keys refused again: no second try
            await api.list_page(ListBackupsParams(limit=1))
    assert [request.status for request in cloud.requests] == [401, 200, 401]
