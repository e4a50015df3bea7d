"""Restorable ranges: merged, searched, and the gaps between them.

The API answers a list of `[start, end]` (ms, UTC) that may overlap or touch; a point is
restorable when some range holds it, edges included.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, order=True)
class Span:
    """One restorable range, both ends included, in UTC."""

    start: datetime
    end: datetime

    def holds(self, moment: datetime) -> bool:
        """Whether `moment` is inside, edges included."""
        return self.start <= moment <= self.end


@dataclass(frozen=True)
class Gap:
    """Time nothing can be restored to, between two ranges (both ends excluded)."""

    after: datetime
    before: datetime


def merged(spans: Iterable[Span]) -> tuple[Span, ...]:
    """The ranges in order, those that overlap or touch made one; reversed ones dropped."""
    result: list[Span] = []
    for span in sorted(span for span in spans if span.start <= span.end):
        if result and span.start <= result[-1].end:
            last = result[-1]
            result[-1] = Span(last.start, max(last.end, span.end))
        else:
            result.append(span)
    return tuple(result)


def holding(spans: tuple[Span, ...], moment: datetime) -> Span | None:
    """The merged range holding `moment`, if any."""
    index = bisect.bisect_right([span.start for span in spans], moment) - 1
    return spans[index] if index >= 0 and spans[index].holds(moment) else None


def before(spans: tuple[Span, ...], moment: datetime) -> Span | None:
    """The last merged range that ends before `moment`."""
    earlier = [span for span in spans if span.end < moment]
    return earlier[-1] if earlier else None


def after(spans: tuple[Span, ...], moment: datetime) -> Span | None:
    """The first merged range that starts after `moment`."""
    return next((span for span in spans if span.start > moment), None)


def gaps(spans: tuple[Span, ...]) -> tuple[Gap, ...]:
    """The gaps between merged ranges, oldest first."""
    return tuple(Gap(one.end, two.start) for one, two in itertools.pairwise(spans))
