"""Every documented constraint is checked before a request is sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.params import ListBackupsParams
from bot.errors import InvalidRequest
from bot.huawei.wire import to_query

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
LAG = timedelta(seconds=60)
INSTANCE = "43e4feaab48f11e89039fa163ebaa7e4in07"
BACKUP = "c0c9f155c7b7423a9d30f0175998b63bbr07"


@pytest.mark.parametrize(
    ("values", "word"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"offset": -1}, "offset"),
        ({"backup_type": "incremental"}, "backup_type"),
        ({"name": "abc"}, "name"),
        ({"name": "a" * 65}, "name"),
        ({"name": "1backup"}, "name"),
        ({"name": "back up"}, "name"),
        ({"instance_name": "orders.prod"}, "instance_name"),
        ({"instance_name": "ord"}, "instance_name"),
        ({"instance_id": "43e4feaab48f11e89039fa163ebaa7e4"}, "instance_id"),
        ({"instance_id": INSTANCE + "x"}, "instance_id"),
        ({"backup_id": INSTANCE}, "backup_id"),
        ({"begin_time": datetime(2026, 11, 1)}, "begin_time"),
    ],
    ids=lambda value: str(value)[:40],
)
def test_static_rules_refuse_with_the_parameter_named(values: dict[str, object], word: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        ListBackupsParams.build(**values)
    assert word in caught.value.said


@pytest.mark.parametrize(
    "values",
    [
        {"limit": 1},
        {"limit": 100},
        {"offset": 0},
        {"backup_type": "auto"},
        {"backup_type": "manual"},
        {"name": "abcd"},
        {"name": "A" + "b" * 63},
        {"instance_name": "orders_prod-2"},
        {"instance_id": INSTANCE},
        {"instance_id": "43e4feaab48f11e89039fa163ebaa7e4in01"},
        {"backup_id": BACKUP},
    ],
    ids=lambda value: str(value)[:40],
)
def test_documented_values_are_accepted(values: dict[str, object]) -> None:
    ListBackupsParams.build(**values)


def test_begin_in_the_future_is_refused() -> None:
    params = ListBackupsParams(begin_time=NOW + timedelta(minutes=1))
    with pytest.raises(InvalidRequest, match="future"):
        params.checked_at(NOW, server_lag=LAG)


def test_end_in_the_future_is_refused() -> None:
    params = ListBackupsParams(end_time=NOW + timedelta(hours=1))
    with pytest.raises(InvalidRequest, match="future"):
        params.checked_at(NOW, server_lag=LAG)


def test_begin_must_precede_end() -> None:
    params = ListBackupsParams(begin_time=NOW - timedelta(days=1), end_time=NOW - timedelta(days=2))
    with pytest.raises(InvalidRequest, match="starts after it ends"):
        params.checked_at(NOW, server_lag=LAG)
    same = ListBackupsParams(begin_time=NOW - timedelta(days=1), end_time=NOW - timedelta(days=1))
    with pytest.raises(InvalidRequest):
        same.checked_at(NOW, server_lag=LAG)


def test_an_end_of_now_is_dropped_so_a_lagging_server_never_sees_the_future() -> None:
    params = ListBackupsParams(begin_time=NOW - timedelta(days=7), end_time=NOW)
    sent = params.checked_at(NOW, server_lag=LAG)
    assert sent.end_time is None
    assert sent.begin_time == params.begin_time


def test_an_end_older_than_the_lag_is_kept() -> None:
    params = ListBackupsParams(end_time=NOW - timedelta(minutes=5))
    assert params.checked_at(NOW, server_lag=LAG).end_time == params.end_time


def test_query_strings_are_what_the_api_documents() -> None:
    offset = datetime(2020, 7, 6, 10, 41, 14, tzinfo=UTC)
    params = ListBackupsParams(
        instance_id=INSTANCE, backup_type="auto", offset=0, limit=10, begin_time=offset
    )
    assert to_query(params) == [
        ("instance_id", INSTANCE),
        ("backup_type", "auto"),
        ("offset", "0"),
        ("limit", "10"),
        ("begin_time", "2020-07-06T10:41:14+0000"),
    ]
