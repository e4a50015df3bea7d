"""Authenticated requests to one project's TaurusDB endpoint, on one shared
`httpx.AsyncClient`: GETs, and the rare POST that changes the cloud, sent once.

Every attempt is authenticated afresh (`bot.huawei.auth`); what is safe to retry is
retried (429 honouring Retry-After, 5xx, timeouts, broken connections, garbled bodies)
with exponential backoff and jitter within a bounded budget; 4xx errors are not (five
bad signatures in a row lock an AK). Every failure is one UpstreamError.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import heapq
import itertools
import json
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from contextlib import AbstractAsyncContextManager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx

from bot import __version__, messages
from bot.core.clock import Clock, utc_now
from bot.errors import OutcomeUnknown, UnreadablePage, UpstreamError
from bot.huawei.auth import Credentials, Keyring, KeyringAuth, keyring_of
from bot.huawei.explanations import explain
from bot.messages.catalogue import api_language

Parsed = TypeVar("Parsed")
Item = TypeVar("Item")
Result = TypeVar("Result")
Observer = Callable[[int | None, float], None]
# Requests made for the operation under way in this task (and the tasks it starts):
# `requests_made` alone would also count those of operations running at the same time.
_COUNTER: ContextVar[list[int] | None] = ContextVar("requests_counter", default=None)


def no_observer(status: int | None, seconds: float) -> None:
    """The default request observer: counts nothing (metrics pass their own)."""


def counting() -> list[int]:
    """Count from here the requests of this task and those it starts: the one item of the list."""
    made = [0]
    _COUNTER.set(made)
    return made


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts per request, and seconds of waiting in total."""

    attempts: int = 4
    budget: float = 30.0
    base_delay: float = 0.5
    max_delay: float = 8.0


@dataclass(frozen=True)
class Patience:
    """How hard to try, and the clocks that measures it by (injected: tests never sleep)."""

    policy: RetryPolicy
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    monotonic: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = random.random

    def backoff(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before attempt `attempt + 1`: as told, else exponential, jittered."""
        if retry_after is not None:
            return retry_after
        ceiling = min(self.policy.max_delay, self.policy.base_delay * 2.0 ** (attempt - 1))
        return ceiling / 2 + self.jitter() * ceiling / 2


Gate = AbstractAsyncContextManager[object]
"""What bounds the requests in flight: a semaphore, or a PriorityGate's slot."""


class PriorityGate:
    """At most `size` requests in flight, the most urgent waiting one next (then the
    first come): a read that learns halfway what it needs next asks for it at once,
    rather than behind the pages already queued."""

    def __init__(self, size: int) -> None:
        self._free = size
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def at(self, priority: int) -> Gate:
        """A slot for one request, `priority` 0 the most urgent."""
        return self._slot(priority)

    @contextlib.asynccontextmanager
    async def _slot(self, priority: int) -> AsyncIterator[None]:
        await self._acquire(priority)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, priority: int) -> None:
        if self._free > 0 and not self._waiting:
            self._free -= 1
            return
        turn = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._order), turn))
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._release()  # handed the slot as it was cancelled: pass it on
            raise

    def _release(self) -> None:
        while self._waiting:
            _, _, turn = heapq.heappop(self._waiting)
            if not turn.done():
                turn.set_result(None)
                return
        self._free += 1


