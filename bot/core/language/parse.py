"""The command language: `[TARGET ...] [WINDOW] [FILTER ...]`, words in any order.

`parse_query(text)` returns a Query or raises QueryError naming the offending word and
suggesting the fix; nothing else escapes. Every Query has one canonical text form
(`bot.core.language.canonical`), and `parse_query(canonical(q)) == q`: buttons carry that text and
the cache keys on it.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from bot import messages
from bot.core.backup import BackupStatus
from bot.core.language.canonical import window_text
from bot.core.language.help import EXAMPLE_QUESTION
from bot.core.language.lexicon import (
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
from bot.core.language.typos import suggest
from bot.core.language.window_grammar import duration, read_window
from bot.core.params import BACKUP_ID_RE, INSTANCE_ID_RE, NAME_RE
from bot.core.query import BackupType, Query, Target, Window
from bot.errors import QueryError


def parse_query(text: str, *, known_names: Collection[str] = ()) -> Query:
    """Read a command into a Query, or raise QueryError with the word to blame and a fix.

    `known_names` are instance names seen recently: a word that is one of them is never
    taken for a misspelt keyword.
    """
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            messages.too_long(len(text)),
            messages.keep_it_under(MAX_QUERY_LENGTH, MAX_TARGETS),
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
            messages.two_windows(window_text(first), window_text(second)),
            messages.KEEP_ONE_WINDOW,
            word=second_word,
        )
    if len(set(profiles)) > 1:
        raise QueryError(
            messages.two_profiles(profiles[0], profiles[1]),
            messages.ONE_PROFILE_AT_A_TIME,
            word=f"@{profiles[1]}",
        )
    if said_all and targets:
        raise QueryError(
            messages.ALL_AND_NAMES,
            messages.DROP_ALL_OR_NAMES,
            word="all",
        )
    if len(targets) > MAX_TARGETS:
        raise QueryError(
            messages.too_many_targets(len(targets)), messages.at_most_targets(MAX_TARGETS)
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
            messages.not_a_profile_name(word),
            messages.PROFILE_NAME_HINT,
            word=word,
        )
    return name


def _instance_name(name: str, word: str) -> Target:
    if not NAME_RE.match(name):
        raise QueryError(
            messages.not_an_instance_name(word),
            messages.INSTANCE_NAME_HINT,
            word=word,
        )
    return Target("instance_name", name)


def _bare_word(word: str, known_names: Collection[str]) -> Target:
    lowered = word.lower()
    if word in known_names:
        return Target("instance_name", word)
    typo = suggest(lowered, KEYWORDS) or suggest(lowered, UNIT_WORDS)
    if typo is not None and lowered not in UNIT_WORDS:
        hint = messages.did_you_mean_keyword(typo)
        if NAME_RE.match(word):
            hint += messages.or_write_as_a_name(word, INSTANCE_PREFIX)
        raise QueryError(messages.unknown_word(word), hint, word=word)
    if DATETIME_RE.match(word):
        raise QueryError(
            messages.not_a_window_alone(word),
            messages.write_since_or_from(word),
            word=word,
        )
    if lowered in UNIT_WORDS or NUMBER_RE.match(lowered):
        amount = lowered if NUMBER_RE.match(lowered) else "7"
        raise QueryError(
            messages.not_a_window_alone(word),
            messages.write_last(amount),
            word=word,
        )
    if NAME_RE.match(word):
        return Target("instance_name", word)
    if re.fullmatch(r"[A-Za-z0-9]{30,40}", word):
        raise QueryError(
            messages.not_an_id(word),
            messages.ID_HINT,
            word=word,
        )
    raise QueryError(
        messages.unknown_word(word),
        messages.try_an_example(EXAMPLE_QUESTION),
        word=word,
    )
