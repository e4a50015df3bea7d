"""The lock files pin the whole dependency tree, with hashes, and agree with pyproject.toml.

`./run demo` installs requirements.lock, `./run tests` requirements-test.lock, the image
requirements.lock again; each with --require-hashes, so a dependency missing from a lock
would fail an install somewhere. These tests fail first, here.
"""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = [Requirement(text) for text in PROJECT["dependencies"]]
TEST = [Requirement(text) for text in PROJECT["optional-dependencies"]["test"]]
LOCKS = {"requirements.lock": RUNTIME, "requirements-test.lock": RUNTIME + TEST}


@dataclass(frozen=True)
class Pin:
    """One locked package: name==version, where it applies, and its files' hashes."""

    name: str
    version: Version
    marker: Marker | None
    hashes: frozenset[str]


def read_lock(name: str) -> dict[str, Pin]:
    """Pins by canonical name; any line that is neither a pin nor a comment fails."""
    text = (ROOT / name).read_text()
    pins: dict[str, Pin] = {}
    for entry in re.split(r"\n(?=\S)", text.replace("\\\n", " ")):
        line = entry.split("\n")[0].strip()
        if not line or line.startswith("#"):
            continue
        requirement_text, *options = re.split(r"\s+(?=--)", line)
        requirement = Requirement(requirement_text)
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", line
        for option in options:
            assert option.startswith("--hash=sha256:"), f"{name}: unexpected option {option}"
        pin = Pin(
            canonicalize_name(requirement.name),
            Version(specifier.version),
            requirement.marker,
            frozenset(option.removeprefix("--hash=") for option in options),
        )
        pins[pin.name] = pin
    return pins


def applies(pin: Pin) -> bool:
    return pin.marker is None or pin.marker.evaluate()


@pytest.mark.parametrize("lock", LOCKS)
def test_the_lock_pins_every_dependency_of_pyproject_at_a_version_it_allows(lock: str) -> None:
    pins = read_lock(lock)
    for requirement in LOCKS[lock]:
        pin = pins.get(canonicalize_name(requirement.name))
        assert pin is not None, f"{requirement.name} is not in {lock}: run ./run lock"
        assert requirement.specifier.contains(pin.version, prereleases=True), (
            f"{lock} pins {pin.name}=={pin.version}, pyproject.toml asks {requirement}"
        )


@pytest.mark.parametrize("lock", LOCKS)
def test_every_pin_carries_hashes_and_the_lock_names_no_index(lock: str) -> None:
    text = (ROOT / lock).read_text()
    assert "./run lock" in text.splitlines()[1], "the header says how to refresh it"
    assert "://" not in text, "no index address: the lock is the same on every machine"
    pins = read_lock(lock)
    assert len(pins) > len(LOCKS[lock])
    for pin in pins.values():
        assert pin.hashes, f"{pin.name} has no hash"


@pytest.mark.parametrize("lock", LOCKS)
def test_the_lock_is_closed_every_dependency_of_a_pin_is_pinned_too(lock: str) -> None:
    """Read from the metadata of what is installed (from the test lock, by ./run tests)."""
    pins = read_lock(lock)
    # An extra asked for in pyproject.toml brings more, e.g. psycopg[binary] psycopg-binary.
    extras: dict[str, set[str]] = {
        canonicalize_name(r.name): set(r.extras) for r in LOCKS[lock] if r.extras
    }
    for pin in filter(applies, pins.values()):
        wanted = {""} | extras.get(pin.name, set())
        for text in importlib.metadata.requires(pin.name) or []:
            needed = Requirement(text)
            marker = needed.marker
            if marker is not None and not any(marker.evaluate({"extra": e}) for e in wanted):
                continue
            assert canonicalize_name(needed.name) in pins, f"{pin.name} needs {needed.name}"


def test_the_test_lock_pins_what_the_runtime_lock_does_identically() -> None:
    runtime, test = read_lock("requirements.lock"), read_lock("requirements-test.lock")
    for name, pin in runtime.items():
        assert test[name] == pin, f"{name} differs between the locks: run ./run lock"


def test_the_readme_commands_install_from_the_locks_with_hashes() -> None:
    run = (ROOT / "run").read_text()
    assert '--require-hashes -r "$1"' in run
    assert "--no-deps -e ." in run
    assert re.search(r"demo\)\s+install requirements\.lock\n", run)
    assert re.search(r"tests\)\s+install requirements-test\.lock\n", run)
    assert "./run tests" in (ROOT / ".ci" / "run").read_text()
