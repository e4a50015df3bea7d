"""The container and the package agree on what they ship."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import bot

ROOT = Path(__file__).resolve().parent.parent


def test_versions_agree_between_package_pyproject_and_dockerfile() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    pinned = re.search(r"backupbot==([0-9.]+)", dockerfile)
    assert pinned is not None
    assert project["version"] == bot.__version__ == pinned[1]


def test_the_image_runs_socket_mode_as_a_non_root_user_with_a_healthcheck() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r'^CMD \["socket"\]$', dockerfile, re.M)
    assert re.search(r"^USER 10001", dockerfile, re.M)
    assert "HEALTHCHECK" in dockerfile
    assert "/healthz" in dockerfile
    assert "--no-index" in dockerfile, "no network at run time: wheels built in the first stage"


def test_the_build_context_leaves_out_what_the_image_does_not_need() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", "tests", "bench"):
        assert entry in ignored
