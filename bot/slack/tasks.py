"""Work after the ack: kept alive until done, acks first, bounded; Slack calls unbounded."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any


class BackgroundTasks:
    """Tasks started after an ack, referenced until they finish (asyncio keeps weak ones).

    A task takes one of `limit` work slots (`async with tasks.slot()`) only around the
    work itself: reading backups and rendering the answer. Calls to Slack (looking up a
    time zone, delivering the answer) happen outside any slot, so a slow or hung Slack
    holds back nobody else's answer. Acks come first: work waits (briefly) while
    requests are still being acknowledged, so in a burst of commands the later acks are
    not kept waiting behind the work of the earlier ones (bench/bench_slack.py).

    `on_idle` runs once no task has been running for `quiet` seconds after some work.
    """

    def __init__(
        self,
        limit: int = 16,
        ack_priority: float = 0.2,
        *,
        on_idle: Callable[[], None] | None = None,
        quiet: float = 5.0,
    ) -> None:
        self._on_idle = on_idle
        self._quiet_for = quiet
        self._idle_timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._gate = asyncio.Semaphore(limit)
        self._acking = 0
        self._quiet = asyncio.Event()
        self._quiet.set()
        self._ack_priority = ack_priority

    def acking(self, delta: int) -> None:
        """A request started (+1) or finished (-1) being acknowledged."""
        self._acking += delta
        if self._acking > 0:
            self._quiet.clear()
        else:
            self._quiet.set()

    async def _acks_first(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._quiet.wait(), self._ack_priority)

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one work slot, taken once acknowledging has (nearly) quietened down."""
        await self._acks_first()
        async with self._gate:
            yield

    async def _after_acks(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            await self._acks_first()
        except BaseException:
            work.close()  # cancelled before it began (shutting down): it never will
            raise
        await work

    def spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Run `work` in the background, once acks allow, and keep it alive until done."""
        task = asyncio.ensure_future(self._after_acks(work))
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if self._tasks or self._on_idle is None:
            return
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        self._idle_timer = asyncio.get_running_loop().call_later(self._quiet_for, self._idle)

    def _idle(self) -> None:
        self._idle_timer = None
        if not self._tasks and self._on_idle is not None:
            self._on_idle()

    def __len__(self) -> int:
        return len(self._tasks)

    async def drain(self) -> None:
        """Wait for every task still running (at shutdown, and in tests)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
