"""Background work: referenced until done, and a hook once the process has gone idle."""

from __future__ import annotations

import asyncio

from bot.slack.tasks import BackgroundTasks


async def test_on_idle_runs_once_all_work_is_done_and_not_before() -> None:
    idle = asyncio.Event()
    running_when_called: list[int] = []

    def on_idle() -> None:
        running_when_called.append(len(tasks))
        idle.set()

    tasks = BackgroundTasks(on_idle=on_idle, quiet=0)
    release = asyncio.Event()
    started = asyncio.Semaphore(0)

    async def work() -> None:
        async with tasks.slot():
            started.release()
            await release.wait()

    tasks.spawn(work())
    tasks.spawn(work())
    await started.acquire()
    await started.acquire()  # both are running: the hook has had every chance to fire
    assert not idle.is_set()
    release.set()
    await asyncio.wait_for(idle.wait(), 30)
    assert running_when_called == [0]
    assert len(tasks) == 0
