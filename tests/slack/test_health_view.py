"""The health view and the digest: every state in words, 14 days at a glance, valid Block
Kit within Slack's limits for fleets of 1 to 3,000, escaped, and a grid whose columns
line up in the terminal demo as in Slack."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app.terminal import render_blocks
from bot.core.backup import Backup
from bot.core.health.assess import assess
from bot.core.health.digest import build_digest
from bot.core.health.instances import Instance, PolicyRead, PolicyUnreadable
from bot.core.health.reports import FleetHealth, State
from bot.schedule.outbox import DigestContent
from bot.schedule.store import Subscription
from bot.slack.blocks import MAX_BLOCKS, MAX_SECTION_TEXT, Block, escape, truncate
from bot.slack.button_state import ButtonCodec
from bot.slack.views.digests import digest_view
from bot.slack.views.fleet_health import GRID_MARKS, REASON_LIMIT, health_blocks, health_view
from tests.core.test_health import NOW, at, backup, daily, instance, policy
from tests.fakes.blockkit import assert_valid_blocks

UTC_ZONE = ZoneInfo("UTC")
LATER = NOW + timedelta(minutes=5)
NOTICE = "Without gaussdb:instance:list, health judges only instances seen in backups."
CODEC = ButtonCodec(b"test key")
DIGEST = Subscription(
    id=7, kind="digest", team_id="T1", channel_id="C0DIGEST", created_by="U1", targets=(),
    profile=None, at_time=None, timezone=None, origin="slack", enabled=True,
    disabled_reason=None, created_at=NOW,
)  # fmt: skip
Spec = tuple[Instance, PolicyRead, list[Backup]]


def fleet_of(specs: Sequence[Spec], *, zone: ZoneInfo = UTC_ZONE) -> FleetHealth:
    rows = sorted((b for _, _, own in specs for b in own), key=lambda b: b.begin_time)
    fleet = assess(
        [owner for owner, _, _ in specs],
        {owner.id: read for owner, read, _ in specs},
        rows[::-1],
        now=NOW,
        covered_since=NOW - timedelta(days=14),
        zone=zone,
    )
    return replace(fleet, backups=tuple(rows[::-1]), as_of=NOW - timedelta(minutes=2))


def one_per_state() -> list[Spec]:
    """An instance in each State, worked out as in tests/core/test_health.py."""
    evening = policy("10:00-11:00")
    specs: dict[State, Spec] = {}
    ok = instance("ok-db")
    specs[State.OK] = (ok, policy(), daily(ok, at(14, 2, 10), 14))
    running = instance("running-db")
    building = backup(running, at(27, 10, 5), minutes=None, status="BUILDING")
    specs[State.RUNNING] = (running, evening, [*daily(running, at(14, 10, 5), 13), building])
    failed = instance("failed-db")
    first_try = backup(failed, at(27, 10, 0), minutes=5, status="FAILED")
    specs[State.FAILED] = (failed, evening, [*daily(failed, at(14, 10, 5), 13), first_try])
    twice = instance("twice-db")
    retries = [
        backup(twice, at(27, 2, 10), status="FAILED"),
        backup(twice, at(27, 2, 50), status="FAILED"),
    ]
    specs[State.FAILED_AFTER_RETRY] = (
        twice,
        policy(),
        [*daily(twice, at(14, 2, 10), 13), *retries],
    )
    missed = instance("missed-db")
    specs[State.MISSED] = (missed, policy(), daily(missed, at(14, 2, 10), 13))
    stale = instance("stale-db")
    specs[State.STALE] = (stale, PolicyUnreadable("403 Forbidden"), daily(stale, at(14, 2), 10))
    off = instance("off-db")
    specs[State.NO_AUTOMATED] = (off, policy(keep_days=0), [backup(off, at(20, 9), kind="manual")])
    empty = instance("empty-db")
    specs[State.NO_BACKUPS] = (empty, policy(), [])
    frozen = instance("frozen-db", status="FROZEN")
    specs[State.NOT_NORMAL] = (frozen, policy(), daily(frozen, at(14, 2, 10), 14))
    return list(specs.values())


def sized(count: int) -> list[Spec]:
    """`count` instances: most backed up daily, every 10th missed today, every 13th stale."""
    specs: list[Spec] = []
    for index in range(count):
        owner = instance(f"db-{index:04d}")
        if index % 13 == 5:
            specs.append((owner, PolicyUnreadable("not read"), daily(owner, at(14, 2), 9)))
        elif index % 10 == 3:
            specs.append((owner, policy(), daily(owner, at(14, 2, 10), 13)))
        else:
            specs.append((owner, policy(), daily(owner, at(14, 2, 10), 14)))
    return specs


def dump(blocks: list[Block]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


@functools.cache
def sized_fleet(count: int) -> FleetHealth:
    """Built once per size: FleetHealth is frozen, and 3,000 instances take a second."""
    return fleet_of(sized(count))


def sections(blocks: list[Block]) -> list[str]:
    return [block["text"]["text"] for block in blocks if block["type"] == "section"]


def grid_rows(blocks: list[Block]) -> list[str]:
    """The instance rows of every grid section (two header lines each)."""
    rows = []
    for text in sections(blocks):
        for code_block in re.findall(r"```(.*?)```", text, flags=re.DOTALL):
            rows.extend(code_block.strip("\n").split("\n")[2:])
    return rows


def assert_within_limits(blocks: list[Block]) -> None:
    assert_valid_blocks(blocks)
    assert len(blocks) <= MAX_BLOCKS
    assert all(len(text) <= MAX_SECTION_TEXT for text in sections(blocks))
    assert all(text.count("```") % 2 == 0 for text in sections(blocks))


def test_every_state_is_said_in_words_with_its_reason() -> None:
    fleet = fleet_of(one_per_state())
    # A restore gap is judged from restorable ranges (core/answering/restore_health), not
    # by assess: tests/slack/test_health_command.py shows it through the front door.
    assert {report.state for report in fleet.reports} == set(State) - {State.RESTORE_GAP}
    view = health_view(fleet, title="Backup health", simulated=False, now=LATER)
    assert_within_limits(view.blocks)
    text = dump(view.blocks)
    for report in fleet.reports:
        reason = escape(truncate(report.reason, REASON_LIMIT))
        said = report.state.value
        # a reason that opens with its state's words is not said twice
        rest = reason.removeprefix(said) if reason.startswith(said) else f": {reason}"
        assert f"`{report.instance.name}`: {said}*{rest}" in text
    rows = grid_rows(view.blocks)
    assert [row.split()[0] for row in rows] == [r.instance.name for r in fleet.reports]
    for row, report in zip(rows, fleet.reports, strict=True):
        assert report.state.value in row
    assert "7 of 9 instances need attention" in view.text


@pytest.mark.parametrize("count", [1, 10, 40, 60, 3000])
def test_fleets_of_any_size_fit_slacks_limits(count: int) -> None:
    fleet = sized_fleet(count)
    view = health_view(fleet, title="Backup health", simulated=True, now=LATER)
    assert_within_limits(view.blocks)
    rows = grid_rows(view.blocks)
    shown = [row.split()[0] for row in rows]
    assert shown == [report.instance.name for report in fleet.reports[: len(rows)]]
    more = re.search(r"…and ([\d,]+) more instances?", dump(view.blocks))
    hidden = int(more[1].replace(",", "")) if more else 0
    assert len(rows) + hidden == count
    if count <= 60:
        assert hidden == 0, "a fleet of 60 is shown whole"
        for report in fleet.alarming:
            assert f"`{report.instance.name}`: {report.state.value}*" in dump(view.blocks)


def test_the_collapsed_rest_is_counted_by_state_and_says_all_ok_only_when_true() -> None:
    fleet = sized_fleet(3000)
    few = fleet.alarming[:20] + tuple(r for r in fleet.reports if r.state is State.OK)
    text = dump(
        health_view(replace(fleet, reports=few), title="h", simulated=False, now=LATER).blocks
    )
    assert re.search(r"…and [\d,]+ more instances \(all ok\)", text)
    troubled = replace(fleet, reports=tuple(reversed(fleet.reports)))  # the ok ones first
    text = dump(health_view(troubled, title="h", simulated=False, now=LATER).blocks)
    assert re.search(r"…and [\d,]+ more instances: [\d,]+ missed, [\d,]+ stale, [\d,]+ ok", text)


@pytest.mark.parametrize("budget", range(0, 14))
def test_health_blocks_never_pass_the_budget_they_are_given(budget: int) -> None:
    for fleet in (sized_fleet(3000), fleet_of(one_per_state()), sized_fleet(12)):
        blocks = health_blocks(fleet, max_blocks=budget, now=LATER)
        assert len(blocks) <= budget
        assert_within_limits(blocks)


HOSTILE = ["<!channel>", "*bold* _it_ ~x~", "a```b`c", "&amp; <@U123> <http://x|y>", "x" * 90]


def test_hostile_names_are_escaped_everywhere() -> None:
    specs = [(i := instance(name), policy(), daily(i, at(14, 2, 10), 13)) for name in HOSTILE]
    fleet = fleet_of(specs)
    view = health_view(fleet, title="<!here> health", simulated=False, now=LATER)
    assert_within_limits(view.blocks)
    text = dump(view.blocks[1:]) + view.text  # the header is plain_text: never a mention
    for raw in ("<!channel>", "<!here>", "<@U123>", "<http://x|y>"):
        assert raw not in text
    assert "&amp;amp; &lt;@U123&gt;" in text


def test_the_notice_is_said_once_in_the_view_and_in_the_digest() -> None:
    fleet = replace(fleet_of(sized(40)), notice=NOTICE)
    view = health_view(fleet, title="Backup health", simulated=False, now=LATER)
    assert dump(view.blocks).count(NOTICE) == 1
    digest = digest_message(fleet)
    assert dump(digest).count(NOTICE) == 1
    quiet = health_view(fleet_of(sized(4)), title="h", simulated=False, now=LATER)
    assert ":warning: Without" not in dump(quiet.blocks)


def test_an_empty_fleet_says_so_in_one_line() -> None:
    view = health_view(fleet_of([]), title="Backup health: nope", simulated=False, now=LATER)
    assert_within_limits(view.blocks)
    assert [block["type"] for block in view.blocks] == ["header", "section", "context"]
    assert "No instances to judge" in view.blocks[1]["text"]["text"]
    assert view.text == "Backup health: nope: no instances"


def test_day_labels_are_the_readers_days() -> None:
    kiritimati = ZoneInfo("Pacific/Kiritimati")  # UTC+14: already Saturday the 28th there
    view = health_view(fleet_of(sized(3), zone=kiritimati), title="h", simulated=False, now=LATER)
    (grid,) = [text for text in sections(view.blocks) if "```" in text]
    assert "days in Pacific/Kiritimati" in grid
    assert re.search(r"Nov 15 +Nov 28", grid)
    assert "SMTWTFSSMTWTFS" in grid  # Sunday the 15th to Saturday the 28th


def test_marks_are_single_width_distinct_and_plain_inside_code() -> None:
    marks = list(GRID_MARKS.values())
    assert len(set(marks)) == len(marks) == len(GRID_MARKS)
    assert all(len(mark) == 1 and mark.isascii() and mark not in "`&<> " for mark in marks)


def columns(text: str) -> int:
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def from_column(line: str, column: int) -> str:
    """What a monospace font draws from `column` on."""
    for index in range(len(line) + 1):
        if columns(line[:index]) >= column:
            return line[index:]
    return ""


def test_the_terminal_grid_lines_up_with_wide_and_hostile_names() -> None:
    names = ["订单库-生产-上海", "cafe\u0301-prod", "🚀-launch", *HOSTILE, "ok"]
    specs = [(i := instance(name), policy(), daily(i, at(14, 2, 10), 14)) for name in names]
    specs[0] = (specs[0][0], policy(), daily(specs[0][0], at(14, 2, 10), 13))
    fleet = fleet_of(specs)
    blocks = health_view(fleet, title="h", simulated=False, now=LATER).blocks
    lines = render_blocks(blocks, colour=False, zone=UTC_ZONE).split("\n")
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("instance "))
    header = lines[start]
    column = columns(header) - len(fleet.days)
    assert from_column(header, column) == "SSMTWTFSSMTWTF"
    rows = lines[start + 1 : start + 1 + len(names)]
    assert len(rows) == len(names)
    for row in rows:
        drawn = from_column(row, column)
        assert all(mark in GRID_MARKS.values() for mark in drawn[:14]), row
        assert drawn[14:16] == "  ", row
    assert from_column(rows[0], column)[:14] == "+" * 13 + "!"
    assert "<!channel>" in "\n".join(rows), "the terminal shows the name as it is"


def digest_message(fleet: FleetHealth, *, now: datetime = LATER) -> list[Block]:
    digest = build_digest(fleet, now=now)
    content = DigestContent(DIGEST, now.date(), UTC_ZONE, digest, None, fleet.as_of or NOW)
    view = digest_view(content, codec=CODEC, now=now, simulated=True)
    assert_within_limits(view.blocks)
    return view.blocks


@pytest.mark.parametrize("count", [1, 40, 3000])
def test_the_digest_shows_failures_who_needs_attention_and_the_grid(count: int) -> None:
    fleet = sized_fleet(count)
    owner = fleet.reports[-1].instance  # judged by its automated backups: a manual one fails
    failed = backup(owner, at(27, 1, 0), status="FAILED", kind="manual")
    fleet = replace(fleet, backups=(failed, *fleet.backups))
    blocks = digest_message(fleet)
    text = dump(blocks)
    assert "1 failed in the last 24 h" in text
    assert grid_rows(blocks), "the 14-day grid is there"
    assert "Last 14 days" in text
    alarming = fleet.alarming
    if alarming:
        first = alarming[0]
        assert f"`{first.instance.name}`: {first.state.value}*: {first.reason}" in text
    if count == 40:
        assert f"{len(alarming)} of 40 instances need attention" in text
        assert "more, all fine" in text, "the table of the rest follows"


def test_a_healthy_digest_says_no_instance_needs_attention() -> None:
    blocks = digest_message(fleet_of(sized(3)))
    text = dump(blocks)
    assert "No instance needs attention" in text
    assert "failed in the last 24 h" not in text


def test_a_digest_that_could_not_read_says_why() -> None:
    content = DigestContent(DIGEST, NOW.date(), UTC_ZONE, None, "403 Forbidden", NOW)
    view = digest_view(content, codec=CODEC, now=LATER, simulated=False)
    assert_within_limits(view.blocks)
    assert "Could not read backups: 403 Forbidden" in dump(view.blocks)
    assert view.text.endswith("could not read backups")


def test_views_use_the_time_they_are_shown_at_for_ages() -> None:
    fleet = fleet_of(sized(1))
    (row,) = grid_rows(health_view(fleet, title="h", simulated=False, now=NOW).blocks)
    assert " 8 h " in row  # backed up at 02:10, now 10:30
    later = NOW + timedelta(hours=3)
    (row,) = grid_rows(health_view(fleet, title="h", simulated=False, now=later).blocks)
    assert " 11 h " in row, "a fleet judged earlier shows its backup's age now"
