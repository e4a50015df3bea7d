"""The guard of tests/network_guard.py stops what it must: a test that reaches for the
real metadata service or a Huawei Cloud host is refused before any packet leaves."""

from __future__ import annotations

import socket

import httpx
import pytest

from tests import network_guard


async def test_the_metadata_address_and_huawei_hosts_are_refused() -> None:
    with pytest.raises(PermissionError):
        socket.create_connection(("169.254.169.254", 80), timeout=1)
    with socket.socket() as raw, pytest.raises(PermissionError):
        raw.connect(("169.254.169.254", 80))
    async with httpx.AsyncClient() as http:
        for url in (
            "http://169.254.169.254/openstack/latest/securitykey",
            "https://iam.cn-north-4.myhuaweicloud.com/v3.0/OS-AUTH/id-token/tokens",
        ):
            with pytest.raises(httpx.ConnectError):
                await http.get(url, timeout=1)
    tried = list(network_guard.attempts)
    network_guard.attempts.clear()  # tried on purpose: this test must not fail for it
    assert "169.254.169.254" in tried
    assert "iam.cn-north-4.myhuaweicloud.com" in tried


def test_loopback_is_not_refused() -> None:
    assert not network_guard.forbidden("127.0.0.1")
    assert network_guard.forbidden("169.254.170.2")
    assert network_guard.forbidden("gaussdb.cn-north-4.myhuaweicloud.com")
