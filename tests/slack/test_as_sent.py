"""What the API sent is shown as it came: a status backupbot does not know, and sizes."""

from __future__ import annotations

import json

from bot.core.backup import Backup
from bot.slack.button_state import ButtonState
from bot.slack.views.results import detail_view
from tests.fakes.blockkit import assert_valid_blocks
from tests.slack.test_blocks import CODEC, answer_of, backup, render


def _as_sent(status: str) -> Backup:
    return Backup.model_validate({**backup(1).model_dump(mode="json"), "status": status})


def test_an_unknown_status_is_listed_as_it_came() -> None:
    view = render(answer_of([_as_sent("DELETING"), backup(2)]))
    assert_valid_blocks(view.blocks)
    text = json.dumps(view.blocks)
    assert "*DELETING*" in text
    assert "*UNKNOWN*" not in text


def test_an_unknown_status_is_detailed_as_it_came() -> None:
    view = detail_view(
        _as_sent("DELETING"), codec=CODEC, back=ButtonState("last 7d"), simulated=False
    )
    assert_valid_blocks(view.blocks)
    text = json.dumps(view.blocks)
    assert "*DELETING*" in text
    assert "*status*\\nDELETING" in text
    assert "UNKNOWN" not in text


def test_a_status_as_it_came_is_escaped() -> None:
    view = render(answer_of([_as_sent("<!channel> GONE")]))
    text = json.dumps(view.blocks)
    assert "<!channel>" not in text
    assert "&lt;!channel&gt; GONE" in text


def test_a_fractional_size_is_shown_in_whole_units() -> None:
    sent = Backup.model_validate({**backup(1).model_dump(mode="json"), "size": 48213.37})
    assert "47.1 GB" in json.dumps(render(answer_of([sent])).blocks)


def test_a_good_backup_without_a_size_is_not_shown_as_0_mb() -> None:
    row = backup(1).model_dump(mode="json")
    del row["size"]
    text = json.dumps(render(answer_of([Backup.model_validate(row)])).blocks)
    assert "size unknown" in text
    assert "0 MB" not in text
