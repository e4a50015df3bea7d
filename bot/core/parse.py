"""The command language: `[TARGET ...] [WINDOW] [FILTER ...]`, words in any order.

`parse_query(text)` returns a Query or raises QueryError naming the offending word and
suggesting the fix; nothing else escapes. Every Query has one canonical text form
(`bot.core.canonical`), and `parse_query(canonical(q)) == q`: buttons carry that text and
the cache keys on it.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.core.backup import BackupStatus
from bot.core.canonical import window_text
from bot.core.lexicon import (
    DATE_RE,
    DATETIME_RE,
    INSTANCE_PREFIX,
    KEYWORDS,
    MAX_QUERY_LENGTH,
    MAX_TARGETS,
    NUMBER_RE,
    PROFILE_RE,
    STATUS_WORDS,
    TYPE_WORDS,
    UNIT_WORDS,
    WINDOW_WORDS,
    Words,
    tokenize,
)
from bot.core.params import BACKUP_ID_RE, INSTANCE_ID_RE, NAME_RE
from bot.core.query import BackupType, Query, QueryError, Target, Window
from bot.core.typos import suggest
from bot.core.window_grammar import duration, read_window


def parse_query(text: str, *, known_names: Collection[str] = ()) -> Query:
    """Read a command into a Query, or raise QueryError with the word to blame and a fix.

    `known_names` are instance names seen recently: a word that is one of them is never
    taken for a misspelt keyword.
    """
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            f"that command is too long ({len(text)} characters)",
            f"keep it under {MAX_QUERY_LENGTH}: name at most {MAX_TARGETS} instances",
        )
    targets: set[Target] = set()
    statuses: set[BackupStatus] = set()
    types: set[BackupType] = set()
    windows: list[tuple[str, Window]] = []
    said_all = False
    profiles: list[str] = []
    words = Words(tokenize(text))
    for word in words:
        lowered = word.lower()
        if word.startswith("@"):
            profiles.append(_profile(word))
        elif lowered in STATUS_WORDS:
            statuses |= STATUS_WORDS[lowered]
        elif lowered in TYPE_WORDS:
            types.add(TYPE_WORDS[lowered])
        elif lowered == "all":
            said_all = True
        elif lowered in WINDOW_WORDS or duration(word) or DATE_RE.match(lowered):
            windows.append(read_window(word, words))
        elif lowered.startswith(INSTANCE_PREFIX):
            targets.add(_instance_name(word[len(INSTANCE_PREFIX) :], word))
        elif INSTANCE_ID_RE.match(word):
            targets.add(Target("instance_id", word))
        elif BACKUP_ID_RE.match(word):
            targets.add(Target("backup_id", word))
        else:
            targets.add(_bare_word(word, known_names))
    if len(windows) > 1:
        (_, first), (second_word, second) = windows[:2]
        raise QueryError(
            f"two windows: '{window_text(first)}' and '{window_text(second)}'",
            "keep one of them",
            word=second_word,
        )
    if len(set(profiles)) > 1:
        raise QueryError(
            f"two profiles: @{profiles[0]} and @{profiles[1]}",
            "ask about one cloud account at a time",
            word=f"@{profiles[1]}",
        )
    if said_all and targets:
        raise QueryError(
            "'all' means every instance, but instances were named too",
            "drop 'all' or the names",
            word="all",
        )
    if len(targets) > MAX_TARGETS:
        raise QueryError(
            f"too many targets ({len(targets)})", f"ask about at most {MAX_TARGETS} at once"
        )
    return Query(
        targets=tuple(sorted(targets)),
        window=windows[0][1] if windows else None,
        statuses=frozenset(statuses),
        # both types named means either type: no narrowing
        backup_type=next(iter(types)) if len(types) == 1 else None,
        profile=profiles[0] if profiles else None,
    )


def _profile(word: str) -> str:
    name = word[1:].lower()
    if not PROFILE_RE.match(name):
        raise QueryError(
            f"'{word}' is not a profile name",
            "profiles are named like @prod or @prod-ap (letters, digits, '-' and '_')",
            word=word,
        )
    return name


def _instance_name(name: str, word: str) -> Target:
    if not NAME_RE.match(name):
        raise QueryError(
            f"'{word}' is not an instance name",
            "names have 4-64 letters, digits, '-' or '_' and start with a letter",
            word=word,
        )
    return Target("instance_name", name)


def _bare_word(word: str, known_names: Collection[str]) -> Target:
    lowered = word.lower()
    if word in known_names:
        return Target("instance_name", word)
    typo = suggest(lowered, KEYWORDS) or suggest(lowered, UNIT_WORDS)
    if typo is not None and lowered not in UNIT_WORDS:
        hint = f"did you mean '{typo}'?"
        if NAME_RE.match(word):
            hint += f" For an instance named {word}, write {INSTANCE_PREFIX}{word}"
        raise QueryError(f"unknown word '{word}'", hint, word=word)
    if DATETIME_RE.match(word):
        raise QueryError(
            f"'{word}' on its own is not a window",
            f"write since {word}, or from {word} to ...",
            word=word,
        )
    if lowered in UNIT_WORDS or NUMBER_RE.match(lowered):
        amount = lowered if NUMBER_RE.match(lowered) else "7"
        raise QueryError(
            f"'{word}' on its own is not a window",
            f"write e.g. last {amount}d, last {amount}h or last {amount}w",
            word=word,
        )
    if NAME_RE.match(word):
        return Target("instance_name", word)
    if re.fullmatch(r"[A-Za-z0-9]{30,40}", word):
        raise QueryError(
            f"'{word}' is not an instance or backup id",
            "ids are 32 letters or digits followed by in07 (instances) or br07 (backups)",
            word=word,
        )
    raise QueryError(
        f"unknown word '{word}'",
        "try e.g. 'orders-prod last 7d failed', or 'help' for the whole language",
        word=word,
    )
