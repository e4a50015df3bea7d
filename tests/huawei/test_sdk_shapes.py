"""Whatever the official SDK's response models accept, backupbot reads, and reads alike.

Rows are built from the SDK's own declarations (`openapi_types` of `Backups`, of
`MysqlDatastoreInBackup` and of `ShowGaussMySqlBackupListResponse`) with values of each
declared type, null, and absent: a field a newer SDK adds is covered without touching
this file. Each body is read twice, by the SDK's own deserialiser (the ground truth)
and by backupbot, and the two must agree. The one thing backupbot may refuse is a row
it cannot place: no id, or a start time that is not a time; such a row is counted.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from huaweicloudsdkcore.client import Client

from bot.core.backup import Backup, BackupStatus
from bot.huawei.page import BackupPage, read_page
from tests.huawei.test_models import REFERENCE_EXAMPLE

SDK_MODELS = importlib.import_module("huaweicloudsdkgaussdb.v3.model")
ROW_MODEL = "Backups"
PAGE_MODEL = "ShowGaussMySqlBackupListResponse"
ABSENT = object()
# Values of each type the SDK declares (it types times as plain strings).
SAMPLES: dict[str, list[object]] = {
    "str": ["", "x", "备份 ünïcode 🙂", "DELETING"],
    "int": [0, 7, 2_147_483_648],
    "float": [0, 1, 2803.41, 1e6, 0.01, 48213.37],
    "bool": [False, True],
}
# The SDK's `str` times, as the reference writes them and as ISO 8601 allows; then strings
# that look like times but are not the reference's (no offset: no moment).
TIMES = ["2018-08-06T12:41:14+0800", "2026-11-01T01:00:00Z", "2026-11-01T09:00:00+08:00"]
NOT_TIMES = ["2026-11-01T09:00:00", "2026-11-01"]
TIME_FIELDS = frozenset({"begin_time", "end_time"})
KNOWN_STATUSES = frozenset(s.value for s in BackupStatus if s is not BackupStatus.UNKNOWN)


def _types(model: str) -> dict[str, str]:
    types: dict[str, str] = getattr(SDK_MODELS, model).openapi_types
    return types


def _is_model(sdk_type: str) -> bool:
    return hasattr(SDK_MODELS, sdk_type)


def _typical(name: str, sdk_type: str) -> object:
    """A plausible value of a field, for the row every variant starts from."""
    if name in TIME_FIELDS:
        return TIMES[0]
    if name == "id":
        return "1fe4feaab48f11e6654hfa163eba87e4br07"
    if _is_model(sdk_type):
        return {field: _typical(field, kind) for field, kind in _types(sdk_type).items()}
    return SAMPLES[sdk_type][1]


def _values(name: str, sdk_type: str) -> Iterator[object]:
    """Every value a field may take by the SDK's declaration, null and absent included."""
    yield ABSENT
    yield None
    if name in TIME_FIELDS:
        yield from TIMES
        yield from NOT_TIMES
    if _is_model(sdk_type):
        base = _typical(name, sdk_type)
        assert isinstance(base, dict)
        yield {}
        for field, kind in _types(sdk_type).items():
            for value in _values(field, kind):
                yield _with(base, field, value)
    else:
        yield from SAMPLES[sdk_type]


def _with(base: dict[str, object], field: str, value: object) -> dict[str, object]:
    row = dict(base)
    if value is ABSENT:
        row.pop(field, None)
    else:
        row[field] = value
    return row


BASE_ROW = {field: _typical(field, kind) for field, kind in _types(ROW_MODEL).items()}
LABELLED = [
    (f"{field}={'absent' if value is ABSENT else json.dumps(value, ensure_ascii=False)}",
     _with(BASE_ROW, field, value))
    for field, kind in _types(ROW_MODEL).items()
    for value in _values(field, kind)
]  # fmt: skip
VARIANTS = [row for _, row in LABELLED]


def _body(rows: list[dict[str, object]], total: object = ABSENT) -> bytes:
    page: dict[str, object] = {"backups": rows}
    if total is not ABSENT:
        page["total_count"] = total
    return json.dumps(page, ensure_ascii=False).encode()


def _sdk_read(body: bytes) -> Any:
    """The body as the official SDK deserialises it into its response model."""
    client = Client()
    client.model_package = SDK_MODELS
    response = httpx.Response(200, content=body, headers={"Content-Type": "application/json"})
    return client.deserialize(response, PAGE_MODEL, None)


def _time(text: object) -> datetime | None:
    """The reference's time format, read by the standard library: the oracle for times."""
    if not isinstance(text, str):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None


