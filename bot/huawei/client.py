"""Async client for `GET /v3/{project_id}/backups` on one shared `httpx.AsyncClient`.

It validates parameters before sending, signs every attempt afresh, retries what is
safe to retry (429 honouring Retry-After, 5xx, timeouts, broken connections, garbled
bodies) with exponential backoff and jitter within a bounded budget, and reads whole
windows page by page with bounded concurrency, never asking for more than needed.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from bot import __version__
from bot.core.backup import Backup, BackupPage, RowProblem, UnreadablePage, read_page
from bot.core.clock import Clock, utc_now
from bot.core.instances import (
    BackupPolicy,
    Instance,
    InstanceListing,
    InstancePage,
    PolicyAnswer,
    PolicyRead,
    PolicyReads,
    PolicyUnreadable,
)
from bot.core.params import INSTANCE_ID_RE, MAX_LIMIT, ListBackupsParams
from bot.core.source import BackupListing
from bot.errors import InvalidRequest, PermissionDenied, UpstreamError
from bot.huawei.auth import Auth
from bot.huawei.errors import explain

Parsed = TypeVar("Parsed")
Model = TypeVar("Model", bound=BaseModel)
Item = TypeVar("Item")
Result = TypeVar("Result")
MAX_PAGES = 2_000  # 200,000 backups: beyond this a listing is a runaway, not an answer
MAX_LOGGED_ROWS = 1_000  # distinct unreadable rows remembered, so each is logged once
log = logging.getLogger("backupbot.huawei")
# IAM actions, from each API's "Authorization Information" (identity policies), with
# the role/policy-based alias the same pages give.
LIST_INSTANCES_ACTION = ("gaussdbformysql:instance:list", "gaussdb:instance:list")
READ_POLICY_ACTION = ("gaussdbformysql:backup:listPolicy", "gaussdb:backup:list")
# Requests made for the listing being read in this task (and the page tasks it starts):
# `requests_made` alone would also count those of listings read at the same time.
_LISTING_REQUESTS: ContextVar[list[int] | None] = ContextVar("listing_requests", default=None)


def no_observer(status: int | None, seconds: float) -> None:
    """The default request observer: counts nothing (metrics pass their own)."""


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts per request, and seconds of waiting in total."""

    attempts: int = 4
    budget: float = 30.0
    base_delay: float = 0.5
    max_delay: float = 8.0


class _Retryable(Exception):
    def __init__(self, error: UpstreamError) -> None:
        super().__init__(str(error))
        self.error = error


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
        "The TaurusDB API refused the request",
        status=response.status_code,
        error_code=str(code) if code else None,
        error_msg=str(message)[:500] if message else None,
        request_id=str(request_id) if request_id else None,
        explanation=explain(str(code) if code else None, response.status_code),
        retry_after=_retry_after(response),
    )


