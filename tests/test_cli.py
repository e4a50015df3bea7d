"""The command line answers, and bad input gets a line and a hint, never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.core.clock import utc_now
from bot.huawei.simulator import (
    SIMULATOR_ACCESS_KEY,
    SIMULATOR_PROJECT_ID,
    SIMULATOR_SECRET_KEY,
    Fleet,
    SimulatorState,
)
from bot.huawei.simulator.server import SimulatorServer
from bot.support.serving import ServerThread, free_port
from tests.conftest import inventory_requests, listing_requests
from tests.fakes.blockkit import assert_valid_blocks
from tests.fakes.slack import Failure, FakeSlack, create_fake_slack
from tests.processes import environment


def simulator_env(url: str) -> dict[str, str]:
    """The environment that points backupbot at a simulator at `url`, with its keys."""
    return {
        "GAUSSDB_ENDPOINT": url,
        "HUAWEICLOUD_PROJECT_ID": SIMULATOR_PROJECT_ID,
        "CLOUD_SDK_AK": SIMULATOR_ACCESS_KEY,
        "CLOUD_SDK_SK": SIMULATOR_SECRET_KEY,
    }


def run_cli(
    *args: str, env: dict[str, str] | None = None, stdin: str = "", timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot` as a user would, with a clean configuration."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        input=stdin,
        text=True,
        env=environment(**(env or {})),
        timeout=timeout,
        check=False,
    )


def test_demo_once_prints_one_answer_rendered_from_block_kit() -> None:
    result = run_cli("demo", "--once", "orders-prod last 7d failed")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Backups: orders-prod last 7d failed")
    assert "● FAILED TaurusDB-orders-prod-" in out
    assert "simulated data from the built-in TaurusDB simulator" in out
    assert "[r] Refresh" in out
    assert "\x1b[" not in out, "no colours when not writing to a terminal"


def test_demo_once_with_a_mistake_explains_it() -> None:
    result = run_cli("demo", "--once", "orders-prod faild")
    assert result.returncode == 0
    assert "⚠ unknown word 'faild'" in result.stdout
    assert "did you mean 'failed'?" in result.stdout


def test_the_interactive_demo_pages_opens_details_and_quits() -> None:
    script = "last 30d\nn\n3\nb\nq\n"
    result = run_cli("demo", stdin=script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Four questions worth trying" in out
    assert "page 1 of" in out
    assert "page 2 of" in out
    assert "begin_time:" in out, "the third backup's full record"
    assert out.count("Backups: last 30d") == 3, "first page, second page, back to the list"


def test_the_demo_takes_a_backup_once_confirmed_and_follows_it_to_its_end() -> None:
    """`backup orders-prod` in the demo: what would be done, a y/N; "n" sends nothing, "y"
    takes it on the in-process simulator and prints its progress until it completes (the
    demo's backups take half a simulated minute, in real time: this test waits for it)."""
    script = 'backup orders-prod "before the fix"\nn\nbackup orders-prod\ny\nq\n'
    result = run_cli("demo", stdin=script, timeout=180)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("Take a backup of orders-prod now?") == 2
    assert "Description: before the fix" in out
    assert "Take this backup now? [y/N]" in out
    assert "not taken: nothing was sent" in out
    assert out.count(" of orders-prod started (job ") == 1
    assert "running: " in out
    assert re.search(r"Backup of orders-prod completed in 1 min, [0-9.]+ GB", out), out[-800:]
    assert "Traceback" not in result.stderr


def test_render_prints_block_kit_json_that_slack_accepts() -> None:
    result = run_cli("render", "--simulator", "failed last 30d")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["text"].startswith("last 30d failed")
    assert_valid_blocks(payload["blocks"])
    blocks_only = json.loads(run_cli("render", "--blocks-only", "--simulator", "today").stdout)
    assert set(blocks_only) == {"blocks"}


def test_render_has_no_json_flag_that_does_nothing() -> None:
    result = run_cli("render", "--json", "help")
    assert result.returncode == 2
    assert "unrecognized arguments: --json" in result.stderr
    assert "--json" not in run_cli("render", "--help").stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [("HUAWEICLOUD_PROJECT_ID", "nope"), ("BACKUPBOT_PAGE_CONCURRENCY", "-3")],
)
def test_malformed_configuration_is_one_clear_line(variable: str, value: str) -> None:
    result = run_cli("demo", env={variable: value})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"backupbot: {variable}")
    assert "hint:" in result.stderr


