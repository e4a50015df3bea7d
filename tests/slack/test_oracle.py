"""The oracle: random questions through the front door, every answer checked against truth.

Each seed draws one question (tests/oracle_truth.py): 0-3 targets from the fleet (or a
name that matches nothing), a window in the language's words, statuses, a type, and an
asker in one of several time zones. It goes in as a signed `/backups` command to backupbot
serving HTTP against the simulator; every further page is fetched by clicking the Next
button the answer carries, as Slack would; and what the messages say is compared with
ground truth computed straight from the simulator's fleet: the counts, every backup over
all pages, the warnings (every instance asked about, or every listed one, whose
policy-aware health is alarming) and the notes.

CI runs the first CI_RUNS seeds; those whose answer the oracle found untrue are kept in
KNOWN_UNTRUE, marked xfail(strict) with what is wrong, until bot/ is fixed. To explore,
`BACKUPBOT_ORACLE_RUNS=500 pytest tests/slack/test_oracle.py`; to reproduce one,
`BACKUPBOT_ORACLE_SEED=1234 pytest tests/slack/test_oracle.py`.
One backupbot answers every seed (a second one has a small bound on the rows an answer
counts), so its cache is shared as in production; the fleet and the clock stand still,
so an answer does not depend on the questions before it.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.app.wiring import App
from bot.core.answering.cache import ListingCache
from bot.core.answering.engine import Engine, Engines
from bot.core.health.inventory_cache import DEFAULT_INVENTORY_TTL, InventoryCache
from bot.huawei.simulator import Fleet, SimulatorState
from bot.huawei.simulator.server import SimulatorServer
from bot.slack import blocks
from bot.support.serving import ServerThread
from tests.conftest import NOW, FakeTime, fixed_clock, make_api
from tests.fakes.slack import FakeSlack, create_fake_slack
from tests.oracle_health import GOOD
from tests.oracle_truth import (
    PAGE_SIZE,
    ZONES,
    Expected,
    Row,
    World,
    day_end,
    day_start,
    expect,
    last_good,
    newest,
    random_question,
    status_counts,
)
from tests.slack.conftest import Harness, start_bot

CI_RUNS = 50
ODD_RUNS = 25  # the same questions, the inventory served with odd values
DEFAULT_BOUND = 5_000  # BACKUPBOT_MAX_WINDOW_ROWS' default
SMALL_BOUND = 25  # rows an answer counts at most, for the bot that shows its coverage line
MAX_WARNINGS = 8  # warnings listed before "…and N more instances"
# Seeds whose answer the oracle found untrue, each with what is wrong: they stay in the
# budget, expected to fail until bot/ is fixed (strict: a fix makes them fail as XPASS).
KNOWN_UNTRUE: dict[int, str] = {}


def seeds(runs: int = CI_RUNS) -> list[Any]:
    """The seeds to run: one if BACKUPBOT_ORACLE_SEED, else BACKUPBOT_ORACLE_RUNS (CI: `runs`)."""
    if os.environ.get("BACKUPBOT_ORACLE_SEED"):
        chosen = [int(os.environ["BACKUPBOT_ORACLE_SEED"])]
    else:
        chosen = list(range(int(os.environ.get("BACKUPBOT_ORACLE_RUNS", runs))))
    return [
        pytest.param(
            seed,
            id=f"seed{seed}",
            marks=[pytest.mark.xfail(reason=KNOWN_UNTRUE[seed], strict=True)]
            if seed in KNOWN_UNTRUE
            else [],
        )
        for seed in chosen
    ]


@dataclass(repr=False)  # a failure's report shows the question, not the whole fleet
class Oracle:
    """The servers every seed shares, and the truth they are checked against."""

    world: World
    slack: FakeSlack
    slack_url: str
    bots: dict[bool, tuple[App, ServerThread]]  # by "has the small bound"


@contextmanager
def served(state: SimulatorState, folder: Path) -> Iterator[Oracle]:
    """The simulator holding `state`, a fake Slack that knows each asker's zone, two
    backupbots, and the truth computed from what the simulator serves."""
    world = World.of(
        records=[stored.record for stored in state.fleet.backups],
        inventory=[(served.record, served.policy) for served in state.served_inventory()],
        now=NOW,
    )
    fake = FakeSlack(user_zones=dict(ZONES))
    with SimulatorServer(state) as simulator, ServerThread(create_fake_slack(fake)) as slack:
        fake_slack = (fake, slack.url)

        def engine(bound: int) -> Engines:
            """As production builds it (instances and policies read too), with `bound`."""
            api = make_api(httpx.AsyncClient(), simulator.url, FakeTime(), timeout=10)
            engine = Engine.over(
                source=api,
                cache=ListingCache(ttl=60, maxsize=64, clock=fixed_clock),
                clock=fixed_clock,
                inventory=InventoryCache(api, ttl=DEFAULT_INVENTORY_TTL, clock=fixed_clock),
                max_window_rows=bound,
            )
            return Engines.single(engine)

        bots = {
            small: start_bot(
                simulator,
                fake_slack,
                FakeTime(),
                folder / f"bound{bound}.sqlite3",
                engines=engine(bound),
            )
            for small, bound in ((False, DEFAULT_BOUND), (True, SMALL_BOUND))
        }
        try:
            yield Oracle(world, fake, slack.url, bots)
        finally:
            for _, server in bots.values():
                server.stop()


@pytest.fixture(scope="module")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oracle]:
    """The demo fleet, served as it is."""
    state = SimulatorState(fleet=Fleet.demo(NOW), clock=fixed_clock)
    with served(state, tmp_path_factory.mktemp("oracle")) as made:
        yield made


# Odd values the SDK's models accept (and two it cannot place), one instance each, and a
# listing without total_count: answers must stay true (tests/oracle_inventory.py).
ODDITIES = {
    "status_null": ("orders-staging",),
    "keep_days_abc": ("orders-prod",),
    "created_naive": ("sessions-prod", "archive-prod"),
    "created_unreadable": ("users-prod",),
    "no_id": ("inventory-prod",),
    "twin": ("payments-prod",),
    "period_fullwidth": ("search-prod",),
    "period_superscript": ("billing-prod",),
    "policy_keep_days_abc": ("ledger-prod",),
    "no_total_count": (),
}


@pytest.fixture(scope="module")
def odd_oracle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oracle]:
    """The demo fleet, its inventory served with ODDITIES."""
    state = SimulatorState(fleet=Fleet.demo(NOW), clock=fixed_clock)
    state.knobs.odd = {name: frozenset(names) for name, names in ODDITIES.items()}
    with served(state, tmp_path_factory.mktemp("odd-oracle")) as made:
        yield made


# -- reading what Slack received -------------------------------------------------------------


@dataclass(frozen=True)
class ShownRow:
    """One backup as an answer lists it."""

    name: str
    status: str
    instance: str
    type: str
    begin: datetime


@dataclass
class Shown:
    """One answer message, read back: what a person in Slack would see."""

    error: str | None = None
    counts: Counter[str] = field(default_factory=Counter)
    coverage: tuple[int, int | None] | None = None
    window_line: str = ""
    warnings: dict[str, str] = field(default_factory=dict)
    more: int = 0
    notes: dict[str, str] = field(default_factory=dict)
    rows: list[ShownRow] = field(default_factory=list)
    page: int = 0
    pages: int = 0
    matches: int = -1
    buttons: dict[str, str] = field(default_factory=dict)
    listing_note: dict[str, int] | None = None


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def read(payload: dict[str, Any]) -> Shown:
    """What a response_url message says."""
    message = payload["blocks"]
    message = json.loads(message) if isinstance(message, str) else message
    if message[0]["type"] != "header":
        return Shown(error=message[0]["text"]["text"])
    shown = Shown()
    lines = message[1]["text"]["text"].split("\n")
    shown.counts = Counter(
        {
            status.upper(): _number(count)
            for count, status in re.findall(
                r"([\d,]+) (failed|building|completed|available|unknown)", lines[0]
            )
        }
    )
    if lines[1].startswith("_counts cover"):
        of = re.search(r"newest ([\d,]+) of ([\d,]+) backups", lines[1])
        window = re.search(r"newest ([\d,]+) backups of the window", lines[1])
        if of is not None:
            shown.coverage = (_number(of[1]), _number(of[2]))
        elif window is not None:
            shown.coverage = (_number(window[1]), None)
        else:
            raise AssertionError(f"unreadable coverage line {lines[1]!r}")
        lines.pop(1)
    shown.window_line = lines[1]
    for block in message[2:]:
        text = block.get("text", {}).get("text", "")
        if block.get("accessory", {}).get("action_id") == blocks.ACTION_DETAILS:
            first, second = text.split("\n")[:2]
            head = re.fullmatch(r"\S+ \*(\w+)\* `([^`]*)`", first)
            tail = re.match(r"`([^`]*)` · (\S+) · <!date\^(\d+)\^", second)
            if head is None or tail is None:
                raise AssertionError(f"unreadable backup {text!r}")
            shown.rows.append(
                ShownRow(
                    name=head[2],
                    status=head[1],
                    instance=tail[1],
                    type=tail[2],
                    begin=datetime.fromtimestamp(int(tail[3]), UTC),
                )
            )
        elif block["type"] == "section" and text.startswith((":warning:", ":information_source:")):
            _read_notes(shown, text)
        elif block["type"] == "context":
            for element in block["elements"]:
                paging = re.search(r"page (\d+) of (\d+) · (\d+) match", element["text"])
                if paging is not None:
                    shown.page, shown.pages, shown.matches = map(int, paging.groups())
        elif block["type"] == "actions":
            shown.buttons = {button["action_id"]: button["value"] for button in block["elements"]}
    return shown


LISTING_NOTE = (
    r":information_source: backupbot could not read part of the instance listing \((.+)\): "
    r"health judges those instances without it"
)
NOTE_PARTS = (
    r"the ([a-z ]+) of ([\d,]+) instances?",
    r"([\d,]+) instance records? (without an id)",
)


def _read_listing_note(parts: str) -> dict[str, int]:
    counted: dict[str, int] = {}
    for part in parts.split("; "):
        field_of = re.fullmatch(NOTE_PARTS[0], part)
        no_id = re.fullmatch(NOTE_PARTS[1], part)
        if field_of is not None:
            counted[field_of[1]] = _number(field_of[2])
        elif no_id is not None:
            counted[no_id[2]] = _number(no_id[1])
        else:
            raise AssertionError(f"unreadable part of the listing note {part!r}")
    return counted


def _read_notes(shown: Shown, text: str) -> None:
    for line in text.split("\n"):
        warning = re.fullmatch(r":warning: `([^`]+)`: (.+)", line)
        more = re.fullmatch(r"…and (\d+) more instances?", line)
        note = re.fullmatch(r":information_source: `([^`]+)` (.+)", line)
        listing = re.fullmatch(LISTING_NOTE, line)
        if listing is not None:
            shown.listing_note = _read_listing_note(listing[1])
        elif warning is not None:
            shown.warnings[warning[1]] = warning[2]
        elif more is not None:
            shown.more = int(more[1])
        elif note is not None:
            shown.notes[note[1]] = note[2]
        else:
            raise AssertionError(f"unreadable note {line!r}")


# -- asking, as Slack would ----------------------------------------------------------------


def _reply(slack: FakeSlack, url_id: str) -> dict[str, Any]:
    """The message posted to response_url `url_id`, once it arrives (a condition, no sleep)."""

    def posted(call: Any) -> bool:
        return bool(call.method == "response_url" and call.payload.get("url_id") == url_id)

    calls = slack.wait_for(lambda calls: any(posted(call) for call in calls))
    return next(call.payload for call in calls if posted(call))


async def ask_every_page(door: Harness, text: str, *, user: str, limit: int) -> list[Shown]:
    """Ask, then click Next until there is none (at most `limit` pages)."""
    acked = await door.command(text, user=user)
    assert acked.status_code == 200, acked.text
    pages = [read(_reply(door.slack, f"r{door.response_urls}"))]
    while blocks.ACTION_NEXT in pages[-1].buttons and len(pages) < limit:
        clicked = await door.click(
            blocks.ACTION_NEXT, pages[-1].buttons[blocks.ACTION_NEXT], user=user
        )
        assert clicked.status_code == 200, clicked.text
        pages.append(read(_reply(door.slack, f"r{door.response_urls}")))
    return pages


# -- checking ------------------------------------------------------------------------------


AGE_UNITS = {"s": 1, "min": 60, "h": 3600, "d": 86400}


def _age_claim(text: str) -> tuple[timedelta, timedelta]:
    """'4 d' claims an age in [4 d, 5 d): ages are shown rounded down."""
    value, unit = text.split()
    seconds = AGE_UNITS[unit]
    return timedelta(seconds=int(value) * seconds), timedelta(seconds=(int(value) + 1) * seconds)


CLAIM_END = r"(?=[;,)]|$)"


def check_warning(world: World, name: str, instance_id: str, said: str) -> str | None:
    """What is untrue in a warning's claims about the backups of the instance shown as
    `name`, if anything: how old its last good one is, or that there is none (good, or at
    all) in some time."""
    if not said.strip():
        return f"{name}: a warning without a reason"
    good = last_good(world, instance_id)
    age = None if good is None else world.now - good.begin
    for claim in re.findall(rf"last good backup (\d+ \w+) ago{CLAIM_END}", said):
        low, high = _age_claim(claim)
        if age is None or not low <= age < high:
            return f"{name}: said '{said}', but its last good backup is {age} old"
    for claim in re.findall(rf"no good backup in the last (\d+ \w+){CLAIM_END}", said):
        low, _ = _age_claim(claim)
        if age is not None and age < low:
            return f"{name}: said '{said}', but its last good backup is {age} old"
    for claim in re.findall(rf"no backups at all in the last (\d+ \w+){CLAIM_END}", said):
        low, _ = _age_claim(claim)
        newest_row = next((row for row in world.rows if row.instance_id == instance_id), None)
        if newest_row is not None and world.now - newest_row.begin < low:
            return f"{name}: said '{said}', but it has a backup from {newest_row.begin}"
    return None


def check_note(expected: Expected, target: str, said: str) -> str | None:
    """What is untrue in the note about a target with nothing in the window, if anything."""
    asked = expected.question
    kind = f"{asked.backup_type} " if asked.backup_type else ""
    newest_of_type = expected.empty[target]
    if newest_of_type is None:
        wanted = f"has no {kind}backups at all"
        return None if said == wanted else f"{target}: said '{said}', expected '{wanted}'"
    any_status = "of any status " if asked.statuses else ""
    if not said.startswith(f"has no {kind}backups {any_status}"):
        return f"{target}: said '{said}', not 'has no {kind}backups {any_status}…'"
    stamp = re.search(r"its newest (?:\w+ one )?is from <!date\^(\d+)\^", said)
    if stamp is None or int(stamp[1]) != int(newest_of_type.begin.timestamp()):
        return f"{target}: said '{said}', but its newest {kind}backup began {newest_of_type.begin}"
    return None


def check_answer(expected: Expected, pages: list[Shown], *, world: World, bound: int) -> list[str]:
    """Everything untrue or missing in an answer's pages."""
    first = pages[0]
    if expected.unknown:
        unknown = sorted(expected.unknown)
        if first.error is None or not any(f"no instance named {n}" in first.error for n in unknown):
            return [
                f"expected 'no instance named' one of {unknown}, got {first.error or 'an answer'}"
            ]
        return []
    if first.error is not None:
        return [f"expected an answer, got: {first.error}"]
    problems, counted = _check_counts(expected, first, bound=bound)
    return [
        *problems,
        *_check_listing(expected, pages, counted),
        *_check_warnings(expected, first, world),
        *_check_notes(expected, first),
    ]


