"""The wheel (and so the container) ships the migrations: serve migrates at start."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from bot.schedule.migrate import MIGRATIONS, head

ROOT = Path(__file__).resolve().parent.parent


def test_the_migrations_are_packages_the_wheel_includes() -> None:
    find = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    for package in (MIGRATIONS, MIGRATIONS / "versions"):
        name = ".".join(package.relative_to(ROOT).parts)
        assert any(fnmatch.fnmatch(name, pattern) for pattern in find["find"]["include"])
        assert (package / "__init__.py").is_file(), f"{name} is a package, so it is shipped"
    revisions = sorted(path.name for path in (MIGRATIONS / "versions").glob("0*.py"))
    assert revisions[-1].startswith(head()), "the newest file is head"
