"""When a window's bounds make sense: one rule for the parser, the resolver, the parameters
sent and the simulator.

The API documents `begin_time` as earlier than now, and `end_time` as later than
`begin_time` and earlier than now. Each caller words a fault for its own reader (the
person asking, the operator, the API's own error body); the rule itself lives here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import Enum, auto
from typing import TypeVar

Bound = TypeVar("Bound", date, datetime)
NO_LEEWAY = timedelta(0)


class WindowFault(Enum):
    """What is wrong with a window's bounds."""

    STARTS_IN_THE_FUTURE = auto()
    ENDS_BEFORE_IT_STARTS = auto()
    EMPTY = auto()
    ENDS_IN_THE_FUTURE = auto()


def window_fault(
    begin: Bound | None,
    end: Bound | None,
    *,
    now: Bound | None = None,
    leeway: timedelta = NO_LEEWAY,
) -> WindowFault | None:
    """The first fault of the window from `begin` to `end` as seen at `now`, or None.

    A window may start at `now` (today, asked at midnight) but not after it, must end
    after it starts, and must not end after `now`. Without `now` only the order is
    checked. EMPTY is for those who need a window of some length (the API does): two
    equal days are one whole day, and the parser takes them. `leeway` is how far past
    `now` a bound may be and still count as now: the API's times are whole seconds.
    """
    if now is not None and begin is not None and begin > now + leeway:
        return WindowFault.STARTS_IN_THE_FUTURE
    if begin is not None and end is not None and end < begin:
        return WindowFault.ENDS_BEFORE_IT_STARTS
    if begin is not None and end is not None and end == begin:
        return WindowFault.EMPTY
    if now is not None and end is not None and end > now + leeway:
        return WindowFault.ENDS_IN_THE_FUTURE
    return None