@dataclass(frozen=True)
class Counted:
    """The rows an answer's counts cover: `sure` ones, and `extra` of the `tied` ones
    (rows at the same second as the last one counted, which the API may order either way)."""

    sure: list[Row]
    tied: list[Row]
    extra: int


def _check_counts(expected: Expected, first: Shown, *, bound: int) -> tuple[list[str], Counted]:
    """(a) The counts are those of the whole window, or of its newest `bound` rows when
    the answer says so, and say so truly."""
    problems = []
    rows = list(expected.rows)
    if first.coverage is None:
        counted = Counted(rows, [], 0)
        if first.counts != status_counts(rows):
            problems.append(f"counts {dict(first.counts)}, truth {dict(status_counts(rows))}")
    else:
        covered, total = first.coverage
        counted = Counted(*newest(rows, covered))
        if covered != bound:
            problems.append(f"counts cover {covered} rows; the bound is {bound}")
        if total is not None and (total != len(rows) or total <= covered):
            problems.append(f"coverage says {covered} of {total}; the window has {len(rows)}")
        sure = status_counts(counted.sure)
        left = first.counts - sure
        if (
            any(first.counts[status] < count for status, count in sure.items())
            or sum(left.values()) != counted.extra
            or left - status_counts(counted.tied)
        ):
            problems.append(
                f"counts {dict(first.counts)} are not those of the newest {covered} "
                f"(truth {dict(status_counts(rows[:covered]))})"
            )
    if ("(default)" in first.window_line) != (expected.question.window.form == "default"):
        problems.append(f"window shown as '{first.window_line}'")
    return problems, counted


