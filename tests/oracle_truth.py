"""Ground truth for the oracle test: random questions, and what their answers must say.

Pure, and independent of bot/ on purpose: the windows are resolved here from the README's
table by searching for the instants themselves (only ever turning UTC into local time,
never local time into UTC by zoneinfo's fold rules, as bot.core.answering.window does), and the
backups are filtered, sorted and counted straight from the records the simulator
serialises. Where the bot and this module agree, it is not because they share code.

Two rules follow the instance inventory and each instance's policy: an instance exists
iff the inventory lists it or backups show it (`instance_exists`), and an answer warns
about each instance asked about (none named: every listed one, and those the backups
show) whose health is alarming (`alarming_instances`, with the states worked out in
tests/oracle_health.py and the inventory as read in tests/oracle_inventory.py).
"""

from __future__ import annotations

import random
import string
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from tests.oracle_health import GOOD, Box, alarming, state_of
from tests.oracle_inventory import (
    Inventory,
    Listed,
    in_health_read,
    labels,
    listing_note,
    unlisted_boxes,
)

Given = TypeVar("Given")
PAGE_SIZE = 10
SECOND = timedelta(seconds=1)

# Askers, one Slack user per zone: the bot looks each user's zone up once an hour.
ZONES: Mapping[str, str] = {
    "U0ZUTC": "UTC",
    "U0ZPARIS": "Europe/Paris",
    "U0ZSHANGHAI": "Asia/Shanghai",
    "U0ZSANTIAGO": "America/Santiago",
    "U0ZKOLKATA": "Asia/Kolkata",
    "U0ZSTJOHNS": "America/St_Johns",
    "U0ZKIRITIMATI": "Pacific/Kiritimati",
    "U0ZPAGOPAGO": "Pacific/Pago_Pago",
}
STATUS_WORDS: Mapping[str, frozenset[str]] = {
    "failed": frozenset({"FAILED"}),
    "fail": frozenset({"FAILED"}),
    "failures": frozenset({"FAILED"}),
    "building": frozenset({"BUILDING"}),
    "completed": frozenset({"COMPLETED"}),
    "available": frozenset({"AVAILABLE"}),
    "ok": GOOD,
}
UNIT_WORDS: Mapping[str, tuple[str, ...]] = {
    "m": ("m", "min", "mins", "minutes"),
    "h": ("h", "hr", "hours"),
    "d": ("d", "day", "days"),
    "w": ("w", "wk", "weeks"),
}
UNIT_LENGTHS = {
    "m": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
}
LONGEST = {"m": 720, "h": 400, "d": 75, "w": 10}
WEEKDAY_WORDS: tuple[tuple[str, ...], ...] = (
    ("monday", "mon"),
    ("tuesday", "tue", "tues"),
    ("wednesday", "wed"),
    ("thursday", "thu", "thur", "thurs"),
    ("friday", "fri"),
    ("saturday", "sat"),
    ("sunday", "sun"),
)
OFFSETS = ("+08:00", "+00:00", "-03:00", "+05:30", "Z")


