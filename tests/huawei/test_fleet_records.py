"""The simulator's records have the real API's shape and values, as the SDK types them."""

from __future__ import annotations

import json
from collections import defaultdict

from bot.core.backup import BackupStatus
from bot.huawei.simulator import Fleet
from bot.huawei.simulator.records import LEVEL1_INSTANCES
from tests.conftest import NOW
from tests.huawei.test_sdk_shapes import ROW_MODEL, _check, _types

RECORDS = [stored.record for stored in Fleet.demo(NOW).backups]
ALWAYS = {"id", "name", "begin_time", "end_time", "status", "take_up_time", "type", "size"}
ALWAYS |= {"datastore", "instance_id", "instance_name", "backup_mode"}


def test_records_carry_only_fields_the_sdk_knows_and_always_the_usual_ones() -> None:
    known = set(_types(ROW_MODEL))
    for record in RECORDS:
        assert ALWAYS <= set(record) <= known


def test_the_sdk_and_backupbot_read_the_fleet_alike() -> None:
    page = _check(json.dumps({"backups": RECORDS, "total_count": len(RECORDS)}).encode())
    assert len(page.backups) == len(RECORDS)
    assert page.problems == ()


def test_sizes_are_fractional_megabytes_as_the_sdk_declares() -> None:
    good = [r for r in RECORDS if r["status"] in ("COMPLETED", "AVAILABLE")]
    assert all(isinstance(r["size"], float) for r in good)
    assert sum(r["size"] != int(r["size"]) for r in good) > len(good) / 2
    assert all(r["size"] == 0 for r in RECORDS if r["status"] in ("FAILED", "BUILDING"))


def test_backup_level_is_sent_only_for_instances_with_level_1_backups() -> None:
    for record in RECORDS:
        if record["instance_name"] not in LEVEL1_INSTANCES:
            assert "backup_level" not in record
            continue
        unfinished = record["status"] in ("FAILED", "BUILDING")
        assert record["backup_level"] == ("0" if unfinished else "2")
    assert any("backup_level" in record for record in RECORDS)


def test_description_is_sent_only_when_there_is_one() -> None:
    assert all(record.get("description", "x") != "" for record in RECORDS)
    assert all("description" in r for r in RECORDS if r["status"] == BackupStatus.FAILED)
    assert sum("description" in record for record in RECORDS) < len(RECORDS) / 4


def test_automated_backups_form_chains_of_seven_and_manual_ones_are_full() -> None:
    assert {r["backup_mode"] for r in RECORDS} == {"completed", "differential"}
    assert all(r["backup_mode"] == "completed" for r in RECORDS if r["type"] == "manual")
    modes: dict[str, list[str]] = defaultdict(list)
    for record in sorted(RECORDS, key=lambda r: r["begin_time"]):
        if record["type"] == "auto":
            modes[record["instance_name"]].append(record["backup_mode"])
    for sequence in modes.values():
        for start in range(len(sequence) - 7):
            assert sequence[start : start + 7].count("completed") == 1
