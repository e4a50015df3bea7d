"""backupbot as a user runs it, with no cloud key at all: credentials from the simulator's
metadata or Pod Identity fake, through the whole chain; `check` says where they come
from and when they expire, and no secret reaches the output."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.clock import utc_now
from bot.huawei.simulator import SIMULATOR_PROJECT_ID, Fleet, SimulatorState
from bot.huawei.simulator.identity import POD_IDENTITY_PATH
from bot.huawei.simulator.server import IdentityServer, SimulatorServer
from tests.test_cli import run_cli


@pytest.fixture
def cloud() -> SimulatorState:
    return SimulatorState(fleet=Fleet.demo(utc_now()))


@pytest.fixture
def servers(cloud: SimulatorState) -> Iterator[tuple[SimulatorServer, IdentityServer]]:
    with SimulatorServer(cloud) as api, IdentityServer(cloud) as identity:
        yield api, identity


def keyless(api: SimulatorServer, tmp_path: Path, **more: str) -> dict[str, str]:
    """The environment of a server with no key: the project, the endpoint, the state."""
    return {
        "GAUSSDB_ENDPOINT": api.url,
        "HUAWEICLOUD_PROJECT_ID": SIMULATOR_PROJECT_ID,
        "BACKUPBOT_STATE": str(tmp_path / "state.sqlite3"),
        **more,
    }


def leaked(cloud: SimulatorState, text: str) -> list[str]:
    values = [v for i in cloud.issuer.issued for v in (i.access, i.secret, i.security_token)]
    return [value for value in (*values, cloud.identity.pod_token) if value in text]


def test_a_question_on_an_ecs_with_an_agency_needs_no_key(
    servers: tuple[SimulatorServer, IdentityServer], cloud: SimulatorState, tmp_path: Path
) -> None:
    api, identity = servers
    env = keyless(api, tmp_path, BACKUPBOT_METADATA_URL=identity.url)
    result = run_cli("query", "orders-prod last 7d", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Backups: orders-prod last 7d")
    assert cloud.issuer.count("metadata") == 1
    assert cloud.requests
    assert all(request.status == 200 for request in cloud.requests)
    assert leaked(cloud, result.stdout + result.stderr) == []


def test_check_names_the_source_and_when_the_credentials_expire(
    servers: tuple[SimulatorServer, IdentityServer], cloud: SimulatorState, tmp_path: Path
) -> None:
    api, identity = servers
    result = run_cli("check", env=keyless(api, tmp_path, BACKUPBOT_METADATA_URL=identity.url))
    expires = cloud.issuer.issued[0].expires_at.strftime("%Y-%m-%d %H:%M UTC")
    assert result.stdout.splitlines()[0] == (
        f"✔ cloud credentials: temporary, from ECS metadata (the server's agency); they "
        f"expire {expires} (in 5 h)"
    )
    assert "✔ TaurusDB API: answered" in result.stdout
    assert leaked(cloud, result.stdout + result.stderr) == []


def test_in_a_cce_pod_the_pods_identity_is_used_when_the_node_gives_none(
    servers: tuple[SimulatorServer, IdentityServer], cloud: SimulatorState, tmp_path: Path
) -> None:
    api, identity = servers
    token = tmp_path / "token"
    token.write_text(cloud.identity.pod_token)
    env = keyless(
        api, tmp_path,
        HC_CONTAINER_CREDENTIALS_FULL_URI=identity.url + POD_IDENTITY_PATH,
        HC_CONTAINER_AUTHORIZATION_TOKEN_FILE=str(token),
    )  # fmt: skip
    result = run_cli("check", env=env)
    assert result.stdout.splitlines()[0].startswith(
        "✔ cloud credentials: temporary, from CCE Pod Identity; they expire "
    )
    assert cloud.issuer.count("pod-identity") == 1
    assert leaked(cloud, result.stdout + result.stderr) == []


def test_without_any_source_check_and_query_say_why_each_gave_nothing(
    servers: tuple[SimulatorServer, IdentityServer], tmp_path: Path
) -> None:
    api, _ = servers
    checked = run_cli("check", env=keyless(api, tmp_path))
    assert checked.returncode == 1
    first = checked.stdout.splitlines()[0]
    assert first.startswith("✖ cloud credentials: No cloud credentials could be found. ")
    assert "ECS metadata (the server's agency) could not be reached" in first
    queried = run_cli("query", "orders-prod", env=keyless(api, tmp_path))
    assert queried.returncode == 2
    assert queried.stderr.startswith("backupbot: No cloud credentials could be found")
    assert "Traceback" not in queried.stderr