@dataclass(frozen=True)
class Row:
    """One backup as the simulator serialises it, with its start in UTC."""

    id: str
    name: str
    instance_id: str
    instance_name: str
    status: str
    type: str
    begin: datetime
    end: datetime | None

    @classmethod
    def of(cls, record: Mapping[str, Any]) -> Row:
        """Read a record as the API sends it (times like 2026-11-27T18:10:00+0800)."""
        return cls(
            id=record["id"],
            name=record["name"],
            instance_id=record["instance_id"],
            instance_name=record["instance_name"],
            status=record["status"],
            type=record["type"],
            begin=_utc(record["begin_time"]),
            end=datetime.fromisoformat(end).astimezone(UTC)
            if (end := record["end_time"])
            else None,
        )


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@dataclass(frozen=True)
class World:
    """Every backup (newest first, once each), the instance listing as read (with each
    policy), the instances only the backups show, and each one's health state at `now`."""

    rows: tuple[Row, ...]
    inventory: Inventory
    unlisted: Mapping[str, Box]  # by id: shown by backups, not by the listing
    states: Mapping[str, str]  # id -> health state at `now`
    now: datetime

    @classmethod
    def of(
        cls, *, records: Iterable[Mapping[str, Any]], inventory: Iterable[Listed], now: datetime
    ) -> World:
        """From the backup records, and the instance records with their policies (None: the
        policy cannot be read), as the simulator serves them."""
        now = now.astimezone(UTC)
        unique = {row.id: row for row in map(Row.of, records)}
        rows = sorted(unique.values(), key=lambda row: row.begin, reverse=True)
        listing = Inventory.of(inventory)
        seen = {row.instance_id: row.instance_name for row in reversed(rows)}
        unlisted = unlisted_boxes(listing, seen.items())
        states = {
            box.id: state_of(box, [row for row in rows if row.instance_id == box.id], now)
            for box in (*listing.boxes.values(), *unlisted.values())
        }
        return cls(tuple(rows), listing, unlisted, states, now)

    @property
    def boxes(self) -> Mapping[str, Box]:
        """Every listed instance, by id."""
        return self.inventory.boxes

    @property
    def instances(self) -> Mapping[str, str]:
        """Every instance a question may name: name -> id (the first listed of a name)."""
        found: dict[str, str] = {}
        for box in (*self.boxes.values(), *self.unlisted.values()):
            if box.name:
                found.setdefault(box.name, box.id)
        return found

    def judged(self, about: Sequence[Target]) -> list[Box]:
        """The instances an answer about `about` judges (none named: every listed one, and
        every one the backups health reads show)."""
        if not about:
            recent = {r.instance_id for r in self.rows if in_health_read(r.begin, self.now)}
            return [
                *self.boxes.values(),
                *(box for box in self.unlisted.values() if box.id in recent),
            ]
        found: dict[str, Box] = {}
        for target in about:
            if target.kind == "id":
                box = self.boxes.get(target.value) or self.unlisted.get(target.value)
                matches = [box] if box is not None else []
            else:
                matches = [b for b in self.boxes.values() if b.name == target.value]
                matches = matches or [b for b in self.unlisted.values() if b.name == target.value]
            found.update((box.id, box) for box in matches)
        return list(found.values())


@dataclass(frozen=True)
class Target:
    """An instance asked about by `name` or by `id`; `value` is what was typed."""

    kind: str  # "name" or "id"
    value: str

    def matches(self, row: Row) -> bool:
        """Whether `row` belongs to this target."""
        return (row.instance_name if self.kind == "name" else row.instance_id) == self.value


@dataclass(frozen=True)
class WindowForm:
    """A window as generated: its `words` and what they mean (`form` and its values)."""

    words: str
    form: str
    amount: timedelta = timedelta(0)
    day: date | None = None
    until: date | None = None
    start: datetime | None = None
    end: datetime | None = None
    weekday: int = 0


DEFAULT_WINDOW = WindowForm("", "default", amount=timedelta(days=7))


@dataclass(frozen=True)
class Question:
    """One random question: its text, who asks it (and so in which zone), what it means."""

    seed: int
    text: str
    user: str
    targets: tuple[Target, ...]
    window: WindowForm
    statuses: frozenset[str]
    backup_type: str | None
    small_bound: bool

    @property
    def zone(self) -> ZoneInfo:
        """The asker's time zone."""
        return ZoneInfo(ZONES[self.user])

    def describe(self) -> str:
        """What a failure message starts with: enough to reproduce it."""
        return (
            f"oracle seed {self.seed}: '/backups {self.text}' asked in {ZONES[self.user]}"
            f"{' with the small bound' if self.small_bound else ''} "
            f"(reproduce: BACKUPBOT_ORACLE_SEED={self.seed} pytest tests/slack/test_oracle.py)"
        )


# -- time: the README's day words, resolved by searching for instants ---------------------


def first_instant(zone: ZoneInfo, wall: datetime) -> datetime:
    """The first instant (whole seconds) whose wall-clock time in `zone` is `wall` or later.

    A plain bisection over UTC seconds: where `wall` does not exist (clocks jump over it)
    this is the first instant after the jump. The predicate is monotonic for the walls
    asked here (00:00, 09:00, 18:00), none of which falls in an hour that repeats.
    """
    low = int((wall.replace(tzinfo=UTC) - timedelta(days=1)).timestamp())
    high = int((wall.replace(tzinfo=UTC) + timedelta(days=1)).timestamp())
    while low < high:
        middle = (low + high) // 2
        local = datetime.fromtimestamp(middle, UTC).astimezone(zone).replace(tzinfo=None)
        if local >= wall:
            high = middle
        else:
            low = middle + 1
    return datetime.fromtimestamp(low, UTC)


