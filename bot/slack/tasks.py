"""Work after the ack: kept alive until done, acks first, bounded; Slack calls unbounded."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any


class BackgroundTasks:
    """Tasks started after an ack, referenced until they finish (asyncio keeps weak ones).

    A task takes one of `limit` work slots (`async with tasks.slot()`) only around the
    work itself: reading backups and rendering the answer. Calls to Slack (looking up a
    time zone, delivering the answer) happen outside any slot, so a slow or hung Slack
    holds back nobody else's answer. Acks come first: work waits (briefly) while
    requests are still being acknowledged, so in a burst of commands the later acks are
    not kept waiting behind the work of the earlier ones (bench/bench_slack.py).
    """

    def __init__(self, limit: int = 16, ack_priority: float = 0.2) -> None:
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

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one work slot, taken once acknowledging has (nearly) quietened down."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._quiet.wait(), self._ack_priority)
        async with self._gate:
            yield

    def spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Run `work` in the background and keep it alive until done."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def __len__(self) -> int:
        return len(self._tasks)

    async def drain(self) -> None:
        """Wait for every task still running (at shutdown, and in tests)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