class BackupsApi:
    """The TaurusDB backups API for one project in one region."""

    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        endpoint: str,
        project_id: str,
        auth: Auth,
        language: str = "en-us",
        retry: RetryPolicy | None = None,
        page_concurrency: int = 8,
        timeout: float = 10.0,
        server_clock_lag: float = 60.0,
        clock: Clock = utc_now,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
        observer: Callable[[int | None, float], None] = no_observer,
    ) -> None:
        base = httpx.URL(endpoint)
        self._http = http
        self._origin = f"{base.scheme}://{base.netloc.decode('ascii')}"
        self._host = base.netloc.decode("ascii")
        self._prefix = base.path.rstrip("/")
        self.project_id = project_id
        self._auth = auth
        self._language = language
        self._retry = retry or RetryPolicy()
        self._concurrency = page_concurrency
        self._timeout = timeout
        self._server_lag = timedelta(seconds=server_clock_lag)
        self._clock = clock
        self._sleep = sleep
        self._monotonic = monotonic
        self._jitter = jitter
        self._observer = observer
        self._logged_rows: set[str] = set()
        self.requests_made = 0

    @property
    def scope(self) -> str:
        """The endpoint and project: what a cached answer is valid for."""
        return f"{self.endpoint}/v3/{self.project_id}"

    @property
    def endpoint(self) -> str:
        """Where requests go (scheme, host and any path prefix)."""
        return self._origin + self._prefix

    def prepare(self, params: ListBackupsParams) -> ListBackupsParams:
        """Check the clock-dependent rules; return what will actually be sent."""
        return params.checked_at(self._clock(), server_lag=self._server_lag)

    async def list_page(self, params: ListBackupsParams) -> BackupPage:
        """One request: the page at `params.offset` of at most `params.limit` backups."""
        return await self._page(params, gate=None)

    async def _page(
        self, params: ListBackupsParams, *, gate: asyncio.Semaphore | None
    ) -> BackupPage:
        path = f"/v3/{self.project_id}/backups"
        page = await self._get(path, self.prepare(params).to_query(), _read_page, gate=gate)
        self._log_problems(page.problems)
        return page

    async def list_backups(
        self, params: ListBackupsParams, *, want: int | None = None
    ) -> BackupListing:
        """Read from `params.offset`: the whole window, or only the first `want` backups.

        The first request reveals `total_count`; the remaining pages are fetched
        concurrently (bounded), and again if `total_count` grew meanwhile. Rows that
        shifted across page boundaries are de-duplicated by backup id. Should the API
        leave `total_count` out, pages are read one after another until one is short.
        """
        params = self.prepare(params)
        start = params.offset
        made = [0]
        _LISTING_REQUESTS.set(made)
        first_limit = MAX_LIMIT if want is None else max(1, min(MAX_LIMIT, want))
        pages: dict[int, BackupPage] = {}
        extent = _Extent()
        first = await self.list_page(params.model_copy(update={"limit": first_limit}))
        pages[start] = first
        extent.add(start, first_limit, first)

        def end() -> int:
            return extent.end if want is None else min(extent.end, start + want)

        while True:
            missing = [o for o in range(start + first_limit, end(), MAX_LIMIT) if o not in pages]
            if not missing:
                break
            if len(pages) + len(missing) > MAX_PAGES:
                raise UpstreamError(
                    "The listing is too large to read",
                    explanation="Narrow the window or the target.",
                )
            for offset, page in await self._fetch_pages(params, missing):
                pages[offset] = page
                extent.add(offset, MAX_LIMIT, page)

        seen: set[str] = set()
        merged: list[Backup] = []
        for offset in sorted(pages):
            for backup in pages[offset].backups:
                if backup.id not in seen:
                    seen.add(backup.id)
                    merged.append(backup)
        if want is not None:
            merged = merged[:want]
        return BackupListing(
            backups=tuple(merged),
            total_count=extent.total,
            requests=made[0],
            unreadable=sum(page.unreadable for page in pages.values()),
        )

    async def _fetch_pages(
        self, params: ListBackupsParams, offsets: list[int]
    ) -> list[tuple[int, BackupPage]]:
        async def fetch(offset: int, gate: asyncio.Semaphore) -> tuple[int, BackupPage]:
            page_params = params.model_copy(update={"offset": offset, "limit": MAX_LIMIT})
            return offset, await self._page(page_params, gate=gate)

        return await self._bounded(offsets, fetch)

    async def instance_page(
        self, *, offset: int = 0, limit: int = MAX_LIMIT, gate: asyncio.Semaphore | None = None
    ) -> InstancePage:
        """One request: the instances at `offset`, at most `limit` (1-100) of them."""
        if offset < 0 or not 1 <= limit <= MAX_LIMIT:
            raise InvalidRequest(
                f"invalid instance page: offset {offset}, limit {limit}",
                f"offset is 0 or more, limit 1 to {MAX_LIMIT}",
            )
        query = [("offset", str(offset)), ("limit", str(limit))]
        path = f"/v3/{self.project_id}/instances"
        return await self._permitted(path, query, InstancePage, LIST_INSTANCES_ACTION, gate=gate)

    async def list_instances(self) -> InstanceListing:
        """Every instance of the project: ceil(N / 100) requests for N instances.

        The first request reveals `total_count`; the other pages are read concurrently
        (bounded), again if the count grew meanwhile, and de-duplicated by id. Raises
        PermissionDenied when the IAM user may not list instances.
        """

        async def fetch(offset: int, gate: asyncio.Semaphore) -> tuple[int, InstancePage]:
            return offset, await self.instance_page(offset=offset, gate=gate)

        made_before = self.requests_made
        first = await self.instance_page()
        pages: dict[int, tuple[Instance, ...]] = {0: first.instances}
        total = first.total_count
        while missing := [o for o in range(MAX_LIMIT, total, MAX_LIMIT) if o not in pages]:
            if len(pages) + len(missing) > MAX_PAGES:
                raise UpstreamError("The instance listing is too large to read")
            for offset, page in await self._bounded(missing, fetch):
                pages[offset] = page.instances
                total = max(total, page.total_count)
        seen: set[str] = set()
        instances: list[Instance] = []
        for offset in sorted(pages):
            for instance in pages[offset]:
                if instance.id not in seen:
                    seen.add(instance.id)
                    instances.append(instance)
        return InstanceListing(
            instances=tuple(instances), total_count=total, requests=self.requests_made - made_before
        )

    async def show_policy(
        self, instance_id: str, *, gate: asyncio.Semaphore | None = None
    ) -> BackupPolicy:
        """One request: the automated backup policy of one instance."""
        if not INSTANCE_ID_RE.match(instance_id):
            raise InvalidRequest(
                f"invalid instance id {instance_id!r}",
                "an instance id is 32 letters or digits followed by in07",
            )
        path = f"/v3/{self.project_id}/instances/{instance_id}/backups/policy"
        answer = await self._permitted(path, [], PolicyAnswer, READ_POLICY_ACTION, gate=gate)
        return answer.backup_policy

    async def read_policies(self, instance_ids: Sequence[str]) -> PolicyReads:
        """The policy of each instance: N requests for N instances, concurrently (bounded).

        A policy that cannot be read (the instance went away, an error that outlasted
        the retries) is PolicyUnreadable, and the others are still returned; a 403 stops
        everything with PermissionDenied, since every other read would be refused too.
        """
        made_before = self.requests_made

        async def fetch(instance_id: str, gate: asyncio.Semaphore) -> tuple[str, PolicyRead]:
            try:
                return instance_id, await self.show_policy(instance_id, gate=gate)
            except PermissionDenied:
                raise
            except (UpstreamError, InvalidRequest) as error:
                return instance_id, PolicyUnreadable(_unreadable(error))

        unique = list(dict.fromkeys(instance_ids))
        policies = dict(await self._bounded(unique, fetch))
        return PolicyReads(policies=policies, requests=self.requests_made - made_before)

    async def _bounded(
        self,
        items: Sequence[Item],
        fetch: Callable[[Item, asyncio.Semaphore], Coroutine[Any, Any, Result]],
    ) -> list[Result]:
        """`fetch` every item concurrently; the first failure wins.

        `fetch` passes the gate on to `_get`, which holds it for each HTTP exchange only:
        at most `page_concurrency` requests are in flight, and parsing never holds a slot.
        """
        gate = asyncio.Semaphore(self._concurrency)
        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(fetch(item, gate)) for item in items]
        except* UpstreamError as failures:
            raise failures.exceptions[0] from None
        return [task.result() for task in tasks]

    async def _permitted(
        self,
        path: str,
        query: list[tuple[str, str]],
        model: type[Model],
        action: tuple[str, str],
        *,
        gate: asyncio.Semaphore | None = None,
    ) -> Model:
        """`_get`, turning a 403 into PermissionDenied naming the IAM action to grant."""
        try:
            return await self._get(path, query, _model_reader(model), gate=gate)
        except UpstreamError as error:
            # APIGW.0310 is a 403 too, but the project is unavailable: no grant fixes that.
            if error.status != 403 or error.error_code == "APIGW.0310":
                raise
            raise PermissionDenied(
                "The TaurusDB API refused the request: permission denied",
                action=action[0],
                legacy_action=action[1],
                status=error.status,
                error_code=error.error_code,
                error_msg=error.error_msg,
                request_id=error.request_id,
            ) from error

    def _log_problems(self, problems: Iterable[RowProblem]) -> None:
        """Log each row that could not be read whole, once per process, with its content."""
        for problem in problems:
            text = json.dumps(problem.row, ensure_ascii=False, default=str)[:2000]
            if text in self._logged_rows:
                continue
            if len(self._logged_rows) >= MAX_LOGGED_ROWS:
                self._logged_rows.clear()
            self._logged_rows.add(text)
            if problem.skipped:
                log.warning(
                    "Skipped a backup the TaurusDB API sent that could not be read (%s): %s",
                    problem.reason,
                    text,
                )
            else:
                log.warning(
                    "Ignored unreadable fields %s of a backup the TaurusDB API sent (%s): %s",
                    ", ".join(problem.fields),
                    problem.reason,
                    text,
                )

    async def _get(
        self,
        path: str,
        query: list[tuple[str, str]],
        read: Callable[[httpx.Response], Parsed],
        *,
        gate: asyncio.Semaphore | None = None,
    ) -> Parsed:
        """GET with retries; the 2xx response read by `read`.

        `gate` bounds the requests in flight. It is held for the exchange only: the next
        request goes out before this body is parsed, so parsing hides behind the network
        rather than adding to it (bench/bench_paging.py).
        """
        deadline = self._monotonic() + self._retry.budget
        for attempt in range(1, self._retry.attempts + 1):
            try:
                if gate is None:
                    return read(await self._attempt(path, query))
                async with gate:
                    response = await self._attempt(path, query)
                await asyncio.sleep(0)  # let a request waiting on the gate start first
                return read(response)
            except _Retryable as failure:
                error = failure.error
                delay = self._backoff(attempt, error.retry_after)
                if attempt == self._retry.attempts or self._monotonic() + delay > deadline:
                    raise error from failure.__cause__
                await self._sleep(delay)
        raise AssertionError("unreachable: the loop returns or raises")

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        ceiling = min(self._retry.max_delay, self._retry.base_delay * 2.0 ** (attempt - 1))
        return ceiling / 2 + self._jitter() * ceiling / 2

    async def _attempt(self, path: str, query: list[tuple[str, str]]) -> httpx.Response:
        full_path = self._prefix + path
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"backupbot/{__version__}",
            "X-Project-Id": self.project_id,
            "X-Language": self._language,
        }
        prepared = self._auth.prepare(
            host=self._host, path=full_path, query=query, headers=headers, when=self._clock()
        )
        url = self._origin + full_path + (f"?{prepared.query}" if prepared.query else "")
        request = self._http.build_request(
            "GET",
            url,
            headers={name.encode(): value.encode() for name, value in prepared.headers.items()},
            timeout=self._timeout,
        )
        self.requests_made += 1
        made = _LISTING_REQUESTS.get()
        if made is not None:
            made[0] += 1
        started = self._monotonic()
        status: int | None = None
        try:
            response = await self._send(request)
            status = response.status_code
        finally:
            self._observer(status, self._monotonic() - started)
        if response.status_code == 429 or response.status_code >= 500:
            raise _Retryable(_error_from(response))
        if response.status_code >= 400:
            raise _error_from(response)
        return response

    async def _send(self, request: httpx.Request) -> httpx.Response:
        """Send; transport failures become retryable UpstreamErrors."""
        try:
            return await self._http.send(request)
        except httpx.TimeoutException as exc:
            raise _Retryable(
                UpstreamError(
                    f"The TaurusDB API at {self._host} did not answer within {self._timeout:g} s",
                    explanation="It may be overloaded: try again in a minute.",
                )
            ) from exc
        except httpx.TransportError as exc:
            raise _Retryable(
                UpstreamError(
                    f"Could not reach the TaurusDB API at {self._host}",
                    explanation="Check the network, HUAWEICLOUD_REGION or GAUSSDB_ENDPOINT.",
                )
            ) from exc


