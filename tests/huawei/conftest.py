"""Fixtures of the credential tests: the simulator and its identity fakes (metadata, Pod
Identity, IAM) on 127.0.0.1, sharing one settable clock, and no credential in the
environment (helpers to point settings at them: tests/huawei/identity.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.huawei.simulator import Fleet, SimulatorState
from bot.huawei.simulator.server import IdentityServer, SimulatorServer
from tests.conftest import NOW, SettableClock
from tests.huawei.identity import CREDENTIAL_VARIABLES


@pytest.fixture(autouse=True)
def no_credentials_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def clock() -> SettableClock:
    """The one clock of this cloud: the gateway's, the issuer's and backupbot's."""
    return SettableClock()


@pytest.fixture
def cloud(clock: SettableClock) -> SimulatorState:
    """The simulator's state: its fleet, and the credentials its fakes issue."""
    return SimulatorState(fleet=Fleet.demo(NOW), clock=clock)


@pytest.fixture
def gateway(cloud: SimulatorState) -> Iterator[SimulatorServer]:
    """The simulator's API, accepting the credentials its fakes issue while they are valid."""
    with SimulatorServer(cloud) as server:
        yield server


@pytest.fixture
def identity(cloud: SimulatorState) -> Iterator[IdentityServer]:
    with IdentityServer(cloud) as server:
        yield server