class Transport:
    """GETs to one project's endpoint: authenticated, retried, counted and observed."""

    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        endpoint: str,
        project_id: str,
        credentials: Credentials | Keyring,
        retry: RetryPolicy | None = None,
        concurrency: int = 8,
        timeout: float = 10.0,
        clock: Clock = utc_now,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
        observer: Observer = no_observer,
    ) -> None:
        base = httpx.URL(endpoint)
        self._http = http
        self._origin = f"{base.scheme}://{base.netloc.decode('ascii')}"
        self._host = base.netloc.decode("ascii")
        self._prefix = base.path.rstrip("/")
        self.project_id = project_id
        self._keyring = keyring_of(credentials)
        self._auth = KeyringAuth(self._keyring, clock=clock)
        self._headers = {
            "Content-Type": "application/json",
            "User-Agent": f"backupbot/{__version__}",
            "X-Project-Id": project_id,
        }
        self._patience = Patience(retry or RetryPolicy(), sleep, monotonic, jitter)
        self._concurrency = concurrency
        self._timeout = timeout
        self.clock = clock
        self._observer = observer
        self.requests_made = 0

    @property
    def endpoint(self) -> str:
        """Where requests go (scheme, host and any path prefix)."""
        return self._origin + self._prefix

    @property
    def concurrency(self) -> int:
        """How many requests of one read may be in flight at once."""
        return self._concurrency

    async def get(
        self,
        path: str,
        query: list[tuple[str, str]],
        read: Callable[[httpx.Response], Parsed],
        *,
        gate: Gate | None = None,
    ) -> Parsed:
        """GET `path` (after the endpoint's) with retries; the 2xx response read by `read`.

        `gate` bounds the requests in flight. It is held for the exchange only: the next
        request goes out before this body is parsed, so parsing hides behind the network
        rather than adding to it (bench/bench_paging.py).
        """
        patience = self._patience
        deadline = patience.monotonic() + patience.policy.budget
        for attempt in range(1, patience.policy.attempts + 1):
            try:
                if gate is None:
                    return read(await self._attempt(path, query))
                async with gate:
                    response = await self._attempt(path, query)
                await asyncio.sleep(0)  # let a request waiting on the gate start first
                return read(response)
            except UpstreamError as error:
                if not error.retryable:
                    raise
                delay = patience.backoff(attempt, error.retry_after)
                if attempt == patience.policy.attempts or patience.monotonic() + delay > deadline:
                    raise
                await patience.sleep(delay)
        raise AssertionError("unreachable: the loop returns or raises")

    async def bounded(
        self,
        items: Sequence[Item],
        fetch: Callable[[Item, asyncio.Semaphore], Coroutine[Any, Any, Result]],
    ) -> list[Result]:
        """`fetch` every item concurrently; the first failure wins.

        `fetch` passes the gate on to `get`, which holds it for each HTTP exchange only:
        at most `concurrency` requests are in flight, and parsing never holds a slot.
        """
        gate = asyncio.Semaphore(self._concurrency)
        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(fetch(item, gate)) for item in items]
        except* UpstreamError as failures:
            raise failures.exceptions[0] from None
        return [task.result() for task in tasks]

    async def post_once(
        self, path: str, body: dict[str, Any], read: Callable[[httpx.Response], Parsed]
    ) -> Parsed:
        """POST `body` to `path` once, never retried: it changes the cloud. A refusal (a
        4xx) is an UpstreamError; no answer, a 5xx, or a 2xx it cannot read (it may have
        been done, or was) is OutcomeUnknown."""
        try:
            return read(await self._attempt(path, [], method="POST", body=body))
        except UpstreamError as error:
            if error.status is not None and 400 <= error.status < 500:
                raise
            raise OutcomeUnknown(
                error.said,
                status=error.status,
                error_code=error.error_code,
                error_msg=error.error_msg,
                request_id=error.request_id,
                hint=messages.LOOKING_FOR_IT,
            ) from error

    async def _attempt(
        self,
        path: str,
        query: list[tuple[str, str]],
        *,
        method: str = "GET",
        body: dict[str, Any] | None = None,
    ) -> httpx.Response:
        await self._keyring.current()  # none to be had: no request is made, none counted
        request = self._http.build_request(
            method,
            self._origin + self._prefix + path,
            params=tuple(query),
            headers={**self._headers, "X-Language": api_language()},
            timeout=self._timeout,
            content=None if body is None else json.dumps(body, ensure_ascii=False).encode(),
        )
        self.requests_made += 1
        made = _COUNTER.get()
        if made is not None:
            made[0] += 1
        started = self._patience.monotonic()
        status: int | None = None
        try:
            response = await self._send(request)
            status = response.status_code
        finally:
            self._observer(status, self._patience.monotonic() - started)
        if response.status_code >= 400:
            raise _error_from(response)
        return response

    async def _send(self, request: httpx.Request) -> httpx.Response:
        """Send; transport failures become retryable UpstreamErrors."""
        try:
            return await self._http.send(request, auth=self._auth)
        except httpx.TimeoutException as exc:
            raise UpstreamError(
                messages.api_timed_out(self._host, self._timeout),
                hint=messages.MAY_BE_OVERLOADED,
                retryable=True,
            ) from exc
        except httpx.TransportError as exc:
            raise UpstreamError(
                messages.api_unreachable(self._host),
                hint=messages.CHECK_THE_NETWORK,
                retryable=True,
            ) from exc


def reading(parse: Callable[[bytes], Parsed]) -> Callable[[httpx.Response], Parsed]:
    """A reader of 2xx bodies with `parse`: garbled JSON is worth a retry, a body of the
    wrong shape is not."""

    def read(response: httpx.Response) -> Parsed:
        try:
            return parse(response.content)
        except UnreadablePage as exc:
            request_id = response.headers.get("X-Request-Id")
            if exc.garbled:
                raise UpstreamError(
                    messages.API_GARBLED,
                    status=response.status_code,
                    request_id=request_id,
                    hint=messages.TRY_AGAIN_IN_A_MINUTE,
                    retryable=True,
                ) from exc
            raise UpstreamError(
                messages.API_UNREADABLE,
                status=response.status_code,
                request_id=request_id,
                hint=messages.unexpected_value_at(exc.location),
            ) from exc

    return read


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def _error_from(response: httpx.Response) -> UpstreamError:
    code = message = None
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        code = body.get("error_code") or body.get("code")
        message = body.get("error_msg") or body.get("message")
    request_id = response.headers.get("X-Request-Id") or (
        body.get("request_id") if isinstance(body, dict) else None
    )
    return UpstreamError(
        messages.API_REFUSED,
        status=response.status_code,
        error_code=str(code) if code else None,
        error_msg=str(message)[:500] if message else None,
        request_id=str(request_id) if request_id else None,
        hint=explain(str(code) if code else None, response.status_code) or "",
        retry_after=_retry_after(response),
        # 429 and 5xx may pass; any other 4xx will not (and five bad signatures lock a key).
        retryable=response.status_code == 429 or response.status_code >= 500,
    )