@dataclass
class _Extent:
    """How far a listing reaches, as far as the pages read so far tell.

    The API's `total_count` when any page reported one (the largest: it may grow while
    paging); otherwise the rows seen, and one more page wanted while the furthest page
    read was full.
    """

    reported: int | None = None
    seen: int = 0
    furthest: int = -1
    full: bool = False

    def add(self, offset: int, limit: int, page: BackupPage) -> None:
        if page.total_count is not None:
            self.reported = max(self.reported or 0, page.total_count)
        self.seen = max(self.seen, offset + page.rows)
        if offset > self.furthest:
            self.furthest, self.full = offset, page.rows >= limit

    @property
    def end(self) -> int:
        """The offset up to which pages are still to be read."""
        if self.reported is not None:
            return self.reported
        return self.seen + 1 if self.full else self.seen

    @property
    def total(self) -> int:
        """How many backups the listing holds."""
        return self.reported if self.reported is not None else self.seen


def _read_page(response: httpx.Response) -> BackupPage:
    """Read a 2xx body; garbled JSON is worth a retry, a page of the wrong shape is not."""
    try:
        return read_page(response.content)
    except UnreadablePage as exc:
        request_id = response.headers.get("X-Request-Id")
        if exc.garbled:
            raise _Retryable(
                UpstreamError(
                    "The TaurusDB API sent a garbled answer",
                    status=response.status_code,
                    request_id=request_id,
                    explanation="Try again in a minute.",
                )
            ) from exc
        raise UpstreamError(
            "The TaurusDB API sent an answer backupbot could not read",
            status=response.status_code,
            request_id=request_id,
            explanation=f"Unexpected value at {exc.location}.",
        ) from exc


def _unreadable(error: UpstreamError | InvalidRequest) -> str:
    """Why a policy could not be read, in a few words."""
    if isinstance(error, InvalidRequest):
        return error.message
    detail = ", ".join(
        part
        for part in (f"HTTP {error.status}" if error.status else "", error.error_code or "")
        if part
    )
    return f"read failed ({detail or error.summary})"


def _model_reader(model: type[Model]) -> Callable[[httpx.Response], Model]:
    """Reads a 2xx body into `model`; garbled JSON is worth a retry, a wrong shape is not."""
    return lambda response: _parse(response, model)


def _parse(response: httpx.Response, model: type[Model]) -> Model:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        first = exc.errors()[0]
        request_id = response.headers.get("X-Request-Id")
        if first["type"] == "json_invalid":
            raise _Retryable(
                UpstreamError(
                    "The TaurusDB API sent a garbled answer",
                    status=response.status_code,
                    request_id=request_id,
                    explanation="Try again in a minute.",
                )
            ) from exc
        raise UpstreamError(
            "The TaurusDB API sent an answer backupbot could not read",
            status=response.status_code,
            request_id=request_id,
            explanation=f"Unexpected value at {'.'.join(map(str, first['loc'])) or 'top level'}.",
        ) from exc