def test_unknown_command_gets_usage_not_a_traceback() -> None:
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "usage: backupbot" in result.stderr


def test_query_on_the_simulator_prints_each_backup_by_name() -> None:
    result = run_cli("query", "--simulator", "orders-prod", "last", "7d", "failed")
    assert result.returncode == 0, result.stderr
    assert "Backups: orders-prod last 7d failed" in result.stdout
    assert "FAILED" in result.stdout
    assert "TaurusDB-orders-prod-" in result.stdout
    assert "page 1 of 1" in result.stdout
    assert "as of" in result.stdout


def test_query_with_a_typo_explains_and_suggests() -> None:
    result = run_cli("query", "--simulator", "orders-prod", "faild")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "backupbot: unknown word 'faild'"
    assert "did you mean 'failed'?" in result.stderr
    assert "Traceback" not in result.stderr


def test_query_for_an_unknown_instance_names_near_ones() -> None:
    result = run_cli("query", "--simulator", "ordrs-prod")
    assert result.returncode == 2
    assert "no instance named ordrs-prod" in result.stderr
    assert "orders-prod" in result.stderr


def test_query_with_an_unknown_time_zone_is_a_clear_error() -> None:
    result = run_cli("query", "--simulator", "today", "--tz", "Mars/Olympus")
    assert result.returncode == 2
    assert "unknown time zone 'Mars/Olympus'" in result.stderr
    assert "Traceback" not in result.stderr


def test_query_without_configuration_says_what_to_set() -> None:
    result = run_cli("query", "orders-prod")
    assert result.returncode == 2
    assert "HUAWEICLOUD_PROJECT_ID is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_query_against_a_configured_endpoint_uses_the_real_client() -> None:
    state = SimulatorState(fleet=Fleet.demo(utc_now()))
    with SimulatorServer(state) as server:
        result = run_cli(
            "query",
            "payments-prod",
            "last",
            "3d",
            env={
                **simulator_env(server.url),
            },
        )
    assert result.returncode == 0, result.stderr
    assert "TaurusDB-payments-prod-" in result.stdout
    assert listing_requests(state) == 1, "health's 14 days, and the 3 days asked cut from them"
    assert inventory_requests(state) == 2, "the instance listing, and payments-prod's policy"
    assert SIMULATOR_SECRET_KEY not in result.stdout + result.stderr


def test_a_page_past_the_last_is_the_last_page_read_with_one_request() -> None:
    state = SimulatorState(fleet=Fleet.demo(utc_now()))
    with SimulatorServer(state) as server:
        result = run_cli(
            "query",
            "--page",
            "100000",
            "orders-prod",
            env={
                **simulator_env(server.url),
            },
        )
    assert result.returncode == 0, result.stderr
    shown = re.search(r"page (\d+) of (\d+)", result.stdout)
    assert shown is not None
    assert shown[1] == shown[2], "the last page"
    assert "TaurusDB-orders-prod-" in result.stdout
    # orders-prod's 14 days for health, the week cut from them: one request, however far
    # past the end the page asked is
    assert listing_requests(state) == 1


def test_query_help_shows_the_language_without_any_configuration() -> None:
    result = run_cli("query", "help")
    assert result.returncode == 0
    assert "[TARGET ...] [WINDOW] [FILTER ...]" in result.stdout
    assert "orders-prod last 7d failed" in result.stdout


