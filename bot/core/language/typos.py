"""Typo suggestions: which known words are a slip of the keyboard away from what was typed.

One rule for every "did you mean": keywords the parser knows, and instance names the
engine has seen.
"""

from __future__ import annotations

from collections.abc import Iterable


def _edits(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one edit (typos, not spelling)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def near(word: str, choices: Iterable[str], *, within: int = 1, most: int = 1) -> list[str]:
    """The choices within `within` edits of `word`, nearest first, at most `most` of them.

    Equally near choices keep the order they were given in. Only choices longer than
    `within + 1` count: one edit turns any letter into "m".
    """
    found = [
        (_edits(word, choice), choice)
        for choice in choices
        if len(choice) > within + 1 and abs(len(choice) - len(word)) <= within
    ]
    found.sort(key=lambda pair: pair[0])
    return [choice for distance, choice in found if distance <= within][:most]


def suggest(word: str, choices: Iterable[str], *, within: int = 1) -> str | None:
    """The choice nearest to `word`, if it is within `within` edits (see `near`)."""
    nearest = near(word, choices, within=within)
    return nearest[0] if nearest else None
