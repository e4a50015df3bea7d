"""The summary an on-call engineer reads first: counts, failures, size, the slowest, health."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.answering.summary import (
    SPARKS,
    InstanceSummary,
    Summary,
    sparkline,
    summarise,
)
from bot.core.backup import Backup, BackupStatus
from bot.core.human import human_age, human_duration, human_size

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)
FAILED = BackupStatus.FAILED
BUILDING = BackupStatus.BUILDING
COMPLETED = BackupStatus.COMPLETED
AVAILABLE = BackupStatus.AVAILABLE
UNKNOWN = BackupStatus.UNKNOWN
ORDERS = ("a" * 32 + "in07", "orders-prod")
BILLING = ("b" * 32 + "in07", "billing-db")
AUDIT = ("c" * 32 + "in07", "audit-log")

_serial = iter(range(1, 10**6))


def backup(
    hours_ago: float,
    status: BackupStatus = COMPLETED,
    *,
    instance: tuple[str, str] = ORDERS,
    size: int | None = 100,
    minutes: int | None = 10,
    backup_id: str | None = None,
) -> Backup:
    """A backup of `instance` begun `hours_ago` before NOW."""
    number = next(_serial)
    return Backup(
        id=backup_id or f"{number:032d}br07",
        name=f"backup-{number}",
        begin_time=NOW - timedelta(hours=hours_ago),
        status=status,
        take_up_time=minutes,
        type="auto",
        size=size,
        instance_id=instance[0],
        instance_name=instance[1],
    )


def newest_first(backups: Sequence[Backup]) -> list[Backup]:
    return sorted(backups, key=lambda b: b.begin_time, reverse=True)


def run(
    backups: Sequence[Backup], *, covered_since: datetime | None = None, complete: bool = True
) -> Summary:
    return summarise(newest_first(backups), covered_since=covered_since, complete=complete)


def summary_of(summary: Summary, instance: tuple[str, str]) -> InstanceSummary:
    (found,) = (i for i in summary.instances if i.instance_id == instance[0])
    return found


# --- counts, failures, size, slowest ----------------------------------------------------


def test_counts_follow_the_fixed_status_order_and_skip_zeros() -> None:
    summary = run(
        [
            backup(1, AVAILABLE),
            backup(2, COMPLETED),
            backup(3, FAILED),
            backup(4, AVAILABLE),
            backup(5, BUILDING),
            backup(6, FAILED),
            backup(7, FAILED),
        ]
    )
    assert summary.counts == ((FAILED, 3), (BUILDING, 1), (COMPLETED, 1), (AVAILABLE, 2))
    assert summary.total == 7
    assert summary.count(FAILED) == 3
    assert summary.count(UNKNOWN) == 0


def test_counts_without_failures_start_with_the_next_status() -> None:
    summary = run([backup(1, AVAILABLE), backup(2, BUILDING)])
    assert summary.counts == ((BUILDING, 1), (AVAILABLE, 1))
    assert summary.count(FAILED) == 0


def test_unknown_statuses_are_counted_last() -> None:
    summary = run([backup(1, UNKNOWN), backup(2, FAILED), backup(3, COMPLETED)])
    assert summary.counts == ((FAILED, 1), (COMPLETED, 1), (UNKNOWN, 1))


def test_no_backups_summarise_to_nothing() -> None:
    summary = run([])
    assert summary.counts == ()
    assert summary.total == 0
    assert summary.total_size_mb == 0
    assert summary.failures == ()
    assert summary.slowest == ()
    assert summary.instances == ()


def test_failures_are_listed_newest_first() -> None:
    old, middle, new = backup(30, FAILED), backup(5, FAILED, instance=BILLING), backup(1, FAILED)
    summary = run([middle, backup(2), old, new, backup(3, instance=BILLING)])
    assert summary.failures == (new, middle, old)


def test_total_size_counts_only_good_backups() -> None:
    summary = run(
        [
            backup(1, COMPLETED, size=100),
            backup(2, AVAILABLE, size=250),
            backup(3, FAILED, size=4000),
            backup(4, BUILDING, size=900),
            backup(5, UNKNOWN, size=50),
            backup(6, AVAILABLE, size=None),
        ]
    )
    assert summary.total_size_mb == 350


def test_slowest_are_the_three_longest_longest_first() -> None:
    rows = [backup(hours, minutes=minutes) for hours, minutes in enumerate([5, 50, 7, 90, 30, 1])]
    summary = run(rows)
    assert [b.take_up_time for b in summary.slowest] == [90, 50, 30]


def test_slowest_skip_backups_without_a_duration_and_break_ties_by_id() -> None:
    rows = [
        backup(1, minutes=None),
        backup(2, minutes=0),
        backup(3, minutes=20, backup_id="b" * 32 + "br07"),
        backup(4, minutes=20, backup_id="a" * 32 + "br07"),
    ]
    summary = run(rows)
    assert [b.id for b in summary.slowest] == ["a" * 32 + "br07", "b" * 32 + "br07"]


def test_slowest_count_failed_backups_too() -> None:
    slow_failure = backup(1, FAILED, minutes=300)
    assert run([slow_failure, backup(2, minutes=10)]).slowest[0] == slow_failure


def test_summary_keeps_coverage_and_completeness() -> None:
    since = NOW - timedelta(days=7)
    summary = run([backup(1)], covered_since=since, complete=False)
    assert summary.covered_since == since
    assert summary.complete is False


# --- each instance's share of the rows ------------------------------------------------


def test_each_instance_gets_its_counts() -> None:
    rows = [
        backup(1, FAILED),
        backup(2, BUILDING),
        backup(3, AVAILABLE),
        backup(10, COMPLETED),
        backup(15, FAILED, instance=BILLING),
        backup(20, COMPLETED, instance=BILLING),
    ]
    summary = run(rows)
    orders, billing = summary_of(summary, ORDERS), summary_of(summary, BILLING)
    assert (orders.name, orders.backups, orders.failed) == ("orders-prod", 4, 1)
    assert (billing.name, billing.backups, billing.failed) == ("billing-db", 2, 1)


def test_instance_sizes_are_its_good_backups_oldest_first() -> None:
    rows = [backup(1, size=300), backup(2, FAILED, size=9999), backup(3, size=200), backup(4)]
    assert summary_of(run(rows), ORDERS).sizes == (100, 200, 300)


def test_instances_are_told_apart_by_id_and_named_by_name() -> None:
    twin = (ORDERS[0][:-4] + "in01", ORDERS[1])  # same name, another id
    rows = [backup(1), backup(2, instance=twin)]
    assert len(run(rows).instances) == 2
    assert {i.name for i in run(rows).instances} == {"orders-prod"}


def test_an_instance_without_a_name_is_named_by_its_id() -> None:
    rows = [backup(1, instance=(ORDERS[0], ""))]
    assert run(rows).instances[0].name == ORDERS[0]


def test_instances_with_most_failures_come_first_then_by_name() -> None:
    rows = [
        backup(1, FAILED, instance=AUDIT),
        backup(1, FAILED, instance=BILLING),
        backup(2, FAILED, instance=BILLING),
        backup(1, instance=ORDERS),
    ]
    assert [i.name for i in run(rows).instances] == ["billing-db", "audit-log", "orders-prod"]


# --- sparkline --------------------------------------------------------------------------


@pytest.mark.parametrize("values", [[], [5], [5, 9]], ids=["none", "one", "two"])
def test_sparkline_needs_three_values(values: list[int]) -> None:
    assert sparkline(values) == ""


def test_sparkline_of_flat_values_is_a_flat_middle_line() -> None:
    assert sparkline([7, 7, 7, 7]) == SPARKS[3] * 4


def test_sparkline_spans_the_whole_scale() -> None:
    assert sparkline(list(range(8))) == SPARKS
    assert sparkline([0, 5, 10]) == SPARKS[0] + SPARKS[4] + SPARKS[7]


@pytest.mark.parametrize(
    "values",
    [[1, 2, 3], [100, 250, 251, 400, 1000], [10**12, 10**12 + 1, 10**12 + 3], list(range(50))],
    ids=["small", "uneven", "huge", "long"],
)
def test_rising_values_start_lowest_and_end_with_the_highest_block(values: list[int]) -> None:
    line = sparkline(values)
    assert line[0] == SPARKS[0]
    assert line[-1] == SPARKS[-1]
    assert list(line) == sorted(line, key=SPARKS.index)


def test_falling_values_end_with_the_lowest_block() -> None:
    assert sparkline([9, 5, 1]) == SPARKS[7] + SPARKS[4] + SPARKS[0]


def test_sparkline_shows_only_the_last_width_values() -> None:
    values = [1000] * 10 + list(range(14))
    line = sparkline(values)
    assert len(line) == 14
    assert line == sparkline(list(range(14)))
    assert sparkline(values, width=5) == sparkline([9, 10, 11, 12, 13])
    assert len(sparkline(values, width=3)) == 3


def test_sparkline_with_a_width_under_three_is_empty() -> None:
    assert sparkline([1, 2, 3, 4], width=2) == ""


def test_sparkline_of_width_zero_is_empty() -> None:
    assert sparkline([1, 2, 3, 4], width=0) == ""


# --- human units ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("megabytes", "text"),
    [
        (0, "0 MB"),
        (812, "812 MB"),
        (1023, "1023 MB"),
        (1024, "1.0 GB"),
        (1536, "1.5 GB"),
        (49357, "48.2 GB"),
        (1024 * 1024, "1.0 TB"),
        (1363149, "1.3 TB"),
    ],
)
def test_human_size(megabytes: int, text: str) -> None:
    assert human_size(megabytes) == text


@pytest.mark.parametrize("megabytes", [1048525, 1048575])
def test_human_size_just_under_a_terabyte_does_not_show_1024_gb(megabytes: int) -> None:
    assert human_size(megabytes) != "1024.0 GB"


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (timedelta(0), "0 s"),
        (timedelta(seconds=-30), "0 s"),
        (timedelta(seconds=45), "45 s"),
        (timedelta(seconds=89), "89 s"),
        (timedelta(seconds=89, milliseconds=999), "89 s"),
        (timedelta(seconds=90), "1 min"),
        (timedelta(minutes=12), "12 min"),
        (timedelta(minutes=89, seconds=59), "89 min"),
        (timedelta(minutes=90), "1 h"),
        (timedelta(hours=5), "5 h"),
        (timedelta(hours=47, minutes=59, seconds=59), "47 h"),
        (timedelta(hours=48), "2 d"),
        (timedelta(days=3, hours=23), "3 d"),
        (timedelta(days=400), "400 d"),
    ],
    ids=str,
)
def test_human_age(age: timedelta, text: str) -> None:
    assert human_age(age) == text


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (None, "-"),
        (0, "0 min"),
        (7, "7 min"),
        (59, "59 min"),
        (60, "1 h 00 min"),
        (125, "2 h 05 min"),
        (1439, "23 h 59 min"),
        (1500, "25 h 00 min"),
    ],
    ids=str,
)
def test_human_duration(minutes: int | None, text: str) -> None:
    assert human_duration(minutes) == text