def test_check_reports_a_bad_key_pair_as_a_clear_sentence(tmp_path: Path) -> None:
    state = SimulatorState(fleet=Fleet.demo(utc_now()))
    with SimulatorServer(state) as server:
        result = run_cli(
            "check",
            env={
                "GAUSSDB_ENDPOINT": server.url,
                "HUAWEICLOUD_PROJECT_ID": SIMULATOR_PROJECT_ID,
                "CLOUD_SDK_AK": SIMULATOR_ACCESS_KEY,
                "CLOUD_SDK_SK": "not-the-right-secret",
                "BACKUPBOT_STATE": str(tmp_path / "state.sqlite3"),
            },
        )
    assert result.returncode == 1
    credentials, line = result.stdout.splitlines()[:2]
    assert (
        credentials
        == "✔ cloud credentials: from the environment (CLOUD_SDK_AK); they do not expire"
    )
    assert line.startswith(
        "✖ TaurusDB API: The TaurusDB API refused the request (HTTP 401, APIGW.0301"
    )
    assert "The access key, secret key or token was refused" in line
    assert "not-the-right-secret" not in result.stdout
    assert state.request_count == 1, "one cheap request, and no retry of a refused signature"


def test_check_passes_when_everything_answers(tmp_path: Path) -> None:
    fake = FakeSlack()
    with (
        SimulatorServer(SimulatorState(fleet=Fleet.demo(utc_now()))) as server,
        ServerThread(create_fake_slack(fake)) as slack,
    ):
        result = run_cli(
            "check",
            env={
                **simulator_env(server.url),
                "SLACK_BOT_TOKEN": "xoxb-test",
                "SLACK_APP_TOKEN": "xapp-1-test",
                "SLACK_API_URL": f"{slack.url}/api/",
                "BACKUPBOT_STATE": str(tmp_path / "state.sqlite3"),
            },
        )
    assert result.returncode == 0, result.stdout
    assert "✔ TaurusDB API: answered" in result.stdout
    assert "✔ Slack: connected to Acme as @" in result.stdout
    assert "✔ Slack modes: Socket Mode" in result.stdout
    assert fake.calls_to("auth.test")


