"""Logs never hold a key, a secret, a security token, a metadata or pod token, an id token
or IAM's token, whatever happens to credentials: fetched, refreshed, refused, failed."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from bot.app.engines import cloud_settings
from bot.app.logs import RedactSecrets, configure_logging
from bot.core.params import ListBackupsParams
from bot.errors import CredentialsUnavailable
from bot.huawei.credentials import Refresher, source_of
from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.server import IdentityServer, SimulatorServer
from tests.conftest import SettableClock
from tests.huawei.identity import api_over, oidc, pod_identity, settings_for


@pytest.fixture
def logs(identity: IdentityServer, tmp_path: Path) -> Iterator[io.StringIO]:
    """Every log line, as production writes them (JSON, INFO and up), and nothing redacted
    that the code did not learn itself."""
    buffer = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    configure_logging(settings_for(identity, tmp_path), stream=buffer)
    yield buffer
    root.handlers, root.level = saved


def secrets_of(cloud: SimulatorState) -> list[str]:
    """Every secret value the fakes handed out or accepted."""
    found = [cloud.identity.pod_token, cloud.identity.id_token]
    found.extend(cloud.issuer.metadata_tokens)
    found.extend(cloud.issuer.subject_tokens)
    for issued in cloud.issuer.issued:
        found.extend([issued.access, issued.secret, issued.security_token])
    return found


async def test_no_credential_secret_is_ever_logged(
    logs: io.StringIO, identity: IdentityServer, gateway: SimulatorServer,
    cloud: SimulatorState, clock: SettableClock, tmp_path: Path,
) -> None:  # fmt: skip
    settings = settings_for(
        identity, tmp_path, **oidc(cloud, tmp_path),
        **pod_identity(identity, tmp_path, cloud.identity.pod_token),
    )  # fmt: skip
    async with httpx.AsyncClient() as http:
        for kind in ("metadata", "pod-identity", "oidc"):
            refresher = Refresher(
                source_of(kind, cloud_settings(settings).credentials, region=None, clock=clock),
                http=http,
                clock=clock,
            )
            api = api_over(refresher, gateway.url, http, clock)
            await api.list_page(ListBackupsParams(limit=1))
            cloud.issuer.revoked.add(cloud.issuer.issued[-1].access)  # a 401, then a retry
            await api.list_page(ListBackupsParams(limit=1))
            cloud.identity.down = True
            clock.advance((cloud.issuer.lifetime + timedelta(seconds=1)).total_seconds())
            with pytest.raises(CredentialsUnavailable):
                await api.list_page(ListBackupsParams(limit=1))
            cloud.identity.down = False
    written = logs.getvalue()
    assert "cloud credentials refreshed from" in written
    assert "cloud credentials not refreshed" in written
    assert cloud.issuer.count() == 6
    leaked = [secret for secret in secrets_of(cloud) if secret in written]
    assert leaked == []


def test_secrets_learned_after_start_are_redacted_too() -> None:
    redact = RedactSecrets(["configured-secret"])
    redact.learn(["fetched-later-secret", "abc"])  # too short to redact safely: ignored
    record = logging.LogRecord(
        "t", logging.INFO, "", 0, "%s and %s", ("configured-secret", "fetched-later-secret"), None
    )
    redact.filter(record)
    assert record.getMessage() == "[redacted] and [redacted]"
