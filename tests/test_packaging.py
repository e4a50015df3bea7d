"""The container is what README says: entry point, user, state, health check, locked install.

There is no Docker engine here, so the Dockerfile is read, instruction by instruction, and
its health check is run for real against `backupbot serve`.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shlex
import subprocess
import sys
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

import bot
from bot.cli import build_parser
from bot.support.serving import ServerThread, free_port
from tests.fakes.slack import FakeSlack, create_fake_slack

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction, its continuation lines joined, in build stage `stage`."""

    keyword: str
    arguments: str
    stage: int

    def exec_form(self) -> list[str]:
        """The JSON array of CMD, ENTRYPOINT or HEALTHCHECK ... CMD."""
        array = self.arguments[self.arguments.index("[") :]
        parsed: list[str] = json.loads(array)
        return parsed


def dockerfile() -> list[Instruction]:
    """The instructions of ./Dockerfile (comments dropped, as Docker does)."""
    instructions: list[Instruction] = []
    stage = -1
    pending = ""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pending += line.strip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        keyword, _, arguments = pending.partition(" ")
        if keyword.upper() == "FROM":
            stage += 1
        instructions.append(Instruction(keyword.upper(), arguments.strip(), stage))
        pending = ""
    return instructions


def final_stage(keyword: str) -> list[Instruction]:
    """The final stage's instructions of one kind: what the image is."""
    everything = dockerfile()
    last = everything[-1].stage
    return [i for i in everything if i.stage == last and i.keyword == keyword]


def only(keyword: str) -> Instruction:
    """The final stage's one instruction of this kind."""
    found = final_stage(keyword)
    assert len(found) == 1, f"the image should have one {keyword}, not {len(found)}"
    return found[0]


def image_user() -> tuple[int, int]:
    """The uid and gid the image runs as (USER uid:gid)."""
    uid, _, gid = only("USER").arguments.partition(":")
    return int(uid), int(gid)


def test_versions_agree_between_package_pyproject_and_dockerfile() -> None:
    runs = " ".join(i.arguments for i in final_stage("RUN"))
    pinned = re.search(r"backupbot==([0-9.]+)", runs)
    assert pinned is not None
    assert PYPROJECT["project"]["version"] == bot.__version__ == pinned[1]


def test_the_entry_point_is_the_backupbot_command_and_the_default_is_socket_mode() -> None:
    assert only("ENTRYPOINT").exec_form() == ["backupbot"]
    assert PYPROJECT["project"]["scripts"]["backupbot"] == "bot.cli:main"
    default = build_parser().parse_args(only("CMD").exec_form())
    assert default.command == "socket"


def test_the_image_runs_as_the_non_root_user_that_owns_the_state_volume() -> None:
    uid, gid = image_user()
    assert 0 not in (uid, gid)
    setup = " ".join(i.arguments for i in final_stage("RUN"))
    assert f"--uid {uid}" in setup
    assert f"chown {uid}:{gid} /data" in setup
    assert only("VOLUME").exec_form() == ["/data"]
    env = dict(pair.split("=", 1) for pair in shlex.split(only("ENV").arguments))
    assert PurePosixPath(env["BACKUPBOT_STATE"]).parent == PurePosixPath("/data")


def healthcheck() -> tuple[list[str], int]:
    """The HEALTHCHECK's command and the port it asks."""
    command = only("HEALTHCHECK").exec_form()
    port = re.search(r"http://127\.0\.0\.1:(\d+)/healthz", " ".join(command))
    assert port is not None, "the health check asks /healthz on the local port"
    return command, int(port[1])


def test_the_healthcheck_asks_the_port_both_modes_serve_healthz_on() -> None:
    _, port = healthcheck()
    assert only("EXPOSE").arguments == str(port)
    for mode in ("serve", "socket"):
        assert build_parser().parse_args([mode]).port == port


def wait_for_line(stream: IO[str], text: str) -> None:
    """Block until the process prints `text` (or ends, or a minute passes)."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)
        lines.put("")

    threading.Thread(target=pump, daemon=True).start()
    while True:
        line = lines.get(timeout=60)
        assert line, f"the process ended before printing {text!r}"
        if text in line:
            return


def test_the_healthcheck_command_passes_on_a_live_bot_and_fails_without_one(
    tmp_path: Path,
) -> None:
    command, image_port = healthcheck()
    port = free_port()
    local = [part.replace(f":{image_port}/", f":{port}/") for part in command]
    local[0] = sys.executable  # the image's `python`
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CLOUD_SDK_", "HUAWEICLOUD_", "GAUSSDB_", "BACKUPBOT_", "SLACK_"))
    }
    with ServerThread(create_fake_slack(FakeSlack())) as slack:
        environment.update(
            {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s" * 32,
             "SLACK_API_URL": f"{slack.url}/api/",
             "BACKUPBOT_STATE": str(tmp_path / "state.sqlite3")}
        )  # fmt: skip
        server = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--simulator", "--host", "127.0.0.1",
             "--port", str(port)],
            env=environment, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        assert server.stdout is not None
        try:
            # Printed once the port is bound and the bot started: the health check may ask.
            wait_for_line(server.stdout, "backupbot listening on")
            healthy = subprocess.run(local, capture_output=True, timeout=30, check=False)
        finally:
            server.terminate()
            server.wait(30)
    unhealthy = subprocess.run(local, capture_output=True, timeout=30, check=False)
    assert healthy.returncode == 0, healthy.stderr
    assert unhealthy.returncode != 0


def test_dependencies_come_from_the_lock_checked_against_its_hashes() -> None:
    everything = dockerfile()
    build = " ".join(i.arguments for i in everything if i.stage == 0 and i.keyword == "RUN")
    assert "pip download" in build
    for flag in ("--require-hashes", "--only-binary=:all:", "-r requirements.lock"):
        assert flag in build
    install = " ".join(i.arguments for i in final_stage("RUN") if "pip install" in i.arguments)
    assert "--no-index" in install, "no network at install time: wheels come from the first stage"
    assert "--require-hashes -r /wheels/requirements.lock" in install
    assert f"--no-deps backupbot=={bot.__version__}" in install


def test_the_build_context_keeps_what_the_build_copies_and_leaves_out_the_rest() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", "tests", "bench"):
        assert entry in ignored
    for copy in (i for i in dockerfile() if i.keyword == "COPY" and "--from" not in i.arguments):
        for source in copy.arguments.split()[:-1]:
            assert (ROOT / source).exists(), source
            assert source.rstrip("/").split("/")[0] not in ignored, source
