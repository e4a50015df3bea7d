"""Secrets that may change under a running process: a fixed value, or a file re-read when
it changes (`SLACK_SIGNING_SECRET_FILE`, `CLOUD_SDK_SK_FILE`, ...).

A Kubernetes Secret mounted as a volume is updated by swapping a symlink to a new
directory, atomically: the path stays, the file it resolves to is another one. `os.stat`
follows the links, so a change shows as another device, inode, mtime or size. The stat is
taken when the secret is used, at most once per `interval` seconds: no thread polls, and
a busy bot pays one system call every few seconds.

A rotated value's predecessor stays `accepted` for a grace period: replicas see the new
file at different moments, and a request signed with the old secret (or a button made
with it) must not be refused meanwhile. A file that cannot be read or holds a bad value
after start is logged (once per change) and the value in use stays.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pydantic import SecretStr

from bot import messages
from bot.errors import ConfigError

log = logging.getLogger("backupbot.secrets")
Stamp = tuple[int, int, int, int]
CHECK_INTERVAL = 2.0  # seconds between two looks at a secret file


class Secret(Protocol):
    """A secret whose value may change: the value to use now, and every value accepted now."""

    def current(self) -> str:
        """The value to use (sign, send) now."""
        ...

    def accepted(self) -> tuple[str, ...]:
        """Every value to accept now: the current one first, then those rotated out less
        than the grace period ago."""
        ...


@dataclass(frozen=True)
class FixedSecret:
    """A secret given as a value (an environment variable): it never changes."""

    value: str

    def current(self) -> str:
        """The value."""
        return self.value

    def accepted(self) -> tuple[str, ...]:
        """Only the value."""
        return (self.value,)


def one_line(text: str) -> str:
    """A secret's text without surrounding blanks (paste noise); ValueError if it holds a
    line break or another control character: keys travel in HTTP headers, where a stray
    line break would only surface later as a network failure after every retry."""
    text = text.strip()
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        raise ValueError(messages.CONTROL_CHARACTER)
    return text


def _ignore(value: str) -> None:
    """The default `on_change`: nobody to tell."""


class SecretFile:
    """A secret read from a file at start, and again whenever the file changes."""

    def __init__(
        self,
        path: str,
        *,
        variable: str,
        check: Callable[[str], str],
        grace: float,
        interval: float = CHECK_INTERVAL,
        monotonic: Callable[[], float] = time.monotonic,
        on_change: Callable[[str], None] = _ignore,
    ) -> None:
        self._path = path
        self._variable = variable
        self._check = check
        self._grace = grace
        self._interval = interval
        self._monotonic = monotonic
        self._on_change = on_change
        self._previous: list[tuple[str, float]] = []  # (value, accepted until)
        self._complained: Stamp | None = None
        try:
            self._stamp = self._stat()
            self._value = self._load()
        except FileNotFoundError:
            raise ConfigError(
                messages.file_missing(variable, path), messages.FIX_THE_PATH
            ) from None
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(
                messages.file_unreadable(variable, path, _reason(error)), messages.FIX_THE_PATH
            ) from None
        except ValueError as error:
            raise ConfigError(messages.malformed(variable, error), messages.FIX_OR_UNSET) from None
        on_change(self._value)
        self._checked = monotonic()

    def current(self) -> str:
        """The value in the file as of at most `interval` seconds ago."""
        self._look()
        return self._value

    def accepted(self) -> tuple[str, ...]:
        """The current value, then those replaced less than the grace period ago."""
        self._look()
        now = self._monotonic()
        self._previous = [(value, until) for value, until in self._previous if until > now]
        return (self._value, *(value for value, _ in reversed(self._previous)))

    def _stat(self) -> Stamp:
        found = os.stat(self._path)  # follows symlinks: the file the path resolves to now
        return (found.st_dev, found.st_ino, found.st_mtime_ns, found.st_size)

    def _load(self) -> str:
        return self._check(Path(self._path).read_text(encoding="utf-8"))

    def _look(self) -> None:
        now = self._monotonic()
        if now - self._checked < self._interval:
            return
        self._checked = now
        try:
            stamp = self._stat()
            if stamp == self._stamp:
                return
            value = self._load()
        except (OSError, UnicodeDecodeError, ValueError) as error:
            self._complain(error)
            return
        self._stamp = stamp
        self._complained = None
        if value == self._value:
            return
        self._previous.append((self._value, now + self._grace))
        self._value = value
        self._on_change(value)
        log.info(
            "%s changed: its new value is used, the old one accepted for %g s more",
            self._variable, self._grace,
        )  # fmt: skip

    def _complain(self, error: BaseException) -> None:
        """Log a file that cannot be used now, once per change of the file."""
        try:
            stamp: Stamp = self._stat()
        except OSError:
            stamp = (0, 0, 0, 0)
        if stamp != self._complained:
            self._complained = stamp
            log.warning(
                "%s %s cannot be used now (%s): the value read before stays in use",
                self._variable, self._path, _reason(error),
            )  # fmt: skip


def _reason(error: BaseException) -> str:
    """Why a file could not be used, without its contents."""
    if isinstance(error, OSError):
        return error.strerror or type(error).__name__
    if isinstance(error, UnicodeDecodeError):
        return messages.NOT_UTF8
    return str(error)


def secret_from(
    value: SecretStr | None,
    path: str | None,
    *,
    variable: str,
    check: Callable[[str], str],
    grace: float,
    on_change: Callable[[str], None] = _ignore,
    monotonic: Callable[[], float] = time.monotonic,
) -> Secret | None:
    """The secret given as `variable` (a value) or `variable`_FILE (a file), if either;
    ConfigError when both are set, or when the file cannot be read or holds a bad value."""
    file_variable = f"{variable}_FILE"
    if value is not None and path:
        raise ConfigError(
            messages.value_and_file(variable, file_variable), messages.SET_ONE_OF_THEM
        )
    if path:
        return SecretFile(
            path, variable=file_variable, check=check, grace=grace, on_change=on_change,
            monotonic=monotonic,
        )  # fmt: skip
    if value is not None:
        on_change(value.get_secret_value())
        return FixedSecret(value.get_secret_value())
    return None