def _check_listing(expected: Expected, pages: list[Shown], counted: Counted) -> list[str]:
    """(b) Every page, every backup: exactly the counted rows with the question's statuses,
    newest first, once each, each shown as it is."""
    problems = []
    listed = [row for page in pages for row in page.rows]
    names = [row.name for row in listed]
    must = {row.name for row in expected.listed(counted.sure)}
    may = {row.name for row in expected.listed(counted.tied)}
    if len(set(names)) != len(names):
        problems.append(f"listed twice: {sorted(n for n, c in Counter(names).items() if c > 1)}")
    if missing := must - set(names):
        problems.append(f"{len(missing)} backups missing, e.g. {sorted(missing)[:3]}")
    if stray := set(names) - must - may:
        problems.append(f"{len(stray)} backups that do not belong, e.g. {sorted(stray)[:3]}")
    elif len(set(names) - must) > counted.extra:
        problems.append(f"{len(set(names) - must)} rows tied at the cut, {counted.extra} fit")
    if any(later.begin > earlier.begin for earlier, later in itertools.pairwise(listed)):
        problems.append("not newest first")
    truth = {row.name: row for row in expected.rows}
    for shown in listed:
        real = truth.get(shown.name)
        if real is not None and _as_shown(real, expected) != shown:
            problems.append(f"{shown} is shown, but the backup is {_as_shown(real, expected)}")
    first = pages[0]
    pages_wanted = max(1, math.ceil(len(listed) / PAGE_SIZE))
    for number, page in enumerate(pages, start=1):
        if (page.page, page.pages, page.matches) != (number, pages_wanted, len(listed)):
            problems.append(
                f"page {number} says 'page {page.page} of {page.pages} · {page.matches} matches'"
                f"; {len(listed)} backups were listed"
            )
        if len(page.rows) != min(PAGE_SIZE, len(listed) - (number - 1) * PAGE_SIZE):
            problems.append(f"page {number} lists {len(page.rows)} backups")
        if (page.counts, page.warnings, page.notes) != (first.counts, first.warnings, first.notes):
            problems.append(f"page {number} says other counts, warnings or notes than page 1")
    failed_only = blocks.ACTION_FAILED_ONLY in first.buttons
    if failed_only != (not expected.question.statuses and first.counts["FAILED"] > 0):
        problems.append(f"'Failed only' button {'shown' if failed_only else 'missing'}")
    return problems


