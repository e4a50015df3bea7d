"""Ground truth for restore answers: random questions, and what their answers must say.

Independent of bot/: the point is found by searching instants (UTC turned into the
asker's wall time, never the reverse), the ranges are the simulator's own story, the
base backup is picked from the fleet's records, the tables are the story's schema.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.huawei.simulator import Fleet
from bot.huawei.simulator.records import instance_id_for
from bot.huawei.simulator.restore_story import (
    CREATED_TABLE,
    DROPPED_TABLE,
    GAP_INSTANCE,
    SCHEMA,
    story,
    tables_at,
)

USERS = {
    "U0RNEWYORK": "America/New_York",
    "U0RLONDON": "Europe/London",
    "U0RSHANGHAI": "Asia/Shanghai",
    "U0RUTC": "UTC",
}
INSTANCES = ("orders-prod", GAP_INSTANCE, "legacy-crm", "ledger-prod")
# Wall times the clocks skipped or repeated in the fleet's ranges (2026).
CHANGE_DAYS = {"America/New_York": date(2026, 11, 1), "Europe/London": date(2026, 10, 25)}
SKIPPED = {"America/New_York": "2026-03-08 02:30", "Europe/London": "2026-03-29 01:30"}
SECOND = timedelta(seconds=1)


@dataclass(frozen=True)
class Expected:
    """What the answer must say: the point (None: a refusal with `refusal` in it)."""

    words: str
    user: str
    point: datetime | None
    refusal: str = ""


def wall_instants(day: date, at: time, zone: ZoneInfo) -> list[datetime]:
    """Every instant whose wall time in `zone` is `day` `at`, found by search."""
    start = datetime.combine(day, time(0), tzinfo=UTC) - timedelta(hours=16)
    found = []
    moment = start
    while moment < start + timedelta(hours=48):
        wall = moment.astimezone(zone)
        if wall.date() == day and (wall.hour, wall.minute) == (at.hour, at.minute):
            found.append(moment)
        moment += timedelta(minutes=1)
    return found


def latest_passed(at: time, zone: ZoneInfo, now: datetime) -> datetime:
    moment = now.replace(second=0, microsecond=0)
    while True:
        wall = moment.astimezone(zone)
        if (wall.hour, wall.minute) == (at.hour, at.minute):
            return moment
        moment -= timedelta(minutes=1)


def edges(fleet: Fleet, name: str, now: datetime) -> list[datetime]:
    """Points at and just beyond each range's edges, and before the earliest."""
    spans = story(fleet, instance_id_for(name), now).spans
    points = []
    for start, end in spans:
        points += [start, end, start - SECOND, end - SECOND, start + SECOND]
        if end + SECOND <= now:
            points.append(end + SECOND)
    if spans:
        points.append(spans[0][0] - timedelta(days=3))
    return [point.replace(microsecond=0) for point in points]


def random_question(rng: random.Random, fleet: Fleet, now: datetime) -> Expected:
    """One question, and its truth."""
    user = rng.choice(sorted(USERS))
    zone = ZoneInfo(USERS[user])
    name = rng.choice(INSTANCES)
    kind = rng.randrange(7)
    if kind == 0:  # exactly at, or a second off, a range's edge, written in UTC
        point = rng.choice(edges(fleet, name, now))
        words, truth = f"restore {name} {point:%Y-%m-%dT%H:%M:%S}Z", point
    elif kind == 1:  # a time without a date
        at = time(rng.randrange(24), rng.randrange(60))
        words, truth = f"restore {name} {at:%H:%M}", latest_passed(at, zone, now)
    elif kind == 2:  # yesterday, in the asker's zone
        at = time(rng.randrange(24), rng.randrange(60))
        day = now.astimezone(zone).date() - timedelta(days=1)
        found = wall_instants(day, at, zone)
        words = f"restore {name} yesterday {at:%H:%M}"
        if not found:
            return Expected(words, user, None, "did not happen")
        truth = min(found)
    elif kind == 3:  # a day the asker's clocks changed (or any day, elsewhere)
        day = CHANGE_DAYS.get(zone.key, (now - timedelta(days=rng.randrange(1, 40))).date())
        at = time(rng.choice((0, 1, 2, 3)), rng.choice((0, 30, 59)))
        found = wall_instants(day, at, zone)
        words = f"restore {name} {day.isoformat()} {at:%H:%M}"
        if not found:
            return Expected(words, user, None, "did not happen")
        truth = min(found)
    elif kind == 5:  # tomorrow, in the asker's zone: the future
        day = now.astimezone(zone).date() + timedelta(days=1)
        return Expected(f"restore {name} {day.isoformat()} 00:01", user, None, "is in the future")
    elif kind == 6 and zone.key in SKIPPED:  # a wall time the clocks skipped
        return Expected(f"restore {name} {SKIPPED[zone.key]}", user, None, "did not happen")
    else:  # a random moment of the last 60 days with an offset
        offset = timedelta(hours=rng.randrange(-11, 13))
        truth = (now - timedelta(seconds=rng.randrange(60, 60 * 86400))).replace(microsecond=0)
        local = truth.astimezone(UTC) + offset
        sign = "+" if offset >= timedelta(0) else "-"
        hours = abs(int(offset.total_seconds())) // 3600
        words = f"restore {name} {local:%Y-%m-%dT%H:%M:%S}{sign}{hours:02d}:00"
    if truth > now:
        return Expected(words, user, None, "is in the future")
    table = rng.choice((None, None, ".".join(DROPPED_TABLE), ".".join(CREATED_TABLE),
                        "shop.orders", "shop.order"))  # fmt: skip
    if table is not None:
        words += f" table {table}"
    return Expected(words, user, truth)


def full_backup(fleet: Fleet, name: str, point: datetime) -> dict[str, Any] | None:
    """The newest good full backup of `name` ended at or before `point`, from the records."""
    found = [
        stored.record
        for stored in fleet.backups
        if stored.record.get("instance_name") == name
        and stored.record.get("status") in ("COMPLETED", "AVAILABLE")
        and stored.record.get("backup_mode", "completed") == "completed"
        and stored.record.get("end_time")
        and datetime.fromisoformat(stored.record["end_time"]) <= point
    ]
    return max(found, key=lambda r: datetime.fromisoformat(r["end_time"]), default=None)


def table_truth(fleet: Fleet, name: str, table: str, point: datetime, now: datetime) -> str:
    """The sentence the answer must hold about `table`."""
    told = story(fleet, instance_id_for(name), now)
    database, _, short = table.partition(".")
    then = short in tables_at(told, point).get(database, [])
    still = short in tables_at(told, now).get(database, [])
    if then:
        return "and still exists now" if still else "and no longer exists now"
    assert database in SCHEMA
    return "did not exist at that point"
