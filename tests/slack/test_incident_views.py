"""A watch's incident messages: valid Block Kit in every state, escaped, within Slack's limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.health.reports import State
from bot.schedule.incidents import Condition, Incident, Transition
from bot.schedule.store import Subscription
from bot.slack.blocks import MAX_SECTION_TEXT
from bot.slack.views.alerts import incident_view, transition_view
from tests.fakes.blockkit import assert_valid_blocks

T0 = datetime(2026, 11, 27, 2, 20, tzinfo=UTC)
WATCH = Subscription(
    id=3, kind="watch", team_id="T1", channel_id="C0WATCH", created_by="U1", targets=(),
    profile=None, at_time=None, timezone=None, origin="slack", enabled=True,
    disabled_reason=None, created_at=T0,
)  # fmt: skip
HOSTILE = "<!channel> & <@U123> *bold* " + "x" * 5000


def incident(
    state: State, reason: str, *, closed: bool = False, label: str = "orders-prod"
) -> Incident:
    return Incident(
        id=1, subscription_id=3, instance="id-1", label=label,
        condition=Condition(state, reason), problem=State.FAILED_AFTER_RETRY,
        changes=3, opened_at=T0, seen_at=T0 + timedelta(hours=1),
        closed_at=T0 + timedelta(hours=1) if closed else None, channel_id="C0WATCH",
        message_ts="1700000000.000100",
    )  # fmt: skip


@pytest.mark.parametrize("state", list(State))
def test_every_state_renders_valid_block_kit(state: State) -> None:
    open_or_resolved = incident(state, "in words", closed=state is State.OK)
    first = incident_view(WATCH, open_or_resolved, simulated=True)
    assert_valid_blocks(first.blocks)
    reply = transition_view(
        WATCH, open_or_resolved, Transition(1, 2, Condition(state, "in words"), T0), simulated=False
    )
    assert_valid_blocks(reply.blocks)
    assert "watch #3" in json.dumps(reply.blocks)


def test_the_first_message_says_the_state_now_and_once_resolved_what_it_was() -> None:
    failing = incident_view(WATCH, incident(State.MISSED, "no backup started"), simulated=False)
    assert "*`orders-prod`: missed*" in json.dumps(failing.blocks)
    assert failing.text == "orders-prod: missed"
    resolved = incident_view(
        WATCH, incident(State.OK, "backed up at 03:10", closed=True), simulated=False
    )
    text = json.dumps(resolved.blocks)
    assert "resolved* at <!date^" in text
    assert "was: failed after retry" in text


def test_what_the_api_and_users_wrote_is_escaped_and_cut_to_slacks_limits() -> None:
    view = incident_view(WATCH, incident(State.FAILED, HOSTILE, label="<!here>"), simulated=False)
    reply = transition_view(
        WATCH,
        incident(State.FAILED, HOSTILE),
        Transition(1, 2, Condition(State.FAILED, HOSTILE), T0),
        simulated=False,
    )
    for made in (view, reply):
        assert_valid_blocks(made.blocks)
        text = json.dumps(made.blocks) + made.text
        assert "<!channel>" not in text
        assert "<!here>" not in text
        assert "<@U123>" not in text
        assert all(
            len(block["text"]["text"]) <= MAX_SECTION_TEXT
            for block in made.blocks
            if block["type"] == "section"
        )