def day_start(zone: ZoneInfo, day: date) -> datetime:
    """When `day` begins in `zone`."""
    return first_instant(zone, datetime.combine(day, time(0)))


def day_end(zone: ZoneInfo, day: date) -> datetime:
    """The last second of `day` in `zone`."""
    return day_start(zone, day + timedelta(days=1)) - SECOND


def bounds(window: WindowForm, *, now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The first and last second of `window`, as the README defines its words."""
    today = now.astimezone(zone).date()
    yesterday = today - timedelta(days=1)
    match window.form:
        case "default" | "elapsed":
            return now - window.amount, now
        case "today":
            return day_start(zone, today), now
        case "yesterday":
            return day_start(zone, yesterday), day_end(zone, yesterday)
        case "since_yesterday":
            return day_start(zone, yesterday), now
        case "this_week":
            return day_start(zone, today - timedelta(days=today.weekday())), now
        case "this_month":
            return day_start(zone, today.replace(day=1)), now
        case "last_night":
            begin = first_instant(zone, datetime.combine(yesterday, time(18)))
            end = first_instant(zone, datetime.combine(today, time(9))) - SECOND
            return begin, min(end, now)
        case "since_weekday":
            back = (today.weekday() - window.weekday) % 7
            return day_start(zone, today - timedelta(days=back)), now
        case "day":
            day = _given(window.day)
            return day_start(zone, day), min(day_end(zone, day), now)
        case "since_day":
            return day_start(zone, _given(window.day)), now
        case "days":
            until = _given(window.until)
            return day_start(zone, _given(window.day)), min(day_end(zone, until), now)
        case "since_instant":
            return _given(window.start), now
        case "instants":
            return _given(window.start), _given(window.end)
        case "day_to_instant":
            return day_start(zone, _given(window.day)), _given(window.end)
        case "instant_to_day":
            return _given(window.start), min(day_end(zone, _given(window.until)), now)
    raise AssertionError(f"no such window form {window.form}")


def _given(value: Given | None) -> Given:
    if value is None:
        raise AssertionError("a window form without its values")
    return value


# -- the rules -----------------------------------------------------------------------------


def instance_exists(world: World, name: str) -> bool:
    """Whether an instance of that name exists: the inventory lists it (backups or not), or
    backups show it."""
    return any(box.name == name for box in world.boxes.values()) or any(
        row.instance_name == name for row in world.rows
    )


def alarming_instances(world: World, *, about: Sequence[Target]) -> dict[str, str]:
    """The instances an answer must warn about, as it names them (label -> id): those asked
    about (none named: every instance the inventory lists, and those the backups show)
    whose health state is alarming (not ok, not running)."""
    judged = world.judged(about)
    shown = labels(judged)
    return {shown[box.id]: box.id for box in judged if alarming(world.states[box.id])}


@dataclass(frozen=True)
class Expected:
    """What a true answer to a question says.

    `rows` are the window's backups, targets and type applied (statuses not), once each,
    newest first: what the counts count. `empty` maps each target with none of them to its
    newest backup of the question's type at any time (None: none of that type at all).
    """

    question: Question
    begin: datetime
    end: datetime
    unknown: frozenset[str]
    rows: tuple[Row, ...]
    alarming: Mapping[str, str]  # label -> instance id
    empty: Mapping[str, Row | None]
    listing_note: Mapping[str, int] | None = None
    labels: Mapping[str, str] | None = None  # instance id -> how the answer names it

    def listed(self, rows: Iterable[Row]) -> list[Row]:
        """Those of `rows` with the question's statuses (all, if it names none)."""
        statuses = self.question.statuses
        return [row for row in rows if not statuses or row.status in statuses]


def expect(question: Question, world: World) -> Expected:
    """The truth about `question`, straight from the fleet."""
    begin, end = bounds(question.window, now=world.now, zone=question.zone)
    unknown = frozenset(
        target.value
        for target in question.targets
        if target.kind == "name" and not instance_exists(world, target.value)
    )

    def of_type(row: Row) -> bool:
        return question.backup_type is None or row.type == question.backup_type

    def targeted(row: Row) -> bool:
        return not question.targets or any(target.matches(row) for target in question.targets)

    rows = tuple(
        row for row in world.rows if begin <= row.begin <= end and targeted(row) and of_type(row)
    )
    empty: dict[str, Row | None] = {}
    for target in question.targets:
        if not any(target.matches(row) for row in rows):
            empty[target.value] = next(
                (row for row in world.rows if target.matches(row) and of_type(row)), None
            )
    warned = alarming_instances(world, about=question.targets)
    judged = world.judged(question.targets)
    note = listing_note(world.inventory, judged, named=bool(question.targets))
    return Expected(question, begin, end, unknown, rows, warned, empty, note, labels(judged))


def status_counts(rows: Iterable[Row]) -> Counter[str]:
    """How many of `rows` have each status."""
    return Counter(row.status for row in rows)


def newest(rows: Sequence[Row], count: int) -> tuple[list[Row], list[Row], int]:
    """The newest `count` of `rows` (newest first), which ties in time may leave open:
    the rows surely among them, the rows tied at the cut, and how many of those are in."""
    if count >= len(rows):
        return list(rows), [], 0
    cut = rows[count - 1].begin
    sure = [row for row in rows if row.begin > cut]
    tied = [row for row in rows if row.begin == cut]
    return sure, tied, count - len(sure)


def last_good(world: World, instance_id: str) -> Row | None:
    """An instance's newest good backup, at any time."""
    return next(
        (row for row in world.rows if row.instance_id == instance_id and row.status in GOOD),
        None,
    )


# -- random questions ----------------------------------------------------------------------


def random_question(seed: int, world: World) -> Question:
    """A random question, the same for the same seed and world."""
    rng = random.Random(seed)
    user = rng.choice(sorted(ZONES))
    zone = ZoneInfo(ZONES[user])
    targets = _targets(rng, world)
    window = _window(rng, now=world.now, zone=zone)
    status_words = []
    if rng.random() < 0.45:
        status_words = rng.sample(sorted(STATUS_WORDS), rng.choice((1, 1, 2)))
    statuses = frozenset(status for word in status_words for status in STATUS_WORDS[word])
    backup_type, type_words = rng.choice(
        ((None, []), (None, []), (None, []), ("auto", ["auto"]), ("manual", ["manual"]),
         (None, ["auto", "manual"]))
    )  # fmt: skip
    groups = [[target.value] for target in targets]
    if not targets and rng.random() < 0.2:
        groups.append(["all"])
    if window.words:
        groups.append([_casing(rng, word) for word in window.words.split()])
    groups += [[_casing(rng, word)] for word in [*status_words, *type_words]]
    rng.shuffle(groups)
    return Question(
        seed=seed,
        text=" ".join(word for group in groups for word in group),
        user=user,
        targets=tuple(targets),
        window=window,
        statuses=statuses,
        backup_type=backup_type,
        small_bound=rng.random() < 0.3,
    )


def _casing(rng: random.Random, word: str) -> str:
    """Keywords are case-insensitive: sometimes shout them (dates stay as they are)."""
    if word[:1].isdigit():
        return word
    roll = rng.random()
    return word.upper() if roll < 0.1 else word.capitalize() if roll < 0.2 else word


def _targets(rng: random.Random, world: World) -> list[Target]:
    """0-3 targets: fleet instances by name (sometimes by id, or both), or a name that
    matches nothing."""
    names = sorted(world.instances)
    targets: list[Target] = []
    for name in rng.sample(names, rng.randint(0, 3)):
        roll = rng.random()
        if roll < 0.1:
            targets.append(Target("name", _ghost(rng, name, names)))
        elif roll < 0.2:
            targets.append(Target("id", world.instances[name]))
        elif roll < 0.27:
            targets += [Target("name", name), Target("id", world.instances[name])]
        else:
            targets.append(Target("name", name))
    return targets


def _ghost(rng: random.Random, near: str, names: Sequence[str]) -> str:
    """A name no instance has: a typo of a real one, or a made-up one."""
    if rng.random() < 0.5:
        cut = rng.randrange(1, len(near))
        typo = near[:cut] + near[cut + 1 :]
        if typo not in names and len(typo) >= 4:
            return typo
    return "ghost-" + "".join(rng.choices(string.ascii_lowercase, k=6))


def _window(rng: random.Random, *, now: datetime, zone: ZoneInfo) -> WindowForm:
    today = now.astimezone(zone).date()
    form = rng.choice(
        ("default", "default", "elapsed", "elapsed", "elapsed", "today", "yesterday",
         "since_yesterday", "this_week", "this_month", "last_night", "since_weekday", "day",
         "since_day", "days", "since_instant", "instants", "day_to_instant", "instant_to_day")
    )  # fmt: skip
    if form == "default":
        return DEFAULT_WINDOW
    if form == "elapsed":
        return _elapsed(rng)
    fixed = {
        "today": "today",
        "yesterday": "yesterday",
        "since_yesterday": "since yesterday",
        "this_week": "this week",
        "this_month": "this month",
        "last_night": "last night",
    }
    if form in fixed:
        return WindowForm(fixed[form], form)
    if form == "since_weekday":
        weekday = rng.randrange(7)
        return WindowForm(f"since {rng.choice(WEEKDAY_WORDS[weekday])}", form, weekday=weekday)
    day = _day(rng, today)
    if form == "day":
        return WindowForm(day.isoformat(), form, day=day)
    if form == "since_day":
        return WindowForm(f"since {day.isoformat()}", form, day=day)
    if form == "days":
        until = day + timedelta(days=rng.randint(0, (today - day).days))
        return WindowForm(f"from {day} to {until}", form, day=day, until=until)
    start = _instant(rng, now)
    if form == "since_instant":
        return WindowForm(f"since {_stamp(rng, start)}", form, start=start)
    if form == "instants":
        end = start + (now - start) * rng.uniform(0.05, 0.95) + timedelta(minutes=1)
        end = min(end.replace(second=0, microsecond=0), now - timedelta(minutes=1))
        if end <= start:
            end = now - timedelta(minutes=1)
        return WindowForm(
            f"from {_stamp(rng, start)} to {_stamp(rng, end)}", form, start=start, end=end
        )
    if form == "day_to_instant":
        end = _instant(rng, now)
        day = min(day, end.astimezone(zone).date())
        if day_start(zone, day) >= end:  # the window would end as it begins
            day -= timedelta(days=1)
        return WindowForm(f"from {day} to {_stamp(rng, end)}", form, day=day, end=end)
    until = start.astimezone(zone).date() + timedelta(days=rng.randint(0, 3))
    until = min(until, today)
    return WindowForm(f"from {_stamp(rng, start)} to {until}", form, start=start, until=until)


def _elapsed(rng: random.Random) -> WindowForm:
    unit = rng.choice("mhdw")
    amount = rng.randint(1, LONGEST[unit])
    length = amount * UNIT_LENGTHS[unit]
    keyword = rng.choice(("last", "past"))
    roll = rng.random()
    if roll < 0.15:
        return WindowForm(f"{amount}{unit}", "elapsed", amount=length)
    if roll < 0.25 and unit in "dw":
        word = {"d": "day", "w": "week"}[unit]
        return WindowForm(f"{keyword} {word}", "elapsed", amount=UNIT_LENGTHS[unit])
    if roll < 0.5:
        word = rng.choice(UNIT_WORDS[unit][1:])
        return WindowForm(f"{keyword} {amount} {word}", "elapsed", amount=length)
    return WindowForm(f"{keyword} {amount}{unit}", "elapsed", amount=length)


def _day(rng: random.Random, today: date) -> date:
    """A day up to today: mostly recent, sometimes before the fleet's 60 days of history."""
    back = rng.randint(0, 14) if rng.random() < 0.7 else rng.randint(0, 90)
    return today - timedelta(days=back)


def _instant(rng: random.Random, now: datetime) -> datetime:
    """A whole minute in the last 20 days."""
    moment = now - timedelta(minutes=rng.randint(2, 20 * 24 * 60))
    return moment.replace(second=0, microsecond=0)


def _stamp(rng: random.Random, moment: datetime) -> str:
    """An ISO date-time with an offset, as the README's example writes it."""
    offset = rng.choice(OFFSETS)
    if offset == "Z":
        return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M}Z"
    sign = -1 if offset[0] == "-" else 1
    hours, minutes = offset[1:].split(":")
    shift = timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
    return f"{moment.astimezone(shift):%Y-%m-%dT%H:%M}{offset}"
