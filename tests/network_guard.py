"""No test reaches a real cloud service: a guard on every connection this process opens.

Credential sources have real addresses by default (the metadata service at
169.254.169.254, IAM at iam.*.myhuaweicloud.com). Tests point them at fakes on 127.0.0.1;
should one forget, the connection is refused here, before any packet leaves, and the test
fails even if the code under test took the refusal in its stride. Processes a test starts
get safe addresses instead (tests/processes.py `SAFE`).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

FORBIDDEN_PREFIXES = ("169.254.",)  # link-local: metadata services (ECS's, CCE agents')
FORBIDDEN_SUFFIXES = (".myhuaweicloud.com", ".huaweicloud.com", ".myhwclouds.com")
attempts: list[str] = []


def forbidden(host: object) -> bool:
    """Whether a test may not connect to (or resolve) `host`."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    host = host.lower().rstrip(".")
    return host.startswith(FORBIDDEN_PREFIXES) or host.endswith(FORBIDDEN_SUFFIXES)


def _refuse(host: object) -> None:
    attempts.append(host.decode("ascii", "replace") if isinstance(host, bytes) else str(host))
    raise PermissionError(f"a test tried to reach {host}: use a fake on 127.0.0.1")


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_getaddrinfo = socket.getaddrinfo


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if isinstance(address, tuple) and forbidden(address[0]):
        _refuse(address[0])
    _connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if isinstance(address, tuple) and forbidden(address[0]):
        _refuse(address[0])
    return _connect_ex(self, address)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if forbidden(host):
        _refuse(host)
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = _guarded_connect  # type: ignore[method-assign,assignment]  # the guard
socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign,assignment]  # the guard
socket.getaddrinfo = _guarded_getaddrinfo


@pytest.fixture(autouse=True)
def no_real_cloud() -> Iterator[None]:
    """Fail any test that tried to reach a real metadata service or Huawei Cloud host."""
    attempts.clear()
    yield
    tried, attempts[:] = list(attempts), []
    assert not tried, f"tests may not reach {tried}: point the setting at a fake on 127.0.0.1"