def _check_warnings(expected: Expected, first: Shown, world: World) -> list[str]:
    """(c) Warnings name exactly the instances asked about (none named: every listed
    one) whose health is alarming, and what they claim about backups is true."""
    problems = []
    warned, truth = set(first.warnings), set(expected.alarming)
    ids = {**{box.name or box.id: box.id for box in world.boxes.values()}, **expected.alarming}
    states = {name: world.states.get(ids.get(name, ""), "?") for name in sorted(truth ^ warned)}
    if first.more == 0 and warned != truth:
        problems.append(
            f"warned about {sorted(warned)}, truth {sorted(truth)}: "
            f"missing {sorted(truth - warned)}, wrongly {sorted(warned - truth)} "
            f"(their states in truth: {states})"
        )
    if first.more and (
        len(warned) != MAX_WARNINGS or not warned <= truth or len(warned) + first.more != len(truth)
    ):
        problems.append(
            f"warned about {sorted(warned)} and {first.more} more; truth {sorted(truth)}"
        )
    for name, said in first.warnings.items():
        if name not in expected.alarming:
            continue  # said above
        if (wrong := check_warning(world, name, expected.alarming[name], said)) is not None:
            problems.append(wrong)
    if first.listing_note != expected.listing_note:
        problems.append(f"listing note {first.listing_note}, truth {expected.listing_note}")
    return problems


