"""The response models accept what real responses contain, contradictions included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from bot.core.backup import Backup, BackupStatus
from bot.huawei.page import read_page

# Verbatim from the API reference's "Example Response" (../shared/reference/).
REFERENCE_EXAMPLE = """
{
  "backups" : [ {
    "id" : "1fe4feaab48f11e6654hfa163eba87e4b66u",
    "name" : "TaurusDB-gauss-e747-20200705185048266",
    "begin_time" : "2018-08-06T12:41:14+0800",
    "end_time" : "2018-08-06T12:45:14+0800",
    "take_up_time" : 2,
    "status" : "COMPLETED",
    "type" : "auto",
    "size" : 2803,
    "datastore" : {
      "type" : "GaussDB(for MySQL)",
      "version" : "8.0"
    },
    "instance_id" : "43e4feaab48f11e89039fa163ebaa7e4br01",
    "instance_name" : "TaurusDB-gauss-e747",
    "backup_level" : "2"
  } ],
  "total_count" : 1
}
"""


def test_reference_example_response_parses_verbatim() -> None:
    page = read_page(REFERENCE_EXAMPLE)
    assert page.total_count == 1
    backup = page.backups[0]
    assert backup.id == "1fe4feaab48f11e6654hfa163eba87e4b66u"
    assert backup.status is BackupStatus.COMPLETED
    assert backup.begin_time == datetime(2018, 8, 6, 4, 41, 14, tzinfo=UTC)
    assert backup.begin_time.utcoffset() == timedelta(hours=8)
    assert backup.end_time is not None
    assert backup.end_time - backup.begin_time == timedelta(minutes=4)
    assert backup.datastore is not None
    assert backup.datastore.type == "GaussDB(for MySQL)"
    assert backup.instance_id.endswith("br01")
    assert backup.backup_level == "2"
    assert backup.size == 2803
    assert backup.backup_mode is None


def test_a_fractional_size_as_the_sdk_declares_it_is_read() -> None:
    page = read_page(REFERENCE_EXAMPLE.replace('"size" : 2803', '"size" : 2803.41'))
    assert page.backups[0].size == 2803.41
    assert page.unreadable == 0


def test_newer_fields_are_kept_not_rejected() -> None:
    backup = Backup.model_validate(
        {"id": "x", "begin_time": "2026-11-01T01:00:00+0000", "backup_mode": "full", "zone": "az1"}
    )
    assert backup.backup_mode == "full"
    assert backup.extra_fields == {"zone": "az1"}


def test_loose_values_are_tolerated() -> None:
    backup = Backup.model_validate(
        {
            "id": "x",
            "begin_time": "2026-11-01T01:00:00Z",
            "end_time": "",
            "status": "available",
            "backup_level": 1,
            "datastore": {"type": "gaussdb-mysql", "version": 8.0},
        }
    )
    assert backup.end_time is None
    assert backup.status is BackupStatus.AVAILABLE
    assert backup.backup_level == "1"
    assert backup.datastore is not None
    assert backup.datastore.version == "8.0"


def test_unknown_status_is_unknown_to_reason_with_and_shown_as_it_came() -> None:
    backup = Backup.model_validate(
        {"id": "x", "begin_time": "2026-11-01T09:00:00+08:00", "status": "DELETING"}
    )
    assert backup.status is BackupStatus.UNKNOWN
    assert backup.status_label == "DELETING"
    assert backup.model_dump(mode="json")["status"] == "DELETING"
    assert backup.begin_time.tzinfo == timezone(timedelta(hours=8))


def test_known_status_is_shown_by_its_name_whatever_its_case() -> None:
    backup = Backup.model_validate(
        {"id": "x", "begin_time": "2026-11-01T09:00:00Z", "status": "completed"}
    )
    assert backup.status is BackupStatus.COMPLETED
    assert backup.status_label == "COMPLETED"


def test_a_missing_status_is_shown_as_unknown() -> None:
    backup = Backup.model_validate({"id": "x", "begin_time": "2026-11-01T09:00:00Z"})
    assert backup.status_label == "UNKNOWN"


def test_good_statuses_are_completed_and_available() -> None:
    assert {status for status in BackupStatus if status.is_good} == {
        BackupStatus.COMPLETED,
        BackupStatus.AVAILABLE,
    }
