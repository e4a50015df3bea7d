"""Credentials kept fresh: what every signed request asks for its keys (a `Keyring`).

Temporary credentials (metadata, Pod Identity, OIDC) are refreshed when less than 40
minutes are left, the SDK's threshold: in the background (`run`), so that no request waits
for them, and on use should the background be late. One refresh serves every request
that needs it at that moment (single flight: one task, awaited by all). A request waits
only when the credentials held have less than a minute left (and the source did not fail
moments ago); otherwise it signs with them while the refresh runs.

When the source fails, the last good credentials are used while they are valid: answers
carry `notice()` (one line), the failure is logged and counted, and the refresh is tried
again every 30 seconds. A 401 to a request signed with temporary credentials refreshes
them once, unless another request already did or the source failed moments ago.

Credentials that do not expire (a key pair in the environment or a file) are asked of
their source at every request: those sources are local and cheap, and a rotated key file
is used within seconds. A 401 to such keys is retried only with other keys (a file
rotated while the request was under way), never with the same ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx

from bot import messages
from bot.core.clock import Clock, utc_now
from bot.errors import CredentialsUnavailable
from bot.huawei.auth import Credentials
from bot.huawei.credentials.source import CredentialSource
from bot.messages.catalogue import english

log = logging.getLogger("backupbot.credentials")
REFRESH_BEFORE = timedelta(minutes=40)  # the SDK's threshold
RETRY_EVERY = timedelta(seconds=30)  # at most one background attempt this often
USABLE_FOR = timedelta(minutes=1)  # with less left, a request waits for fresh credentials
RefreshObserver = Callable[[str, bool], None]
"""Told of every refresh: the source's kind, and whether it succeeded."""


def no_refresh_observer(kind: str, ok: bool) -> None:
    """The default observer: counts nothing (metrics pass their own)."""


def _forget(secrets: Iterable[str]) -> None:
    """The default `learn`: no log redaction to tell."""


@dataclass(frozen=True)
class CredentialStatus:
    """What `check` says of a profile's credentials: whence, and until when."""

    source: str
    expires_at: datetime | None


class Refresher:
    """A profile's credentials from its source, refreshed before they expire."""

    def __init__(
        self,
        source: CredentialSource,
        *,
        http: httpx.AsyncClient,
        clock: Clock = utc_now,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        observer: RefreshObserver = no_refresh_observer,
        learn: Callable[[Iterable[str]], None] = _forget,
    ) -> None:
        self._source = source
        self._http = http
        self._clock = clock
        self._sleep = sleep
        self._observer = observer
        self._learn = learn
        self._held: Credentials | None = None
        self._task: asyncio.Task[Credentials] | None = None
        self._last_attempt: datetime | None = None
        self._failure: CredentialsUnavailable | None = None

    @property
    def status(self) -> CredentialStatus:
        """The source, and when the credentials held expire (None: they do not)."""
        held = self._held
        return CredentialStatus(
            source=self._source.name, expires_at=held.expires_at if held is not None else None
        )

    async def current(self) -> Credentials:
        """The credentials to sign with now; CredentialsUnavailable if there are none."""
        held = self._held
        if held is None:
            return await self._refresh()
        if held.expires_at is None:
            return self._keep(await self._source.fetch(self._http))
        left = held.expires_at - self._clock()
        if left > REFRESH_BEFORE:
            return held
        if left > USABLE_FOR:
            self._refresh_soon()
            return held
        if self._failure is None or not self._recently_tried():
            with contextlib.suppress(CredentialsUnavailable):
                return await self._refresh()
        if left > timedelta(0):
            return held  # the last good credentials, while they are valid
        raise self._expired()

    async def refused(self, used: Credentials) -> Credentials | None:
        """After a 401 to a request made with `used`: fresh temporary credentials to try
        once more with, keys that changed meanwhile (a file rotated while the request was
        under way), or None."""
        if used.expires_at is None:
            # The same keys are never tried again: five failures in a row lock them.
            with contextlib.suppress(CredentialsUnavailable):
                fresh = await self._source.fetch(self._http)
                if fresh != used:
                    return self._keep(fresh)
            return None
        held = self._held
        if held is not None and held is not used:
            return held  # another request refreshed them meanwhile
        if self._failure is not None and self._recently_tried():
            return None
        try:
            return await self._refresh()
        except CredentialsUnavailable:
            return None

    def notice(self) -> str | None:
        """One line for answers while the source fails and the last credentials are used."""
        held = self._held
        if self._failure is None or held is None or held.expires_at is None:
            return None
        left = held.expires_at - self._clock()
        if left <= timedelta(0):
            return None  # requests fail, saying why: nothing is answered on old credentials
        minutes = max(1, int(left.total_seconds() // 60))
        return messages.stale_credentials(self._source.name, minutes)

    async def run(self) -> None:
        """Refresh temporary credentials before they expire, until cancelled."""
        while (wait := self._next_refresh()) is not None:
            await self._sleep(wait)
            with contextlib.suppress(CredentialsUnavailable):
                await self._refresh()

    def _next_refresh(self) -> float | None:
        """Seconds until the next background refresh; None for credentials that do not
        expire (or none yet: the first request fetches them)."""
        held = self._held
        if held is None or held.expires_at is None:
            return None
        due = held.expires_at - REFRESH_BEFORE
        if self._last_attempt is not None:
            due = max(due, self._last_attempt + RETRY_EVERY)
        return max(0.0, (due - self._clock()).total_seconds())

    def _expired(self) -> CredentialsUnavailable:
        """The error of a request once the last credentials expired and none came since."""
        why = self._failure.said if self._failure is not None else ""
        return CredentialsUnavailable(
            messages.credentials_expired(self._source.name, why),
            hint=messages.CHECK_THE_SOURCE,
        )

    def _recently_tried(self) -> bool:
        last = self._last_attempt
        return last is not None and self._clock() - last < RETRY_EVERY

    def _refresh_soon(self) -> None:
        """Start a refresh without waiting for it, unless one runs or failed just now."""
        if (self._task is None or self._task.done()) and not self._recently_tried():
            self._start()

    async def _refresh(self) -> Credentials:
        """Fresh credentials: from the refresh under way, else from a new one."""
        task = self._task if self._task is not None and not self._task.done() else self._start()
        return await asyncio.shield(task)

    def _start(self) -> asyncio.Task[Credentials]:
        task = asyncio.ensure_future(self._fetch())
        task.add_done_callback(_retrieve)
        self._task = task
        return task

    async def _fetch(self) -> Credentials:
        self._last_attempt = self._clock()
        try:
            fresh = await self._source.fetch(self._http)
        except CredentialsUnavailable as error:
            self._failure = error
            self._observer(self._source.kind, False)
            if self._held is not None:  # a first fetch's failure is its caller's to tell
                log.warning("cloud credentials not refreshed: %s", english(error.said))
            raise
        self._failure = None
        self._observer(self._source.kind, True)
        if fresh.expires_at is not None:
            log.info(
                "cloud credentials refreshed from %s, valid until %s",
                self._source.name, fresh.expires_at.isoformat(timespec="seconds"),
            )  # fmt: skip
        return self._keep(fresh)

    def _keep(self, fresh: Credentials) -> Credentials:
        if fresh is not self._held:
            self._learn(fresh.secrets)
            self._held = fresh
        return fresh


def _retrieve(task: asyncio.Task[Credentials]) -> None:
    """Mark a refresh's failure as seen: it was logged, and a background refresh may have
    nobody awaiting it."""
    if not task.cancelled():
        task.exception()
