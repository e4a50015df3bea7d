"""Named cloud accounts from a TOML file; mistakes name the file and profile, never a secret."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from bot.app.engines import cloud_settings
from bot.app.logs import configure_logging
from bot.config import Settings
from bot.errors import ConfigError
from bot.huawei.auth import AccessKeys, IamToken
from bot.huawei.credentials import FixedSource
from bot.huawei.profiles import load_profiles

PROJECT = "0123456789abcdef0123456789abcdef"
GOOD = f"""
default = "prod"

[profiles.prod]
project_id = "{PROJECT}"
region = "cn-north-4"
access_key = "AKPROD"
secret_key = "sk-prod-very-secret"

[profiles.prod-ap]
project_id = "{PROJECT}"
region = "ap-southeast-1"
auth_token = "token-ap-very-secret"

[profiles.lab]
project_id = "{PROJECT}"
endpoint = "http://127.0.0.1:8700"
access_key = "AKLAB"
secret_key = "sk-lab"
security_token = "sts-lab"
"""


def settings_for(path: Path) -> Settings:
    return Settings(BACKUPBOT_PROFILES_FILE=str(path))


def test_profiles_are_read_with_their_endpoints_and_credentials(tmp_path: Path) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text(GOOD)
    profiles = load_profiles(cloud_settings(settings_for(path)))
    assert profiles.default == "prod"
    assert set(profiles.by_name) == {"prod", "prod-ap", "lab"}
    assert profiles.by_name["prod-ap"].endpoint.startswith("https://gaussdbformysql.ap-southeast-1")
    assert profiles.by_name["lab"].endpoint == "http://127.0.0.1:8700"
    prod_ap = profiles.by_name["prod-ap"].credentials
    assert isinstance(prod_ap, FixedSource)
    assert isinstance(prod_ap.credentials, IamToken)
    lab_source = profiles.by_name["lab"].credentials
    assert isinstance(lab_source, FixedSource)
    lab = lab_source.credentials
    assert isinstance(lab, AccessKeys)
    assert lab.security_token is not None
    assert "sk-prod-very-secret" not in repr(profiles)


def test_every_profile_secret_is_redacted_from_logs(tmp_path: Path) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text(GOOD)
    secrets = load_profiles(cloud_settings(settings_for(path))).secrets
    for secret in ("sk-prod-very-secret", "token-ap-very-secret", "sts-lab", "AKPROD"):
        assert secret in secrets


def test_logging_redacts_the_secrets_of_the_profiles_it_is_handed(tmp_path: Path) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text(GOOD)
    settings = settings_for(path)
    buffer = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        configure_logging(
            settings, secrets=load_profiles(cloud_settings(settings)).secrets, stream=buffer
        )
        logging.getLogger("test").warning("keys: sk-prod-very-secret token-ap-very-secret")
    finally:
        root.handlers, root.level = saved
    assert "very-secret" not in buffer.getvalue()
    assert buffer.getvalue().count("[redacted]") == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[profiles]\n", "names no profiles"),
        ('[profiles.x]\nproject_id = "short"\n', "project_id must be 32 letters or digits"),
        (f'[profiles.x]\nproject_id = "{PROJECT}"\nregion = "cn-north-4"\naccess_key = "AK"\n',
         "half a key pair"),
        (f'[profiles.x]\nproject_id = "{PROJECT}"\nregion = "cn-north-4"\n'
         'credentials = "magic"\n', "either keys or a credentials source"),
        (f'[profiles.x]\nproject_id = "{PROJECT}"\nregion = "cn-north-4"\n'
         'credentials = "metadata"\nsecret_key = "leaky-secret"\n',
         "either keys or a credentials source"),
        (f'[profiles.x]\nproject_id = "{PROJECT}"\nregion = "mars-1"\nauth_token = "t"\n',
         "mars-1"),
        (f'[profiles."Bad Name"]\nproject_id = "{PROJECT}"\nauth_token = "t"\n'
         'region = "cn-north-4"\n', "not a profile name"),
        (f'default = "nope"\n[profiles.x]\nproject_id = "{PROJECT}"\nauth_token = "t"\n'
         'region = "cn-north-4"\n', "default profile 'nope'"),
        ('[profiles.x]\nproject_id = "x"\nsecret_key = "leaky-secret"\npassword = 1\n',
         "profiles.x"),
        ("not toml [", "cannot be read"),
    ],
)  # fmt: skip
def test_profile_file_mistakes_are_one_clear_line(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text(content)
    with pytest.raises(ConfigError) as caught:
        load_profiles(cloud_settings(settings_for(path)))
    assert message in caught.value.said
    assert "leaky-secret" not in str(caught.value)


def test_a_missing_profiles_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_profiles(cloud_settings(settings_for(tmp_path / "nope.toml")))
