"""Every button carries the complete question: decoding it gives the query it answers,
with only the one change the button stands for."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.backup import BackupStatus
from bot.core.language.parse import parse_query
from bot.core.query import Query
from bot.slack import blocks
from bot.slack.button_state import ButtonState
from tests.core.test_query import queries
from tests.slack.test_blocks import CODEC, answer_of, backup, render

FAILED_ONLY = frozenset({BackupStatus.FAILED})


def _buttons(view: blocks.View) -> list[dict[str, Any]]:
    found = [block["accessory"] for block in view.blocks if "accessory" in block]
    for block in view.blocks:
        if block["type"] == "actions":
            found.extend(block["elements"])
    return found


def _decoded(button: dict[str, Any]) -> tuple[Query, int, str | None]:
    state: ButtonState = CODEC.decode(button["value"])
    return parse_query(state.query), state.page, state.backup_id


@given(queries(), st.integers(min_value=0, max_value=4))
@settings(max_examples=200, deadline=None)
def test_every_button_decodes_to_the_question_with_only_its_own_change(
    query: Query, page: int
) -> None:
    rows = [backup(0, status=BackupStatus.FAILED), *(backup(index) for index in range(1, 60))]
    answer = answer_of(rows, query=query, page=page, page_count=6, matches=len(rows))
    expected = {
        blocks.ACTION_PREVIOUS: (query, page - 1),
        blocks.ACTION_NEXT: (query, page + 1),
        blocks.ACTION_REFRESH: (query, page),
        blocks.ACTION_SHARE: (query, page),
        blocks.ACTION_FAILED_ONLY: (replace(query, statuses=FAILED_ONLY), 0),
    }
    seen: set[str] = set()
    for button in _buttons(render(answer, shareable=True)):
        action = button["action_id"]
        decoded, decoded_page, backup_id = _decoded(button)
        seen.add(action)
        if action == blocks.ACTION_DETAILS:
            assert (decoded, decoded_page) == (query, page)
            assert backup_id in {row.id for row in rows}
            continue
        assert (decoded, decoded_page) == expected[action], action
        assert backup_id is None
    offered = set(expected) - ({blocks.ACTION_PREVIOUS} if page == 0 else set())
    if query.statuses:
        offered.discard(blocks.ACTION_FAILED_ONLY)
    assert offered | {blocks.ACTION_DETAILS} == seen
