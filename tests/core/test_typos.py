"""Typo suggestions: one rule for keywords the parser knows and names the engine has seen."""

from __future__ import annotations

import pytest

from bot.core.language.lexicon import KEYWORDS
from bot.core.language.typos import near, suggest

NAMES = ("orders-prod", "orders-staging", "payments-prod", "users-prod", "db-prod-1", "db-prod-2")


# typed -> suggested: a deletion, an insertion, swaps (inside, at the end), an exact word;
# billing is far from building, two edits are too far, nothing is near, a single letter.
KEYWORD_TYPOS = {
    "faild": "failed",
    "failedd": "failed",
    "fialed": "failed",
    "todya": "today",
    "failed": "failed",
    "billing": None,
    "fxxl": None,
    "xyz": None,
    "a": None,
}


@pytest.mark.parametrize(("word", "suggestion"), KEYWORD_TYPOS.items())
def test_suggest_finds_keywords_within_one_edit(word: str, suggestion: str | None) -> None:
    assert suggest(word, KEYWORDS) == suggestion


def test_suggest_ignores_choices_too_short_to_be_told_apart() -> None:
    assert suggest("x", ["m", "h"]) is None
    assert suggest("ox", ["ok"]) is None
    assert suggest("ox", ["ok"], within=0) is None
    assert suggest("al", ["all"]) == "all"


def test_suggest_within_two_edits() -> None:
    assert suggest("fail", ["failed"], within=2) == "failed"


def test_near_names_are_a_typo_away_nearest_first() -> None:
    assert near("ordrs-prod", NAMES, within=2, most=3) == ["orders-prod"]
    assert near("Orders-Prod", NAMES, within=2, most=3) == ["orders-prod"]
    assert near("db-prod-3", NAMES, within=2, most=3) == ["db-prod-1", "db-prod-2"]
    assert near("orders-prd", NAMES, within=2, most=1) == ["orders-prod"]


def test_near_leaves_out_names_that_only_share_a_suffix() -> None:
    assert near("billing-prod", NAMES, within=2, most=3) == []
    assert near("usrs-prod", NAMES, within=2, most=3) == ["users-prod"]


def test_near_keeps_the_given_order_between_equally_near_choices() -> None:
    assert near("cat", ["bat", "cap", "car"], within=1, most=3) == ["bat", "cap", "car"]
    assert near("cat", ["car", "cap"], within=1, most=1) == ["car"]
