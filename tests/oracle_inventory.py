"""Ground truth for the instance inventory as the API sends it: which instances an answer
judges, how it names them, and what it must say it could not read.

Independent of bot/ on purpose (see tests/oracle_truth.py), from the rules README states:
the listing is read row by row; a row without an id stands for no listed instance, and
an instance the backups show but the listing does not is judged too (by the threshold,
its policy unknown); instances of one name are told apart by the last 8 characters of
their ids; what the listing could not say of the instances judged (a status that is
null or not text, a creation time or a name that cannot be read, rows without an id) is
said once, in one note.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tests.oracle_health import Box, created_of

HEALTH_READ = timedelta(days=14)  # the backups health reads: its instances, none named
TAIL = 8
FIELD_WORDS = {"status": "status", "created": "creation time", "name": "name"}
Listed = tuple[Mapping[str, Any], Mapping[str, Any] | None]  # a record, its policy or None


def _unread(record: Mapping[str, Any]) -> frozenset[str]:
    """The fields health uses that the record does not give readably."""
    found = set()
    status = record.get("status")
    if not isinstance(status, str | int | float) or not str(status).strip():
        found.add("status")
    created = record.get("created")
    if created not in (None, "") and created_of(record) is None:
        found.add("created")
    name = record.get("name")
    if name is not None and not isinstance(name, str | int | float):
        found.add("name")
    return frozenset(found)


@dataclass(frozen=True)
class Inventory:
    """The listing as read: each instance with an id (by id), its unreadable fields, and
    how many rows had no id."""

    boxes: Mapping[str, Box]
    unread: Mapping[str, frozenset[str]]
    skipped: int

    @classmethod
    def of(cls, listed: Iterable[Listed]) -> Inventory:
        boxes: dict[str, Box] = {}
        unread: dict[str, frozenset[str]] = {}
        skipped = 0
        for record, policy in listed:
            if not isinstance(record.get("id"), str) or not record["id"]:
                skipped += 1
                continue
            boxes.setdefault(record["id"], Box.of(record, policy))
            unread[record["id"]] = _unread(record)
        return cls(boxes, unread, skipped)


def unlisted_boxes(inventory: Inventory, seen: Iterable[tuple[str, str]]) -> dict[str, Box]:
    """The instances backups show (id, name) that the listing does not: policy unknown."""
    return {
        instance_id: Box(instance_id, name, "", None, None)
        for instance_id, name in seen
        if instance_id not in inventory.boxes
    }


def labels(boxes: Sequence[Box]) -> dict[str, str]:
    """How an answer judging `boxes` names each one, by id."""
    names: dict[str, int] = {}
    for box in boxes:
        names[box.name or box.id] = names.get(box.name or box.id, 0) + 1
    return {
        box.id: f"{box.name or box.id} (…{box.id[-TAIL:]})"
        if names[box.name or box.id] > 1
        else box.name or box.id
        for box in boxes
    }


def listing_note(
    inventory: Inventory, judged: Sequence[Box], *, named: bool
) -> dict[str, int] | None:
    """What the one note about the listing counts (the field's words, or "without an id",
    and how many), None when there is nothing to say."""
    counts: dict[str, int] = {}
    unlisted = False
    for box in judged:
        if box.id not in inventory.boxes:
            unlisted = True
            continue
        for field in inventory.unread.get(box.id, ()):
            word = FIELD_WORDS[field]
            counts[word] = counts.get(word, 0) + 1
    if inventory.skipped and (not named or unlisted):
        counts["without an id"] = inventory.skipped
    return counts or None


def in_health_read(begin: datetime, now: datetime) -> bool:
    """Whether a backup that began at `begin` is among those health reads."""
    return now - HEALTH_READ <= begin <= now