def test_demo_in_slack_without_tokens_says_which_to_set() -> None:
    result = run_cli("demo", "--slack", env={"SLACK_BOT_TOKEN": "xoxb-test"})
    assert result.returncode == 2
    assert "SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP)" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_with_a_refused_bot_token_is_one_clear_line(tmp_path: Path) -> None:
    fake = FakeSlack()
    fake.failures.append(Failure("auth.test", error="invalid_auth"))
    with ServerThread(create_fake_slack(fake)) as slack:
        result = run_cli(
            "serve", "--simulator", "--host", "127.0.0.1", "--port", str(free_port()),
            env={
                "SLACK_BOT_TOKEN": "xoxb-revoked", "SLACK_SIGNING_SECRET": "s" * 32,
                "SLACK_API_URL": f"{slack.url}/api/",
                "BACKUPBOT_STATE": str(tmp_path / "state.sqlite3"),
            },
        )  # fmt: skip
    assert result.returncode == 2
    assert "backupbot: Slack refused the bot token (invalid_auth)" in result.stderr
    assert "Traceback" not in result.stderr
    assert "xoxb-revoked" not in result.stderr + result.stdout


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *, starts: str) -> None:
    """Exit 2, and on stderr the message and its hint: no traceback, no asyncio complaint."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "Unclosed" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("backupbot")]
    assert len(lines) == 1
    assert lines[0].startswith(starts), lines[0]
    assert "hint:" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "command"),
    [
        ("GAUSSDB_ENDPOINT", "http://127.0.0.1:99999", "query"),
        ("GAUSSDB_ENDPOINT", "http://[::1", "query"),
        ("SLACK_API_URL", "http://user:hunter2@127.0.0.1:9/api/", "check"),
        ("CLOUD_SDK_AK", SIMULATOR_ACCESS_KEY[:8] + "\n" + SIMULATOR_ACCESS_KEY[8:], "query"),
        ("CLOUD_SDK_AK", SIMULATOR_ACCESS_KEY[:8] + "\n" + SIMULATOR_ACCESS_KEY[8:], "check"),
    ],
    ids=["port-out-of-range", "broken-ipv6", "credentials-in-url", "newline-in-key",
         "newline-in-key-check"],
)  # fmt: skip
def test_a_bad_url_or_key_is_one_line_naming_the_variable(
    tmp_path: Path, variable: str, value: str, command: str
) -> None:
    state = SimulatorState(fleet=Fleet.demo(utc_now()))
    with SimulatorServer(state) as server:
        env = {
            "GAUSSDB_ENDPOINT": server.url, "HUAWEICLOUD_PROJECT_ID": SIMULATOR_PROJECT_ID,
            "CLOUD_SDK_AK": SIMULATOR_ACCESS_KEY, "CLOUD_SDK_SK": SIMULATOR_SECRET_KEY,
            "SLACK_BOT_TOKEN": "xoxb-test", "BACKUPBOT_STATE": str(tmp_path / "s.sqlite3"),
            variable: value,
        }  # fmt: skip
        result = run_cli(command, *(["orders-prod"] if command == "query" else []), env=env)
    assert_one_clear_line(result, starts=f"backupbot: {variable}")
    assert "hunter2" not in result.stdout + result.stderr
    assert SIMULATOR_SECRET_KEY not in result.stdout + result.stderr
    assert state.request_count == 0, "nothing is sent with a malformed setting"


def serve_env(slack_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-serve-secret", "SLACK_SIGNING_SECRET": "s" * 32,
        "SLACK_API_URL": f"{slack_url}/api/", "BACKUPBOT_STATE": str(tmp_path / "s.sqlite3"),
    }  # fmt: skip


def test_serve_on_a_port_out_of_range_or_taken_says_so(tmp_path: Path) -> None:
    with ServerThread(create_fake_slack(FakeSlack())) as slack:
        env = serve_env(slack.url, tmp_path)
        result = run_cli("serve", "--simulator", "--port", "70000", env=env)
        assert result.returncode == 2
        assert "'70000' is not a port: use a number from 1 to 65535" in result.stderr
        assert "Traceback" not in result.stderr
        taken = slack.url.rsplit(":", 1)[1]
        result = run_cli("serve", "--simulator", "--host", "127.0.0.1", "--port", taken, env=env)
    assert_one_clear_line(result, starts=f"backupbot: cannot listen on 127.0.0.1:{taken}")


async def not_found(request: Request) -> Response:
    return PlainTextResponse("no such page", status_code=404)


def test_serve_against_something_that_is_not_slack_is_one_clear_line(tmp_path: Path) -> None:
    elsewhere = Starlette(routes=[Route("/{path:path}", not_found, methods=["GET", "POST"])])
    with ServerThread(elsewhere) as server:
        url = server.url
        env = serve_env(url, tmp_path)
        served = run_cli(
            "serve", "--simulator", "--host", "127.0.0.1", "--port", str(free_port()), env=env
        )
        checked = run_cli("check", env=env)
    assert_one_clear_line(served, starts="backupbot: ")
    assert f"{url}/api/ is not Slack's Web API: auth.test answered HTTP 404" in served.stderr
    assert "SLACK_API_URL" in served.stderr
    assert "Traceback" not in checked.stderr
    assert "✖ Slack: " in checked.stdout
    assert "is not Slack's Web API: auth.test answered HTTP 404" in checked.stdout
    for result in (served, checked):
        assert "xoxb-serve-secret" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("channel-name", "'general' is not a Slack id"),
        ("binary", "cannot be read: it is not UTF-8 text (it must be TOML with"),
        ("directory", "cannot be read: Is a directory (it must be TOML with"),
    ],
)
def test_check_fails_on_an_access_file_serve_would_refuse(
    tmp_path: Path, kind: str, expected: str
) -> None:
    access = tmp_path / "access.toml"
    if kind == "channel-name":
        access.write_text('[[allow]]\nchannels = ["general"]\n')
    elif kind == "binary":
        access.write_bytes(b"\x00\xff\xfe\x81 binary")
    else:
        access.mkdir()
    fake = FakeSlack()
    with (
        SimulatorServer(SimulatorState(fleet=Fleet.demo(utc_now()))) as server,
        ServerThread(create_fake_slack(fake)) as slack,
    ):
        env = {
            **serve_env(slack.url, tmp_path), "GAUSSDB_ENDPOINT": server.url,
            "HUAWEICLOUD_PROJECT_ID": SIMULATOR_PROJECT_ID, "CLOUD_SDK_AK": SIMULATOR_ACCESS_KEY,
            "CLOUD_SDK_SK": SIMULATOR_SECRET_KEY, "BACKUPBOT_ACCESS_FILE": str(access),
        }  # fmt: skip
        checked = run_cli("check", env=env)
        served = run_cli(
            "serve", "--simulator", "--host", "127.0.0.1", "--port", str(free_port()), env=env
        )
    assert checked.returncode == 1, checked.stdout
    (line,) = [line for line in checked.stdout.splitlines() if "access rules" in line]
    assert line.startswith("✖ access rules: ")
    assert expected in line
    assert "[Errno" not in line, "the system's words, not Python's"
    assert "codec" not in line
    assert "✔ TaurusDB API" in checked.stdout, "the other checks still ran"
    assert_one_clear_line(served, starts="backupbot: ")
    assert expected.split(" (")[0] in served.stderr, "check and serve agree"


def test_check_passes_a_good_access_file_and_names_it(tmp_path: Path) -> None:
    access = tmp_path / "access.toml"
    access.write_text('[[allow]]\nchannels = ["C0INCIDENT"]\n\n[[allow]]\nusers = ["U0BOSS"]\n')
    with ServerThread(create_fake_slack(FakeSlack())) as slack:
        env = {**serve_env(slack.url, tmp_path), "BACKUPBOT_ACCESS_FILE": str(access)}
        checked = run_cli("check", env=env)
    assert f"✔ access rules: 2 rules in {access}" in checked.stdout


def test_check_fails_on_a_digests_file_serve_would_refuse(tmp_path: Path) -> None:
    digests = tmp_path / "digests.toml"
    digests.write_text('[[digest]]\nchannel = "#general"\n')
    with ServerThread(create_fake_slack(FakeSlack())) as slack:
        env = {**serve_env(slack.url, tmp_path), "BACKUPBOT_DIGESTS_FILE": str(digests)}
        checked = run_cli("check", env=env)
        served = run_cli(
            "serve", "--simulator", "--host", "127.0.0.1", "--port", str(free_port()), env=env
        )
    assert checked.returncode == 1
    assert "✖ digests file: " in checked.stdout
    assert "channel must be a channel id like C0123456789" in checked.stdout
    assert_one_clear_line(served, starts="backupbot: ")
    assert "channel must be a channel id like C0123456789" in served.stderr


def test_check_says_in_words_why_the_api_could_not_be_reached(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    env = {
        **simulator_env(f"http://127.0.0.1:{port}"), "BACKUPBOT_RETRY_ATTEMPTS": "1",
        "BACKUPBOT_STATE": str(tmp_path / "state.sqlite3"),
    }  # fmt: skip
    result = run_cli("check", env=env)
    assert result.returncode == 1
    (line,) = [line for line in result.stdout.splitlines() if "TaurusDB API" in line]
    said = re.match(
        rf"✖ TaurusDB API: Could not reach the TaurusDB API at 127\.0\.0\.1:{port} "
        r"\((?P<why>[^()]*)\)\. Check the network",
        line,
    )
    assert said is not None, line
    assert said["why"] in ("Connection refused", "All connection attempts failed"), line
    assert "()" not in result.stdout
    assert "[Errno" not in result.stdout
