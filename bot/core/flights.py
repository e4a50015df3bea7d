"""Single flight: one load per key at a time, whoever asks while it runs waits for it.

The listing cache and the inventory cache both load through it, so twenty asks at one
moment cost one upstream call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, Generic, TypeVar

Value = TypeVar("Value")


class SingleFlight(Generic[Value]):
    """One load per key at a time: whoever asks while it runs waits for the same result.

    The load runs in a task of its own, shielded, so a caller that gives up (a timeout)
    does not cancel it for the others.
    """

    def __init__(self) -> None:
        self._inflight: dict[Hashable, asyncio.Task[Value]] = {}

    def busy(self, key: Hashable) -> bool:
        """Whether a load of `key` is under way (an ask now would join it)."""
        return key in self._inflight

    async def run(self, key: Hashable, load: Callable[[], Awaitable[Value]]) -> Value:
        """`load()`'s result: this ask's own load, or the one already under way."""
        task = self._inflight.get(key)
        if task is None:
            task = asyncio.ensure_future(load())
            self._inflight[key] = task
            task.add_done_callback(lambda done: self._settle(key, done))
        return await asyncio.shield(task)

    def _settle(self, key: Hashable, done: asyncio.Task[Any]) -> None:
        if self._inflight.get(key) is done:
            del self._inflight[key]
        if not done.cancelled():
            done.exception()  # retrieved here so a failure nobody awaits is not reported twice
