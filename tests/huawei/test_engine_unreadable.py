"""An answer over a window holding a row the API sent unreadable: answered, and counted."""

from __future__ import annotations

from datetime import timedelta

import httpx

from bot.core.answering.answer import Ask
from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine
from bot.core.backup import Backup, BackupStatus
from bot.core.language.parse import parse_query
from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.server import SimulatorServer
from tests.conftest import NOW, FakeTime, SettableClock, make_api
from tests.huawei.test_unreadable_rows import NOT_A_TIME, serve_as_is
from tests.slack.test_blocks import answer_of, backup, render


async def test_an_unreadable_row_in_the_window_is_counted_in_the_answer(
    http: httpx.AsyncClient, state: SimulatorState, fake_time: FakeTime
) -> None:
    serve_as_is(state, [(NOW - timedelta(days=2), NOT_A_TIME)])
    clock = SettableClock()
    with SimulatorServer(state) as server:
        engine = Engine.over(
            source=make_api(http, server.url, fake_time),
            cache=ListingCache(ttl=60, maxsize=64, clock=clock),
            clock=clock,
        )
        answer = await engine.answer(Ask(parse_query("failed last 7d")))
    readable = [
        Backup.model_validate(stored.record)
        for stored in state.fleet.backups
        if stored.record is not NOT_A_TIME
    ]
    expected = [
        b.id
        for b in readable
        if b.status is BackupStatus.FAILED and b.begin_time >= NOW - timedelta(days=7)
    ]
    assert [b.id for b in answer.backups] == expected[:10]
    assert answer.matches == len(expected)
    assert answer.unreadable == 1
    assert answer.summary.complete, "an unreadable row is not a missing one"


def test_the_answer_says_how_many_rows_could_not_be_read() -> None:
    for count, words in (
        (1, "1 row the TaurusDB API sent could not be read and is"),
        (3, "3 rows"),
    ):
        view = render(answer_of([backup(0)], unreadable=count))
        text = " ".join(str(block) for block in view.blocks)
        assert words in text
    clean = render(answer_of([backup(0)]))
    assert "could not be read" not in " ".join(str(block) for block in clean.blocks)
