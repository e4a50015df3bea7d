"""Work after the ack: kept alive until done, acks first, bounded."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any


class BackgroundTasks:
    """Tasks started after an ack, referenced until they finish (asyncio keeps weak ones).

    Acks come first: work waits (briefly) while requests are still being acknowledged,
    and at most `limit` run at once, so in a burst of commands the later acks are not
    kept waiting behind the work of the earlier ones (bench/bench_slack.py).
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

    async def _gated(self, work: Coroutine[Any, Any, None]) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._quiet.wait(), self._ack_priority)
        async with self._gate:
            await work

    def spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Run `work` in the background and keep it alive until done."""
        task = asyncio.ensure_future(self._gated(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def __len__(self) -> int:
        return len(self._tasks)

    async def drain(self) -> None:
        """Wait for every task still running (at shutdown, and in tests)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
