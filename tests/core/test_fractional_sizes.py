"""Sizes in MB as the API sends them, fractional or not, summed and shown sensibly."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.answering.summary import SPARKS, sparkline, summarise
from bot.core.backup import Backup, BackupStatus
from bot.core.human import human_size

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)


def _backup(index: int, size: float | None, status: BackupStatus) -> Backup:
    return Backup(
        id=f"{index:032d}br07",
        begin_time=NOW - timedelta(hours=index),
        status=status,
        size=size,
        instance_id="a" * 32 + "in07",
        instance_name="orders-prod",
    )


@pytest.mark.parametrize(
    ("megabytes", "text"),
    [
        (812.4, "812 MB"),
        (812.0, "812 MB"),
        (0.0, "0 MB"),
        (0.4, "0.4 MB"),
        (2.25, "2.2 MB"),
        (9.96, "10 MB"),
        (1023.4, "1023 MB"),
        (1023.6, "1.0 GB"),
        (2803.41, "2.7 GB"),
        (48213.37, "47.1 GB"),
        (49357.0, "48.2 GB"),
        (1e6, "976.6 GB"),
        (1363149.5, "1.3 TB"),
    ],
)
def test_fractional_sizes_are_shown_as_people_say_them(megabytes: float, text: str) -> None:
    assert human_size(megabytes) == text


@given(st.integers(0, 10**9))
def test_a_whole_number_of_megabytes_shows_the_same_as_an_int_or_a_float(megabytes: int) -> None:
    assert human_size(float(megabytes)) == human_size(megabytes)


def test_total_size_sums_fractional_sizes_of_good_backups() -> None:
    sizes = [48213.37, 48221.05, 0.01, 7]
    rows = [_backup(i, size, BackupStatus.COMPLETED) for i, size in enumerate(sizes, start=1)]
    rows.append(_backup(9, 9999.99, BackupStatus.FAILED))
    summary = summarise(rows, covered_since=None, complete=True)
    assert math.isclose(summary.total_size_mb, math.fsum(sizes))
    assert human_size(summary.total_size_mb) == "94.2 GB"
    assert summary.instances[0].sizes == (7, 0.01, 48221.05, 48213.37)


def test_a_trend_of_fractional_sizes_spans_the_scale() -> None:
    assert sparkline([100.5, 100.75, 101.0]) == SPARKS[0] + SPARKS[4] + SPARKS[7]
    assert sparkline([48213.37] * 4) == SPARKS[3] * 4