def _check_notes(expected: Expected, first: Shown) -> list[str]:
    """(d) A note for each target with nothing in the window, honouring the filters."""
    problems = []
    if set(first.notes) != set(expected.empty):
        problems.append(f"notes about {sorted(first.notes)}, truth {sorted(expected.empty)}")
    for target, said in first.notes.items():
        if target in expected.empty and (wrong := check_note(expected, target, said)):
            problems.append(wrong)
    return problems


def _as_shown(row: Row, expected: Expected) -> ShownRow:
    """A row as a true answer shows it: its instance named as the answer names it."""
    instance = (expected.labels or {}).get(row.instance_id, row.instance_name)
    return ShownRow(row.name, row.status, instance, row.type, row.begin)


async def check_seed(oracle: Oracle, seed: int) -> None:
    """Ask seed's question through the front door; fail with everything untrue in it."""
    asked = random_question(seed, oracle.world)
    expected = expect(asked, oracle.world)
    print(asked.describe())
    bot, server = oracle.bots[asked.small_bound]
    problems_before = len(oracle.slack.problems)
    async with httpx.AsyncClient(timeout=30) as client:
        door = Harness(
            bot=bot,
            server=server,
            slack=oracle.slack,
            slack_url=oracle.slack_url,
            client=client,
            response_urls=seed * 1_000_000,  # response_url ids unique across seeds
        )
        limit = math.ceil(len(expected.rows) / PAGE_SIZE) + 2
        pages = await ask_every_page(door, asked.text, user=asked.user, limit=limit)
    bound = SMALL_BOUND if asked.small_bound else DEFAULT_BOUND
    problems = check_answer(expected, pages, world=oracle.world, bound=bound)
    problems += oracle.slack.problems[problems_before:]
    truth = f"truth: {expected.begin} to {expected.end}, {len(expected.rows)} backups counted"
    assert not problems, "\n  ".join([asked.describe(), truth, *problems])


