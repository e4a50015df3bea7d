"""One read answers a question and its health: requests counted at the simulator, through
Slack, for every shape of window against health's 14 days (README, *Cost*).

Expected counts come from the simulator's fleet: the pages a read of exactly those rows
takes (100 a page, at least one), never from the code under test.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from bot.huawei.simulator import SimulatorState
from tests.conftest import NOW, inventory_requests, listing_requests
from tests.slack.conftest import Harness

DAY = timedelta(days=1)
HEALTH = NOW - 14 * DAY


def rows(
    state: SimulatorState,
    *,
    begin: datetime,
    end: datetime | None = None,
    name: str | None = None,
    kind: str | None = None,
) -> int:
    """How many of the fleet's backups the API lists for these parameters."""
    return sum(
        1
        for stored in state.fleet.backups
        if stored.begin >= begin
        and (end is None or stored.begin <= end)
        and (name is None or stored.record["instance_name"] == name)
        and (kind is None or stored.record["type"] == kind)
    )


def pages(count: int) -> int:
    return max(1, math.ceil(count / 100))


async def ask(harness: Harness, text: str, count: int = 1) -> None:
    await harness.command(text)
    harness.slack.wait_for_method("response_url", count)
    await harness.idle()


def health_read(state: SimulatorState, name: str | None) -> int:
    return pages(rows(state, begin=HEALTH, name=name))


def apart(state: SimulatorState, first: str, last: str) -> int:
    """A past window of orders-prod (UTC days) read apart from health's 14 days."""
    begin = datetime.fromisoformat(f"{first}T00:00:00+00:00")
    end = datetime.fromisoformat(f"{last}T23:59:59+00:00")
    window = rows(state, begin=begin, end=end, name="orders-prod")
    return pages(window) + health_read(state, "orders-prod")


def probe(count: int) -> int:
    """An empty window costs one probe for the newest backup (README, *Cost*)."""
    return 0 if count else 1


# (question, what it costs besides the inventory: a function of the fleet)
SHAPES: dict[str, tuple[str, Callable[[SimulatorState], int]]] = {
    "inside, present": ("orders-prod last 7d", lambda s: health_read(s, "orders-prod")),
    "inside, typed": (
        "orders-prod last 7d manual",
        lambda s: (
            health_read(s, "orders-prod")
            + probe(rows(s, begin=NOW - 7 * DAY, name="orders-prod", kind="manual"))
        ),
    ),
    "inside, past": ("orders-prod yesterday", lambda s: health_read(s, "orders-prod")),
    "inside, past, typed": (
        "orders-prod from 2026-11-20 to 2026-11-22 auto",
        lambda s: health_read(s, "orders-prod"),
    ),
    "equal": ("orders-prod last 14d", lambda s: health_read(s, "orders-prod")),
    "equal, typed": ("orders-prod last 14d auto", lambda s: health_read(s, "orders-prod")),
    "beyond, present": (
        "orders-prod last 30d",
        lambda s: pages(rows(s, begin=NOW - 30 * DAY, name="orders-prod")),
    ),
    "beyond, typed": (
        "orders-prod last 30d manual",
        lambda s: (
            pages(rows(s, begin=NOW - 30 * DAY, name="orders-prod", kind="manual"))
            + health_read(s, "orders-prod")
        ),
    ),
    "past, before": (
        "orders-prod from 2026-10-01 to 2026-10-05",
        lambda s: apart(s, "2026-10-01", "2026-10-05"),
    ),
    "past, overlapping": (
        "orders-prod from 2026-11-01 to 2026-11-20",
        lambda s: apart(s, "2026-11-01", "2026-11-20"),
    ),
    "every instance, inside": ("failed last 24h", lambda s: health_read(s, None)),
    "every instance, beyond": (
        "failed last 30d",
        lambda s: pages(rows(s, begin=NOW - 30 * DAY)),
    ),
}


@pytest.mark.parametrize("shape", SHAPES)
async def test_each_shape_of_question_costs_the_fewest_reads(
    harness: Harness, state: SimulatorState, shape: str
) -> None:
    question, expected = SHAPES[shape]
    await ask(harness, question)
    assert listing_requests(state) == expected(state), question


async def test_a_question_the_cached_read_covers_costs_nothing(
    harness: Harness, state: SimulatorState
) -> None:
    await ask(harness, "orders-prod last 30d")
    made = state.request_count
    assert listing_requests(state) == pages(rows(state, begin=NOW - 30 * DAY, name="orders-prod"))
    later = ("orders-prod last 24h", "orders-prod last 7d auto", "orders-prod yesterday failed")
    for count, question in enumerate(later, start=2):
        await ask(harness, question, count)
    assert state.request_count == made, "each is cut from the 30 days read first"


async def test_the_same_question_forty_times_costs_one_questions_reads(
    harness: Harness, state: SimulatorState
) -> None:
    for count in range(1, 41):
        await ask(harness, "payments-prod last 30d", count)
    # the 30 days (they hold health's 14), the instance listing, payments-prod's policy and
    # its restorable ranges
    assert listing_requests(state) == pages(rows(state, begin=NOW - 30 * DAY, name="payments-prod"))
    assert inventory_requests(state) == 2
    assert state.request_count == 4
