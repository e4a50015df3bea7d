"""One rule for a window's bounds, and the parser, the resolver and the parameters keep it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.answering.window import resolve
from bot.core.bounds import WindowFault, window_fault
from bot.core.language.parse import parse_query
from bot.core.params import ListBackupsParams
from bot.core.query import Between
from bot.errors import InvalidRequest, QueryError

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)
UTC_ZONE = ZoneInfo("UTC")

# (begin, end, the fault at NOW): the API's rule, written out case by case. Nothing is
# within a second of NOW, where the parameters sent allow for whole-second API times.
CASES = [
    pytest.param(NOW - HOUR, NOW - SECOND, None, id="in-the-past"),
    pytest.param(NOW - HOUR, None, None, id="open-ended"),
    pytest.param(NOW, None, None, id="starting-now"),
    pytest.param(None, NOW - HOUR, None, id="no-start"),
    pytest.param(NOW + MINUTE, None, WindowFault.STARTS_IN_THE_FUTURE, id="starting-later"),
    pytest.param(NOW + HOUR, NOW - HOUR, WindowFault.STARTS_IN_THE_FUTURE, id="both-faults"),
    pytest.param(NOW - HOUR, NOW - 2 * HOUR, WindowFault.ENDS_BEFORE_IT_STARTS, id="reversed"),
    pytest.param(NOW - HOUR, NOW - HOUR, WindowFault.EMPTY, id="empty"),
    pytest.param(NOW - HOUR, NOW + MINUTE, WindowFault.ENDS_IN_THE_FUTURE, id="ending-later"),
    pytest.param(None, NOW + HOUR, WindowFault.ENDS_IN_THE_FUTURE, id="only-a-late-end"),
]


@pytest.mark.parametrize(("begin", "end", "fault"), CASES)
def test_the_rule(begin: datetime | None, end: datetime | None, fault: WindowFault | None) -> None:
    assert window_fault(begin, end, now=NOW) is fault


def test_without_now_only_the_order_counts() -> None:
    assert window_fault(NOW + HOUR, NOW + 2 * HOUR) is None
    assert window_fault(date(2026, 11, 3), date(2026, 11, 1)) is WindowFault.ENDS_BEFORE_IT_STARTS
    assert window_fault(date(2026, 11, 3), date(2026, 11, 3)) is WindowFault.EMPTY


def test_leeway_lets_a_bound_within_it_count_as_now() -> None:
    assert window_fault(NOW + SECOND, NOW + SECOND * 2, now=NOW, leeway=2 * SECOND) is None
    late = window_fault(NOW - HOUR, NOW + 3 * SECOND, now=NOW, leeway=2 * SECOND)
    assert late is WindowFault.ENDS_IN_THE_FUTURE


@pytest.mark.parametrize(("begin", "end", "fault"), CASES)
def test_the_parameters_sent_refuse_exactly_what_the_rule_refuses(
    begin: datetime | None, end: datetime | None, fault: WindowFault | None
) -> None:
    params = ListBackupsParams(begin_time=begin, end_time=end)
    if fault is None:
        params.checked_at(NOW, server_lag=timedelta(0))
    else:
        with pytest.raises(InvalidRequest):
            params.checked_at(NOW, server_lag=timedelta(0))


@pytest.mark.parametrize(("begin", "end", "fault"), [c for c in CASES if None not in c.values])
def test_the_resolver_refuses_what_the_rule_refuses_and_opens_a_window_reaching_now(
    begin: datetime, end: datetime, fault: WindowFault | None
) -> None:
    if fault in (None, WindowFault.ENDS_IN_THE_FUTURE):
        resolved = resolve(Between(begin, end), now=NOW, zone=UTC_ZONE)
        assert resolved.begin == begin
        assert resolved.end == (None if fault else end)
    else:
        with pytest.raises(QueryError):
            resolve(Between(begin, end), now=NOW, zone=UTC_ZONE)


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        pytest.param("from 2026-11-03 to 2026-11-01", True, id="days-reversed"),
        pytest.param("from 2026-11-01 to 2026-11-01", False, id="one-whole-day"),
        pytest.param("from 2026-11-01T10:00Z to 2026-11-01T09:00Z", True, id="instants-reversed"),
        pytest.param("from 2026-11-01T10:00Z to 2026-11-01T10:00Z", False, id="one-instant"),
        pytest.param("from 2026-11-02T10:00Z to 2026-11-01", False, id="mixed-left-to-resolve"),
    ],
)
def test_the_parser_refuses_only_a_reversed_order(text: str, refused: bool) -> None:
    if refused:
        with pytest.raises(QueryError, match="the start is after the end"):
            parse_query(text)
    else:
        assert isinstance(parse_query(text).window, Between)
