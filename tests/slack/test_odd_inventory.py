"""One odd instance never takes the fleet's answers away: through the front door (a signed
`/backups health` and a question to the Bolt app, the bot to the simulator over HTTP),
with the simulator serving odd values the official SDK's models accept.

Each odd value is read row by row, field by field: the row is kept, the field that cannot
be read is dropped and said once; a policy with a value backupbot cannot read is judged
by the threshold, with the reason in plain words; an instance listing that cannot be read
at all leaves health to the instances the backups show, with a one-line note.
"""

from __future__ import annotations

import json
import re

import pytest

from bot.huawei.simulator import SimulatorState
from bot.huawei.simulator.oddities import TWIN_SUFFIX
from bot.huawei.simulator.records import instance_id_for
from tests.fakes.blockkit import assert_valid_blocks
from tests.slack.conftest import Harness

FULL_WIDTH = ",".join(chr(0xFF10 + day) for day in range(1, 8))  # "1,2,...,7" full width


def odd(state: SimulatorState, **oddities: tuple[str, ...]) -> None:
    """Serve `oddities` (each: the instances it applies to) from now on."""
    state.knobs.odd = {name: frozenset(names) for name, names in oddities.items()}


async def ask(harness: Harness, text: str) -> str:
    """`/backups text`, and the whole reply as JSON text; it must be an answer."""
    response = await harness.command(text)
    assert response.status_code == 200
    (call,) = harness.slack.wait_for_method("response_url")
    assert_valid_blocks(call.payload["blocks"])
    text = json.dumps(call.payload["blocks"], ensure_ascii=False)
    assert call.payload["blocks"][0]["type"] == "header", text[:600]
    return text


def reason_of(text: str, label: str) -> str:
    """The health reason line of the instance shown as `label`."""
    found = re.search(rf"\*`{re.escape(label)}`: ([^*]+)\*([^\\]*)", text)
    assert found is not None, f"no reason line for {label}: {text[:1500]}"
    return found[1] + found[2]


async def test_a_null_status_costs_neither_health_nor_a_question(
    harness: Harness, state: SimulatorState
) -> None:
    odd(state, status_null=("orders-prod",))
    health = await ask(harness, "health")
    assert "\\norders-prod   " in health, "its row in the grid"
    assert "`warehouse-prod`: instance not normal" in health, "the others judged as ever"
    assert "status of 1 instance" in health, "what could not be read, said once"
    assert health.count("could not read") == 1


async def test_a_question_about_one_instance_survives_another_ones_null_status(
    harness: Harness, state: SimulatorState
) -> None:
    odd(state, status_null=("legacy-crm",))
    answer = await ask(harness, "orders-prod last 24h")
    assert "TaurusDB-orders-prod-" in answer


async def test_a_field_health_does_not_use_never_matters(
    harness: Harness, state: SimulatorState
) -> None:
    odd(state, keep_days_abc=("orders-prod", "payments-prod"))
    health = await ask(harness, "health")
    assert "could not read" not in health
    assert "orders-prod" in health


async def test_a_created_time_without_an_offset_is_read_as_utc(
    harness: Harness, state: SimulatorState
) -> None:
    """sessions-prod, created 3 days ago and not backed up since, is judged as it is with
    an offset: a TypeError before (naive against aware), an answer now."""
    odd(state, created_naive=("sessions-prod", "orders-prod"))
    health = await ask(harness, "health")
    assert "no backups at all in the last 14 d" in reason_of(health, "sessions-prod")
    assert "could not read" not in health, "a time without an offset is read, not dropped"


@pytest.mark.parametrize(
    ("question", "judged"),
    [
        ("health", "`legacy-crm`: stale"),
        ("legacy-crm last 24h", ":warning: `legacy-crm`: last good"),
    ],
)
async def test_an_unreadable_instance_page_leaves_health_to_the_backups(
    harness: Harness, state: SimulatorState, question: str, judged: str
) -> None:
    odd(state, unreadable_page=())
    text = await ask(harness, question)
    assert "The instance listing could not be read (" in text
    assert judged in text, "judged from its backups, by the threshold"
    assert "sessions-prod" not in text, "without the listing, no backups: not seen"


async def test_an_instance_row_without_an_id_is_set_aside_and_its_backups_still_judged(
    harness: Harness, state: SimulatorState
) -> None:
    odd(state, no_id=("legacy-crm",))
    health = await ask(harness, "health")
    assert "1 instance record without an id" in health
    assert "not in the instance listing" in reason_of(health, "legacy-crm")
    assert "`sessions-prod`: no backups at all" in health, "the rest judged by their policies"


@pytest.mark.parametrize(
    ("oddity", "period"),
    [("period_superscript", "1,2,3,4,5,6,²"), ("period_fullwidth", FULL_WIDTH)],
)
async def test_a_period_of_unicode_digits_is_not_weekdays(
    harness: Harness, state: SimulatorState, oddity: str, period: str
) -> None:
    odd(state, **{oddity: ("legacy-crm",)})
    health = await ask(harness, "health")
    said = reason_of(health, "legacy-crm")
    assert f"policy unknown (not understood: backup period '{period}'" in said, said
    assert "invalid literal" not in health
    assert "stale" in said


async def test_a_policy_value_that_cannot_be_read_is_said_in_plain_words(
    harness: Harness, state: SimulatorState
) -> None:
    odd(state, policy_keep_days_abc=("legacy-crm",))
    health = await ask(harness, "health")
    said = reason_of(health, "legacy-crm")
    assert "policy unknown (not understood: keep_days 'abc' is not a whole number)" in said, said
    assert "HTTP 200" not in health


async def test_two_instances_of_one_name_are_told_apart(
    harness: Harness, state: SimulatorState
) -> None:
    odd(state, twin=("orders-prod",))
    tails = [instance_id_for(name)[-8:] for name in ("orders-prod", "orders-prod" + TWIN_SUFFIX)]
    health = await ask(harness, "health")
    first, second = (f"orders-prod (…{tail})" for tail in tails)
    assert "no backups at all" in reason_of(health, second)
    assert f"`{first}`" not in health, "the one backed up is ok: no reason line in a big fleet"
    rows = [line for line in health.split("\\n") if line.startswith("orders-") and "(…" in line]
    assert [row.split(")")[0][-8:] for row in rows] == tails[::-1], "worst first, both"
    assert rows[0].endswith("no backups at all"), rows
    assert rows[1].endswith("ok"), rows
    answer = await ask_again(harness, "orders-prod last 24h")
    assert f"`{second}`: no backups at all" in answer, "a warning about the one without backups"
    assert f"`{first}` · auto ·" in answer, "its backups name it as the warnings do"


async def ask_again(harness: Harness, text: str) -> str:
    """Another question on the same harness: its reply is the newest response_url call."""
    before = len(harness.slack.calls_to("response_url"))
    assert (await harness.command(text)).status_code == 200
    calls = harness.slack.wait_for_method("response_url", count=before + 1)
    return json.dumps(calls[-1].payload["blocks"], ensure_ascii=False)