@pytest.mark.parametrize("seed", seeds())
async def test_every_answer_is_true(oracle: Oracle, seed: int) -> None:
    await check_seed(oracle, seed)


@pytest.mark.parametrize("seed", seeds(ODD_RUNS))
async def test_every_answer_is_true_with_odd_values_in_the_inventory(
    odd_oracle: Oracle, seed: int
) -> None:
    await check_seed(odd_oracle, seed)


def test_the_oracle_resolves_days_across_clock_changes() -> None:
    """The truth's own day words, checked by hand against the zones' rules."""
    santiago, paris = ZoneInfo("America/Santiago"), ZoneInfo("Europe/Paris")
    # Chile's clocks jump from 00:00 to 01:00 on 2026-09-06: a 23-hour day.
    assert day_start(santiago, date(2026, 9, 6)) == datetime(2026, 9, 6, 4, tzinfo=UTC)
    assert day_end(santiago, date(2026, 9, 6)) == datetime(2026, 9, 7, 2, 59, 59, tzinfo=UTC)
    # France's go back from 03:00 to 02:00 on 2026-10-25: a 25-hour day.
    assert day_start(paris, date(2026, 10, 25)) == datetime(2026, 10, 24, 22, tzinfo=UTC)
    assert day_end(paris, date(2026, 10, 25)) == datetime(2026, 10, 25, 22, 59, 59, tzinfo=UTC)
    # At NOW it is already tomorrow in Kiritimati (UTC+14).
    kiritimati = ZoneInfo("Pacific/Kiritimati")
    assert day_start(kiritimati, date(2026, 11, 28)) == datetime(2026, 11, 27, 10, tzinfo=UTC)


def test_the_fleet_has_what_the_oracle_needs(oracle: Oracle) -> None:
    """Without these, the oracle would check less than it seems to: failures today and
    before, manual and automated backups, instances with and without a recent good backup,
    a fleet without duplicate names (backups are told apart by name on screen), and
    instances in most health states, quiet and alarming."""
    world = oracle.world
    today = day_start(ZoneInfo("UTC"), world.now.date())
    failed = [row.begin for row in world.rows if row.status == "FAILED"]
    assert any(begin >= today for begin in failed), "a failure today"
    assert any(begin < today for begin in failed), "a failure before today"
    assert {row.type for row in world.rows} >= {"auto", "manual"}
    assert {row.status for row in world.rows} >= {*GOOD, "FAILED", "BUILDING"}
    ages = {
        box.id: world.now - good.begin if (good := last_good(world, box.id)) else None
        for box in world.boxes.values()
    }
    assert any(age is not None and age > timedelta(days=2) for age in ages.values())
    assert any(age is not None and age < timedelta(hours=26) for age in ages.values())
    names = [row.name for row in world.rows]
    assert len(set(names)) == len(names)
    assert set(world.states.values()) >= {
        "ok",
        "missed",
        "failed after retry",
        "no automated backups",
        "no backups at all",
        "instance not normal",
    }
