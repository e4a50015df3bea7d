"""Whatever the official SDK's models accept in an instance listing or a backup policy,
backupbot reads without failing, and reads alike what health uses.

As `test_sdk_shapes.py` does for backups: rows are built from the SDK's own declarations
(`MysqlInstanceListInfo` and the models it nests, `BackupPolicy`) with values of each
declared type, null, and absent, and each body is read by the SDK's deserialiser (the
ground truth) and by backupbot. A row without an id is set aside and counted; a field
health uses that cannot be read is dropped and named; any other field is never read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx
import pytest
from huaweicloudsdkcore.client import Client

from bot.core.health.instances import BackupPolicy, PolicyUnreadable
from bot.huawei.inventory import read_instance_page, read_policy
from tests.huawei.test_sdk_shapes import ABSENT, SDK_MODELS, _types, _values, _with
from tests.oracle_health import created_of

ROW_MODEL = "MysqlInstanceListInfo"
PAGE_MODEL = "ListGaussMySqlInstancesResponse"
POLICY_MODEL = "BackupPolicy"
ANSWER_MODEL = "ShowGaussMySqlBackupPolicyResponse"
TIMES = ["2022-07-14T16:26:58+0800", "2024-01-01T00:00:00", "2024-01-01T00:00:00Z", "soon"]
HEALTH_FIELDS = ("id", "name", "status", "created")


def _typical(name: str, sdk_type: str) -> object:
    if name == "id":
        return "1" * 32 + "in07"
    if name in ("created", "updated"):
        return TIMES[0]
    if hasattr(SDK_MODELS, sdk_type):
        return {field: _typical(field, kind) for field, kind in _types(sdk_type).items()}
    if sdk_type.startswith("list["):
        return []
    return {"str": "x", "int": 7, "float": 1.5, "bool": True}[sdk_type]


def _variants(model: str) -> list[tuple[str, dict[str, object]]]:
    base = {field: _typical(field, kind) for field, kind in _types(model).items()}
    found = []
    for field, kind in _types(model).items():
        values = [*_values(field, kind)] if not kind.startswith("list[") else [ABSENT, None, []]
        if field in ("created", "updated"):
            values += TIMES
        for value in values:
            shown = "absent" if value is ABSENT else json.dumps(value, ensure_ascii=False)
            found.append((f"{field}={shown}"[:60], _with(base, field, value)))
    return found


ROWS = _variants(ROW_MODEL)
POLICIES = _variants(POLICY_MODEL)


def _sdk(body: Mapping[str, object], model: str) -> Any:
    client = Client()
    client.model_package = SDK_MODELS
    content = json.dumps(body, ensure_ascii=False).encode()
    response = httpx.Response(200, content=content, headers={"Content-Type": "application/json"})
    return client.deserialize(response, model, None)


@pytest.mark.parametrize("row", [row for _, row in ROWS], ids=[label for label, _ in ROWS])
def test_each_instance_row_the_sdk_accepts_is_read(row: dict[str, object]) -> None:
    body = {"instances": [row]}
    (sdk_row,) = _sdk(body, PAGE_MODEL).instances
    page = read_instance_page(json.dumps(body))
    if not sdk_row.id:
        assert (page.instances, page.unreadable) == ((), 1)
        return
    (instance,) = page.instances
    dropped = next((p.fields for p in page.problems if not p.skipped), ())
    assert set(dropped) <= set(HEALTH_FIELDS), "only what health uses is ever read"
    assert instance.id == sdk_row.id
    assert instance.name == (sdk_row.name or "")
    assert instance.status == (sdk_row.status or "")
    assert instance.created == created_of({"created": sdk_row.created})
    if sdk_row.created and instance.created is None:
        assert "created" in dropped, "dropped, and said"


def test_a_page_of_every_instance_variant_keeps_every_row_with_an_id() -> None:
    rows = [row for _, row in ROWS]
    for total in (ABSENT, None, len(rows)):
        body: dict[str, object] = {"instances": rows}
        if total is not ABSENT:
            body["total_count"] = total
        page = read_instance_page(json.dumps(body))
        sdk = _sdk(body, PAGE_MODEL)
        assert page.total_count == sdk.total_count
        assert len(page.instances) == sum(1 for row in sdk.instances if row.id)
        assert page.rows == len(rows)


@pytest.mark.parametrize(
    "policy", [policy for _, policy in POLICIES], ids=[label for label, _ in POLICIES]
)
def test_each_policy_the_sdk_accepts_is_read_alike(policy: dict[str, object]) -> None:
    body = {"backup_policy": policy}
    sdk = _sdk(body, ANSWER_MODEL).backup_policy
    read = read_policy(json.dumps(body))
    assert isinstance(read, BackupPolicy), read
    assert read.keep_days == sdk.keep_days
    assert read.start_time == (sdk.start_time or None)
    assert read.period == (sdk.period or None)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ({"keep_days": "abc"}, "not understood: keep_days 'abc' is not a whole number"),
        ({"period": [1, 2]}, "not understood: period [1, 2] is not text"),
        ({"start_time": {"at": 2}}, "not understood: start_time {'at': 2} is not text"),
    ],
)
def test_a_policy_value_that_cannot_be_read_makes_the_policy_unknown_in_plain_words(
    value: dict[str, object], reason: str
) -> None:
    policy = {"keep_days": 7, "start_time": "02:00-03:00", "period": "1,2,3", **value}
    assert read_policy(json.dumps({"backup_policy": policy})) == PolicyUnreadable(reason)
