"""The harness and the fake Slack themselves: traps a test would not see."""

from __future__ import annotations

from tests.fakes.slack import BOT_USER, FakeSlack
from tests.slack.conftest import Harness


async def test_two_events_without_ids_are_two_events_not_a_retry(harness: Harness) -> None:
    mention = {"type": "app_mention", "user": "U0ASKER", "channel": "C0INCIDENT",
               "text": f"<@{BOT_USER}> orders-prod"}  # fmt: skip
    await harness.event({**mention, "ts": "1.1"})
    await harness.event({**mention, "ts": "1.2"})
    answers = harness.slack.wait_for_method("chat.postMessage", 2)
    assert {call.payload.get("thread_ts") for call in answers} == {"1.1", "1.2"}


def test_wait_for_asks_again_when_no_call_comes() -> None:
    """A predicate on something else than the calls holds without any call arriving: the
    wait sees it long before its timeout (which would fail it, as it fails the old wait)."""
    fake = FakeSlack()
    asked = 0

    def third_time() -> bool:
        nonlocal asked
        asked += 1
        return asked >= 3

    assert fake.wait_for(lambda _: third_time(), timeout=30) == []
    assert asked == 3
