"""`check` and `serve` judge the configuration files alike: what one refuses, the other
refuses in the same words, and what one passes, the other starts with.

Access rules and declared digests may name only profiles that exist: a rule for a
profile nobody configured never matches, and a digest for one can never be sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.core.clock import utc_now
from bot.huawei.simulator import (
    SIMULATOR_ACCESS_KEY,
    SIMULATOR_PROJECT_ID,
    SIMULATOR_SECRET_KEY,
    Fleet,
    SimulatorState,
)
from bot.huawei.simulator.server import SimulatorServer
from bot.support.serving import ServerThread
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, create_fake_slack
from tests.processes import run_backupbot, serve_briefly


@dataclass(frozen=True)
class Place:
    """A simulator, a fake Slack and a directory: where a configuration is tried."""

    api: str
    slack: str
    directory: Path

    def env(self, **files: str) -> dict[str, str]:
        """The environment of a deployment on these, with `files` written and named."""
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": f"{self.slack}/api/", "GAUSSDB_ENDPOINT": self.api,
            "HUAWEICLOUD_PROJECT_ID": SIMULATOR_PROJECT_ID, "CLOUD_SDK_AK": SIMULATOR_ACCESS_KEY,
            "CLOUD_SDK_SK": SIMULATOR_SECRET_KEY,
            "BACKUPBOT_STATE": str(self.directory / "state.sqlite3"),
        }  # fmt: skip
        for variable, content in files.items():
            path = self.directory / f"{variable.lower()}.toml"
            path.write_text(content.replace("{API}", self.api))
            env[variable] = str(path)
        return env


@pytest.fixture
def place(tmp_path: Path) -> Iterator[Place]:
    with (
        SimulatorServer(SimulatorState(fleet=Fleet.demo(utc_now()))) as api,
        ServerThread(create_fake_slack(FakeSlack())) as slack,
    ):
        yield Place(api.url, slack.url, tmp_path)


PROFILES = f"""
[profiles.prod-eu]
project_id = "{SIMULATOR_PROJECT_ID}"
endpoint = "{{API}}"
access_key = "{SIMULATOR_ACCESS_KEY}"
secret_key = "{SIMULATOR_SECRET_KEY}"

[profiles.prod-ap]
project_id = "{SIMULATOR_PROJECT_ID}"
endpoint = "{{API}}"
access_key = "{SIMULATOR_ACCESS_KEY}"
secret_key = "{SIMULATOR_SECRET_KEY}"
"""
RULES = '[[allow]]\nchannels = ["C0INCIDENT"]\n\n[[allow]]\nusers = ["U0DBA"]\nprofiles = {names}\n'
DIGESTS = (
    '[[digest]]\nchannel = "C0123456789"\n\n[[digest]]\nchannel = "C0DIGESTS"\n'
    'targets = "{targets}"\n'
)


@pytest.mark.parametrize(
    ("files", "subject", "problem", "hint"),
    [
        ({"BACKUPBOT_ACCESS_FILE": RULES.format(names='["default", "prod"]')}, "access rules",
         "{BACKUPBOT_ACCESS_FILE}: allow.1.profiles.1: there is no profile @prod",
         "the profiles are @default"),
        ({"BACKUPBOT_DIGESTS_FILE": DIGESTS.format(targets="@prod orders-prod")}, "digests file",
         "{BACKUPBOT_DIGESTS_FILE}, digest 2: there is no profile @prod",
         "the profiles are @default"),
        ({"BACKUPBOT_PROFILES_FILE": PROFILES,
          "BACKUPBOT_ACCESS_FILE": RULES.format(names='["prod-eu", "default"]')}, "access rules",
         "{BACKUPBOT_ACCESS_FILE}: allow.1.profiles.1: there is no profile @default",
         "the profiles are @prod-ap, @prod-eu"),
        ({"BACKUPBOT_PROFILES_FILE": PROFILES,
          "BACKUPBOT_DIGESTS_FILE": DIGESTS.format(targets="@default orders-prod")},
         "digests file",
         "{BACKUPBOT_DIGESTS_FILE}, digest 2: there is no profile @default",
         "the profiles are @prod-ap, @prod-eu"),
    ],
    ids=["rule", "digest", "rule-profiles-file", "digest-profiles-file"],
)  # fmt: skip
def test_check_and_serve_refuse_a_profile_that_does_not_exist_alike(
    place: Place, files: dict[str, str], subject: str, problem: str, hint: str
) -> None:
    env = place.env(**files)
    problem = problem.format(**env)
    checked = run_backupbot("check", env=env)
    ended, served = serve_briefly(env, simulator=False)
    assert checked.returncode == 1, checked.stdout
    assert f"✖ {subject}: {problem} ({hint})" in checked.stdout.splitlines()
    assert ended == 2, served
    said = [line for line in served.splitlines() if not line.startswith("{")]
    assert said == [f"backupbot: {problem}", f"  hint: {hint}"]


@pytest.mark.parametrize(
    "files",
    [
        {"BACKUPBOT_ACCESS_FILE": RULES.format(names='["default"]'),
         "BACKUPBOT_DIGESTS_FILE": DIGESTS.format(targets="@default orders-prod")},
        {"BACKUPBOT_PROFILES_FILE": PROFILES,
         "BACKUPBOT_ACCESS_FILE": RULES.format(names='["prod-ap", "prod-eu"]'),
         "BACKUPBOT_DIGESTS_FILE": DIGESTS.format(targets="@prod-ap orders-prod")},
    ],
    ids=["default", "profiles-file"],
)  # fmt: skip
def test_what_check_passes_serve_starts_with(place: Place, files: dict[str, str]) -> None:
    env = place.env(**files)
    checked = run_backupbot("check", env=env)
    ended, served = serve_briefly(env, simulator=False)
    assert "✔ access rules: 2 rules in" in checked.stdout, checked.stdout
    assert "✔ digests file: 2 digests in" in checked.stdout, checked.stdout
    assert ended is None, served
