"""Operating backupbot: a log line per command, no secret ever logged, /metrics."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest

from bot.app.logs import configure_logging, secrets_of
from bot.huawei.simulator import SimulatorState
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET
from tests.slack.conftest import Harness, slack_settings


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Logs as production writes them (JSON, redacted), into a buffer."""
    buffer = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    settings = slack_settings(
        "http://127.0.0.1:9", "unused.sqlite3",
        CLOUD_SDK_AK="AKSECRETVALUE123", CLOUD_SDK_SK="sk-very-secret-value-456",
        HUAWEICLOUD_AUTH_TOKEN="iam-token-secret-789",
    )  # fmt: skip
    configure_logging(settings, stream=buffer)
    yield buffer
    root.handlers, root.level = saved


def command_lines(buffer: io.StringIO) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]
    return [line for line in lines if line.get("event") == "command"]


async def test_every_command_logs_one_json_line_with_what_happened(
    harness: Harness, captured: io.StringIO, state: SimulatorState
) -> None:
    await harness.command("orders-prod last 7d failed")
    harness.slack.wait_for_method("response_url")
    await harness.command("orders-prod faild")
    harness.slack.wait_for_method("response_url", 2)
    await harness.idle()
    first, second = command_lines(captured)
    assert first["kind"] == "command"
    assert first["user"] == "U0ASKER"
    assert first["channel"] == "C0INCIDENT"
    assert first["query"] == "orders-prod last 7d failed"
    assert first["results"] == 1
    assert first["cache_hit"] is False
    # health's 14 days (the week asked is cut from them), the instance listing,
    # orders-prod's policy and its restorable ranges
    assert first["upstream_requests"] == state.request_count == 4
    assert isinstance(first["latency_ms"], float)
    assert (first["outcome"], first["error_code"]) == ("ok", None)
    assert (second["outcome"], second["error_code"]) == ("user_error", "QueryError")


async def test_no_secret_ever_reaches_the_logs(
    harness: Harness, captured: io.StringIO, state: SimulatorState
) -> None:
    state.credentials.clear()  # an API error, logged with everything it carries
    await harness.command("orders-prod")
    harness.slack.wait_for_method("response_url")
    logging.getLogger("test").error("leak attempt: %s %s", BOT_TOKEN, SIGNING_SECRET)
    try:
        raise RuntimeError(f"boom with {BOT_TOKEN}")
    except RuntimeError:
        logging.getLogger("test").exception("a traceback quoting a secret")
    await harness.idle()
    text = captured.getvalue()
    settings = slack_settings(
        "http://x", "unused.sqlite3", CLOUD_SDK_AK="AKSECRETVALUE123",
        CLOUD_SDK_SK="sk-very-secret-value-456", HUAWEICLOUD_AUTH_TOKEN="iam-token-secret-789",
    )  # fmt: skip
    for secret in secrets_of(settings):
        assert secret not in text
    assert "[redacted]" in text
    assert "upstream_error" in text


async def test_metrics_count_commands_requests_and_cache(harness: Harness) -> None:
    await harness.command("payments-prod last 3d")
    harness.slack.wait_for_method("response_url")
    await harness.command("payments-prod last 3d")
    harness.slack.wait_for_method("response_url", 2)
    await harness.idle()
    response = await harness.client.get(f"{harness.server.url}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    body = response.text
    assert 'backupbot_commands_total{kind="command",outcome="ok"} 2.0' in body
    # health's 14 days (the 3 days asked are cut from them: one read, asked for by the
    # question and joined by health), the instance listing and payments-prod's policy;
    # then all from the caches
    # the backups, the listing, a policy and the restorable ranges of the instance asked
    assert 'backupbot_upstream_requests_total{status="200"} 4.0' in body
    assert re.search(r'backupbot_upstream_request_seconds_count\{status="200"\} 4\.0', body)
    assert "backupbot_cache_hits_total 3.0" in body
    assert "backupbot_cache_misses_total 1.0" in body
    assert "backupbot_digests_total" in body or "backupbot_digests" in body
    assert "backupbot_slack_api_errors" in body
