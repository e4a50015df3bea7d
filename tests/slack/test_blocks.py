"""Block Kit rendering: valid for Slack in every shape, escaped, within every limit."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import messages
from bot.core.answering.answer import Answer, EmptyTarget
from bot.core.answering.summary import summarise
from bot.core.answering.window import resolve
from bot.core.backup import Backup, BackupStatus
from bot.core.health.assess import assess
from bot.core.health.instances import Instance
from bot.core.health.reports import FleetHealth
from bot.core.language.parse import parse_query
from bot.core.query import Query, Target
from bot.errors import StaleButton, UpstreamError
from bot.slack import blocks
from bot.slack.button_state import ButtonCodec, ButtonState
from bot.slack.views.home_tab import home_view
from bot.slack.views.notices import apology_view, error_view, help_view, upstream_error_view
from bot.slack.views.results import answer_view, detail_view
from tests.conftest import NOW
from tests.fakes.blockkit import assert_valid_blocks

CODEC = ButtonCodec(b"test key")
UTC_ZONE = ZoneInfo("UTC")


def backup(
    index: int,
    *,
    instance: str = "orders-prod",
    status: BackupStatus = BackupStatus.COMPLETED,
    name: str | None = None,
    description: str = "",
) -> Backup:
    return Backup(
        id=f"{index:032d}br07",
        name=name or f"TaurusDB-{instance}-{index:06d}",
        begin_time=NOW - timedelta(hours=index + 1),
        end_time=NOW - timedelta(hours=index),
        status=status,
        take_up_time=7,
        type="auto",
        size=48_000 + index,
        instance_id=f"{abs(hash(instance)) % 10**30:032d}in07",
        instance_name=instance,
        description=description,
    )


def by_threshold(backups: list[Backup], *, since: datetime) -> FleetHealth:
    """Health of the instances `backups` show, judged by the age threshold alone."""
    instances = {
        b.instance_id: Instance.seen_in_backups(b.instance_id, b.instance_name) for b in backups
    }
    return assess(
        list(instances.values()), {}, backups, now=NOW, covered_since=since, zone=UTC_ZONE
    )


def answer_of(backups: list[Backup], text: str = "last 7d", **overrides: object) -> Answer:
    query = parse_query(text)
    window = resolve(query.effective_window, now=NOW, zone=UTC_ZONE)
    fields: dict[str, object] = {
        "query": query,
        "window": window,
        "backups": tuple(backups[:10]),
        "page": 0,
        "page_count": max(1, (len(backups) + 9) // 10),
        "matches": len(backups),
        "summary": summarise(backups, covered_since=window.begin, complete=True),
        "window_total": len(backups),
        "health": by_threshold(backups, since=window.begin or NOW),
        "as_of": NOW - timedelta(seconds=12),
        "from_cache": False,
        "requests": 1,
        "empty_targets": (),
    }
    fields.update(overrides)
    return Answer(**fields)  # type: ignore[arg-type]


def render(answer: Answer, *, shareable: bool = True, simulated: bool = False) -> blocks.View:
    return answer_view(answer, codec=CODEC, now=NOW, shareable=shareable, simulated=simulated)


def test_a_full_page_is_valid_block_kit_with_every_part() -> None:
    rows = [
        backup(i, status=BackupStatus.FAILED if i == 3 else BackupStatus.COMPLETED)
        for i in range(25)
    ]
    view = render(answer_of(rows))
    assert_valid_blocks(view.blocks)
    text = json.dumps(view.blocks)
    assert view.blocks[0]["type"] == "header"
    assert ":red_circle: *1 failed*" in text
    assert "<!date^" in text
    assert "page 1 of 3" in text
    assert "as of <!date^" in text
    assert "12 s ago" in text
    actions = [e["action_id"] for e in view.blocks[-1]["elements"]]
    assert actions == [
        blocks.ACTION_NEXT,
        blocks.ACTION_REFRESH,
        blocks.ACTION_FAILED_ONLY,
        blocks.ACTION_SHARE,
    ]
    assert sum(1 for b in view.blocks if b.get("accessory")) == 10


def test_failed_only_is_offered_only_where_it_helps() -> None:
    healthy = render(answer_of([backup(i) for i in range(3)]))
    assert blocks.ACTION_FAILED_ONLY not in json.dumps(healthy.blocks)
    rows = [backup(0, status=BackupStatus.FAILED)]
    already = render(answer_of(rows, "failed last 7d"))
    assert blocks.ACTION_FAILED_ONLY not in json.dumps(already.blocks)


def test_the_failed_only_button_carries_the_narrowed_query() -> None:
    view = render(answer_of([backup(0, status=BackupStatus.FAILED)], "orders-prod last 2d manual"))
    value = next(
        e["value"]
        for e in view.blocks[-1]["elements"]
        if e["action_id"] == blocks.ACTION_FAILED_ONLY
    )
    assert CODEC.decode(value) == ButtonState("orders-prod last 2d failed manual", 0)


def test_many_stale_instances_collapse_within_limits() -> None:
    rows = [backup(200 + i, instance=f"instance-{i:03d}") for i in range(300)]
    answer = answer_of(rows, "last 60d")
    view = render(answer)
    assert_valid_blocks(view.blocks)
    assert "more instances" in json.dumps(view.blocks)


def test_hostile_names_and_descriptions_are_escaped() -> None:
    evil = "<!channel> & <@U123>"
    rows = [backup(0, status=BackupStatus.FAILED, name="x" * 64, description=evil)]
    view = render(answer_of(rows))
    text = json.dumps(view.blocks) + view.text
    assert "<!channel>" not in text
    assert "&lt;!channel&gt; &amp; &lt;@U123&gt;" in text


def test_the_longest_possible_query_still_fits_header_and_buttons() -> None:
    names = " ".join(f"n{i}" + "x" * 62 for i in range(10))
    answer = answer_of(
        [backup(0)],
        f"{names} from 2026-11-01T09:00:00+08:00 to 2026-11-20T09:00:00+08:00 ok manual",
    )
    view = render(answer)
    assert_valid_blocks(view.blocks)
    assert len(view.blocks[0]["text"]["text"]) <= 150


def test_an_empty_answer_says_so_and_explains_empty_targets() -> None:
    target = Target("instance_name", "orders-prod")
    answer = answer_of([], "orders-prod last 2d", empty_targets=(EmptyTarget(target, backup(90)),))
    view = render(answer)
    assert_valid_blocks(view.blocks)
    text = json.dumps(view.blocks)
    assert "No backups match" in text
    assert "has no backups in the last 2d" in text


@pytest.mark.parametrize(
    ("text", "newest_type", "says"),
    [
        pytest.param(
            "orders-prod since 2026-11-20 manual",
            "manual",
            "has no manual backups since 2026-11-20; its newest manual one is from",
            id="type",
        ),
        pytest.param(
            "orders-prod failed since 2026-11-20",
            "auto",
            "has no backups of any status since 2026-11-20; its newest is from",
            id="status",
        ),
        pytest.param(
            "orders-prod failed since 2026-11-20 manual",
            "manual",
            "has no manual backups of any status since 2026-11-20; its newest manual one is from",
            id="type-and-status",
        ),
    ],
)
def test_an_empty_target_note_honours_every_filter(text: str, newest_type: str, says: str) -> None:
    newest = backup(24 * 13).model_copy(update={"type": newest_type})
    target = Target("instance_name", "orders-prod")
    view = render(answer_of([], text, empty_targets=(EmptyTarget(target, newest),)))
    assert_valid_blocks(view.blocks)
    assert says in json.dumps(view.blocks)


def test_an_instance_with_none_of_the_type_at_all_is_said_so() -> None:
    target = Target("instance_name", "legacy-crm")
    answer = answer_of([], "legacy-crm last 7d manual", empty_targets=(EmptyTarget(target, None),))
    assert "`legacy-crm` has no manual backups at all" in json.dumps(render(answer).blocks)


def test_counts_past_the_bound_say_what_they_cover() -> None:
    rows = [backup(i) for i in range(30)]
    partial = answer_of(
        rows,
        "last 60d",
        summary=summarise(rows, covered_since=rows[-1].begin_time, complete=False),
        window_total=12_340,
    )
    text = json.dumps(render(partial).blocks)
    assert "counts cover the newest 30 of 12,340 backups" in text
    assert "counts cover" not in json.dumps(render(answer_of(rows, "last 60d")).blocks)


def test_warnings_come_from_health_not_from_the_rows_shown() -> None:
    rows = [backup(40, instance="orders-prod")]  # its good backup in the window is 41 h old
    fresh = backup(1, instance="orders-prod")  # but health, as of now, saw a newer one
    health = by_threshold([fresh, *rows], since=NOW - timedelta(days=7))
    text = json.dumps(render(answer_of(rows, "orders-prod yesterday", health=health)).blocks)
    assert ":warning:" not in text


def test_simulated_data_is_labelled() -> None:
    assert "simulated data" in json.dumps(render(answer_of([backup(0)]), simulated=True).blocks)
    assert "simulated data" not in json.dumps(render(answer_of([backup(0)])).blocks)


def test_details_show_every_field_and_a_way_back() -> None:
    record = backup(1).model_copy(update={"backup_level": "2"})
    record = Backup.model_validate({**record.model_dump(mode="json"), "zone": "az1"})
    view = detail_view(record, codec=CODEC, back=ButtonState("last 7d", 2), simulated=False)
    assert_valid_blocks(view.blocks)
    text = json.dumps(view.blocks)
    for field in ("backup_level", "take_up_time", "instance_id", "zone"):
        assert field in text
    value = view.blocks[-1]["elements"][0]["value"]
    assert CODEC.decode(value) == ButtonState("last 7d", 2)


@pytest.mark.parametrize(
    "view",
    [
        help_view(),
        error_view("unknown word '<!here>'", "did you mean 'failed'?"),
        upstream_error_view(
            UpstreamError(
                "The TaurusDB API refused the request",
                status=401,
                error_code="APIGW.0301",
                error_msg="<bad>",
                request_id="abc",
                hint="Check the keys.",
            )
        ),
        apology_view("deadbeef01"),
    ],
    ids=["help", "error", "upstream", "apology"],
)
def test_every_other_view_is_valid_and_escaped(view: blocks.View) -> None:
    assert_valid_blocks(view.blocks)
    assert "<!here>" not in json.dumps(view.blocks) + view.text
    assert "<bad>" not in json.dumps(view.blocks)


def test_home_is_a_valid_surface() -> None:
    rows = [backup(i, status=BackupStatus.FAILED) for i in range(20)]
    lines = [f"digest #{i} in <#C0{i:06d}>: every instance daily" for i in range(40)]
    view = home_view(
        answer_of(rows, "failed last 7d"), subscriptions=lines, now=NOW, simulated=True
    )
    assert view["type"] == "home"
    assert_valid_blocks(view["blocks"], limit=100)
    assert "and 12 more" in json.dumps(view)
    assert "and 10 more" in json.dumps(view)
    empty = home_view(messages.HOME_COULD_NOT_READ, subscriptions=[], now=NOW, simulated=False)
    assert_valid_blocks(empty["blocks"], limit=100)
    assert "/backups digest add" in json.dumps(empty)


@given(st.text(max_size=300), st.integers(0, 10_000), st.one_of(st.none(), st.text(max_size=40)))
@settings(max_examples=200, deadline=None)
def test_button_state_round_trips(query: str, page: int, backup_id: str | None) -> None:
    state = ButtonState(query, page, backup_id)
    value = CODEC.encode(state)
    assert len(value) <= 2000
    assert CODEC.decode(value) == state


@pytest.mark.parametrize(
    "value",
    [
        "",
        "not json",
        "[]",
        '{"s": "{}", "m": "0"}',
        CODEC.encode(ButtonState("last 7d", 1)).replace("last 7d", "last 9d"),
        ButtonCodec(b"another deployment").encode(ButtonState("last 7d", 1)),
    ],
    ids=["empty", "garbage", "list", "bad-mac", "tampered", "other-key"],
)
def test_stale_or_tampered_values_are_refused_politely(value: str) -> None:
    with pytest.raises(StaleButton) as caught:
        CODEC.decode(value)
    assert "ask again" in caught.value.hint


def test_a_value_from_another_version_is_stale() -> None:
    body = json.dumps({"v": 0, "q": "last 7d", "p": 0}, separators=(",", ":"))
    mac = hmac.new(b"test key", body.encode(), hashlib.sha256).hexdigest()[:20]
    with pytest.raises(StaleButton):
        CODEC.decode(json.dumps({"s": body, "m": mac}))


def test_queries_render_as_their_canonical_text() -> None:
    view = render(answer_of([backup(0)], "FAILED last 7D orders-prod"))
    assert view.blocks[0]["text"]["text"] == "Backups: orders-prod last 7d failed"
    assert Query() == parse_query("")