def _placeable(sdk_row: Any) -> bool:
    return bool(sdk_row.id) and _time(sdk_row.begin_time) is not None


def _agree(ours: Any, sdk: Any, *, field: str, sdk_type: str, dropped: tuple[str, ...]) -> None:
    """One field as backupbot read it against the same field as the SDK read it."""
    if field == "status":
        expected = sdk.upper() if sdk and sdk.upper() in KNOWN_STATUSES else (sdk or "UNKNOWN")
        assert ours == expected, field
    elif field in TIME_FIELDS:
        moment = _time(sdk)
        assert ours == moment, field
        assert moment is not None or not sdk or field in dropped, f"{field} dropped silently"
    elif _is_model(sdk_type):
        if sdk is None:
            assert ours is None, field
            return
        assert ours is not None, field
        for sub, kind in _types(sdk_type).items():
            mine = getattr(ours, sub, None)
            if mine is None and ours.model_extra:
                mine = ours.model_extra.get(sub)
            _agree(mine, getattr(sdk, sub), field=sub, sdk_type=kind, dropped=())
    elif sdk_type == "str":
        assert (ours or None) == (sdk or None), field  # "" and absent read alike
    else:
        assert ours == sdk, field


def _check(body: bytes) -> BackupPage:
    """Read `body` both ways; every row the SDK reads is read alike or counted as unreadable."""
    page = read_page(body)
    sdk_page = _sdk_read(body)
    sent = json.loads(body).get("backups") or []
    sdk_rows = sdk_page.backups or []
    assert len(sent) == len(sdk_rows)
    assert page.total_count == sdk_page.total_count
    placed = [
        (row, sdk_row) for row, sdk_row in zip(sent, sdk_rows, strict=True) if _placeable(sdk_row)
    ]
    unplaced = [row for row, sdk_row in zip(sent, sdk_rows, strict=True) if not _placeable(sdk_row)]
    assert page.unreadable == len(unplaced)
    assert [p.row for p in page.problems if p.skipped] == unplaced, "kept as they came"
    assert len(page.backups) == len(placed)
    for backup, (row, sdk_row) in zip(page.backups, placed, strict=True):
        dropped = next((p.fields for p in page.problems if not p.skipped and p.row == row), ())
        for field, kind in _types(ROW_MODEL).items():
            if field == "status":
                ours: object = backup.status_label
            elif field in Backup.model_fields:
                ours = getattr(backup, field)
            else:  # a field this SDK knows and backupbot does not: kept as it came
                ours = backup.extra_fields.get(field)
            _agree(ours, getattr(sdk_row, field), field=field, sdk_type=kind, dropped=dropped)
    return page


@pytest.mark.parametrize("row", VARIANTS, ids=[label[:60] for label, _ in LABELLED])
def test_each_row_the_sdk_accepts_is_read_as_the_sdk_reads_it(row: dict[str, object]) -> None:
    _check(_body([row], total=1))


def test_a_page_of_every_variant_at_once_loses_only_the_rows_that_cannot_be_placed() -> None:
    page = _check(_body(VARIANTS, total=len(VARIANTS)))
    assert 0 < page.unreadable < len(VARIANTS) / 5, "most variants are read, a few cannot be"


@pytest.mark.parametrize("total", [ABSENT, None, *SAMPLES[_types(PAGE_MODEL)["total_count"]]])
@pytest.mark.parametrize(
    "rows", [ABSENT, None, [], [BASE_ROW]], ids=["absent", "null", "empty", "one"]
)
def test_every_envelope_the_sdk_accepts_is_read(total: object, rows: object) -> None:
    page: dict[str, object] = {}
    if rows is not ABSENT:
        page["backups"] = rows
    if total is not ABSENT:
        page["total_count"] = total
    _check(json.dumps(page).encode())


def test_the_reference_example_and_its_float_size_are_read_as_the_sdk_reads_them() -> None:
    fractional = REFERENCE_EXAMPLE.replace('"size" : 2803', '"size" : 2803.41')
    for body in (REFERENCE_EXAMPLE, fractional):
        page = _check(body.encode())
        assert len(page.backups) == 1


def test_the_declarations_are_those_of_a_backup_list() -> None:
    """Guards the test itself: a renamed SDK model must fail here, not pass vacuously."""
    assert _types(PAGE_MODEL)["backups"] == f"list[{ROW_MODEL}]"
    assert {"id", "begin_time", "status", "size"} <= set(_types(ROW_MODEL))
    assert _types(ROW_MODEL)["size"] == "float"
    assert len(VARIANTS) > 50
