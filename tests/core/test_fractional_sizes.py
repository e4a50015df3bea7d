"""Sizes in MB as the API sends them, fractional or not, summed and shown sensibly."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import messages
from bot.core.answering.summary import SPARKS, sparkline, summarise
from bot.core.backup import Backup, BackupStatus
from bot.core.human import human_size
from bot.messages import catalogue
from bot.messages.catalogue import speaking

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


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_english_sizes_read_as_they_always_did(megabytes: float) -> None:
    """Babel writes the number now; in English the digits are Python's f-string's."""
    if round(megabytes) < 1024:
        small = megabytes != int(megabytes) and round(megabytes, 1) < 10
        expected = f"{megabytes:.1f} MB" if small else f"{megabytes:.0f} MB"
    elif round(megabytes / 1024, 1) < 1024:
        expected = f"{megabytes / 1024:.1f} GB"
    else:
        expected = f"{megabytes / 1024 / 1024:.1f} TB"
    assert human_size(megabytes) == expected


def test_sizes_and_counts_are_written_by_the_catalogue() -> None:
    """The pseudo-locale wraps what the catalogue writes: a size's unit word and a count's
    sentence are the reader's, and Babel groups the count ('1,234' in English and Chinese)."""
    with speaking("en-XA"):
        shown = human_size(49356.8)
    assert shown.startswith("⟦48.2 GB"), shown
    with speaking("zh-CN"):
        counted = messages.counted(1234, "ok")
    assert "1,234" in counted
    assert catalogue.english(counted) == "1,234 ok"
