"""Everything a user can type after /backups: a query, or a command of its own."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import time

from bot import messages
from bot.core.language.canonical import canonical
from bot.core.language.help import (
    AT_EXAMPLE,
    EXAMPLE_NAME,
    LANG_EXAMPLE,
    TZ_EXAMPLE,
    digest_commands,
)
from bot.core.language.lexicon import (
    ADD_WORD,
    AT_WORD,
    BACKUP_WORD,
    DIGEST_WORDS,
    HEALTH_WORD,
    HELP_WORDS,
    LANG_WORD,
    LIST_WORD,
    NOW_WORD,
    REMOVE_WORD,
    RESTORE_WORD,
    TZ_WORD,
    WATCH_WORDS,
    tokenize,
)
from bot.core.language.parse import parse_query
from bot.core.language.restore_words import parse_restore
from bot.core.query import Query
from bot.core.restore.question import RestoreQuestion
from bot.errors import QueryError
from bot.messages.catalogue import PSEUDO, SHIPPED, shipped
from bot.support.zones import zone_named


@dataclass(frozen=True)
class HelpCommand:
    """`help`: the language, with examples."""


@dataclass(frozen=True)
class QueryCommand:
    """A question about backups."""

    query: Query


@dataclass(frozen=True)
class HealthCommand:
    """`health [TARGET ...]`: each instance's health by its policy, and 14 days at a glance."""

    targets: Query


@dataclass(frozen=True)
class DigestAdd:
    """Post a digest of `targets` every day at `at` (default 09:00) in `zone` (the asker's)."""

    targets: Query
    at: time | None
    zone: str | None
    language: str | None = None  # the locale its digests are written in; None: the workspace's


@dataclass(frozen=True)
class DigestNow:
    """Post a digest of `targets` right now."""

    targets: Query


@dataclass(frozen=True)
class WatchAdd:
    """Alert on new failures and on instances going without a good backup."""

    targets: Query
    language: str | None = None  # the locale its messages are written in; None: the workspace's


@dataclass(frozen=True)
class ListSubscriptions:
    """`digest list` or `watch list`."""

    kind: str


@dataclass(frozen=True)
class RemoveSubscription:
    """`digest remove ID` or `watch remove ID`."""

    kind: str
    id: int


@dataclass(frozen=True)
class BackupCommand:
    """`backup [@profile] INSTANCE [DESCRIPTION]`: take a backup of one instance now, once
    the asker confirms it. The description is the rest of the text, quotes removed."""

    targets: Query
    description: str


@dataclass(frozen=True)
class RestoreCommand:
    """`restore INSTANCE [TIME] [table DB.TABLE]`: can it be restored, and to when."""

    question: RestoreQuestion


Command = (
    BackupCommand
    | HelpCommand
    | RestoreCommand
    | QueryCommand
    | HealthCommand
    | DigestAdd
    | DigestNow
    | WatchAdd
    | ListSubscriptions
    | RemoveSubscription
)
DEFAULT_DIGEST_TIME = time(9, 0)
_TIME_RE = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")


def parse_command(text: str, *, known_names: Collection[str] = ()) -> Command:
    """Read what the user typed; raises QueryError (a UserError) when it cannot."""
    words = tokenize(text)
    first = words[0].lower() if words else ""
    if first in HELP_WORDS:
        return HelpCommand()
    if first == HEALTH_WORD:
        return HealthCommand(_targets(words[1:], known_names, "health"))
    if first in DIGEST_WORDS:
        return _digest(words[1:], known_names)
    if first in WATCH_WORDS:
        return _watch(words[1:], known_names)
    if first == BACKUP_WORD:
        return _backup(text, known_names)
    if first == RESTORE_WORD:
        return RestoreCommand(parse_restore(words[1:], known_names=known_names))
    return QueryCommand(parse_query(text, known_names=known_names))


def _digest(words: list[str], known_names: Collection[str]) -> Command:
    action = words[0].lower() if words else ""
    rest = words[1:]
    if action == ADD_WORD:
        options = _options(rest, (AT_WORD, TZ_WORD, LANG_WORD))
        targets = _targets(options.rest, known_names, "digest")
        return DigestAdd(targets, options.at, options.zone, options.language)
    if action == NOW_WORD:
        return DigestNow(_targets(rest, known_names, "digest"))
    if action == LIST_WORD and not rest:
        return ListSubscriptions("digest")
    if action == REMOVE_WORD:
        return RemoveSubscription("digest", _subscription_id(rest, "digest"))
    raise QueryError(
        messages.not_a_digest_command(action) if action else messages.DIGEST_NEEDS_A_COMMAND,
        digest_commands(),
        word=action or "digest",
    )


def _watch(words: list[str], known_names: Collection[str]) -> Command:
    action = words[0].lower() if words else ""
    if action == LIST_WORD and len(words) == 1:
        return ListSubscriptions("watch")
    if action == REMOVE_WORD:
        return RemoveSubscription("watch", _subscription_id(words[1:], "watch"))
    options = _options(words[1:] if action == ADD_WORD else words, (LANG_WORD,))
    return WatchAdd(_targets(options.rest, known_names, "watch"), options.language)


_QUOTES = "\"'\u201c\u201d\u2018\u2019"  # Slack makes typed quotes curly


def _backup(text: str, known_names: Collection[str]) -> BackupCommand:
    """The instance (and any `@profile`) first, then the description as typed."""
    spans = list(re.finditer(r"\S+", text))[1:]  # past the verb
    head: list[str] = []
    rest_at = len(text)
    instance_seen = False
    for span in spans:
        word = span.group()
        if word.startswith("@") or not instance_seen:
            head.append(word)
            instance_seen = instance_seen or not word.startswith("@")
            continue
        rest_at = span.start()
        break
    instance_words = [word for word in head if not word.startswith("@")]
    if not instance_words:
        raise QueryError(
            messages.BACKUP_NEEDS_AN_INSTANCE, messages.BACKUP_EXAMPLE_HINT, word=BACKUP_WORD
        )
    targets = parse_query(" ".join(head), known_names=known_names)
    if len(targets.targets) != 1 or targets.targets[0].kind == "backup_id":
        raise QueryError(messages.BACKUP_ONE_INSTANCE, messages.BACKUP_EXAMPLE_HINT)
    if targets.window is not None or targets.statuses or targets.backup_type is not None:
        raise QueryError(messages.BACKUP_ONE_INSTANCE, messages.BACKUP_EXAMPLE_HINT)
    description = text[rest_at:].strip()
    if len(description) >= 2 and description[0] in _QUOTES and description[-1] in _QUOTES:
        description = description[1:-1].strip()
    return BackupCommand(Query(targets=targets.targets, profile=targets.profile), description)


@dataclass
class _Options:
    """A subscription's options (at, tz, lang) and the words left: its targets."""

    at: time | None = None
    zone: str | None = None
    language: str | None = None
    rest: list[str] = field(default_factory=list)


_EXAMPLES = {AT_WORD: AT_EXAMPLE, TZ_WORD: TZ_EXAMPLE, LANG_WORD: LANG_EXAMPLE}


def _options(words: list[str], taken: tuple[str, ...]) -> _Options:
    options = _Options()
    position = 0
    while position < len(words):
        word = words[position]
        keyword = word.lower()
        if keyword not in taken:
            options.rest.append(word)
            position += 1
            continue
        if position + 1 >= len(words):
            example = _EXAMPLES[keyword]
            raise QueryError(
                messages.needs_a_value(word), messages.write_example(example), word=word
            )
        value = words[position + 1]
        if keyword == AT_WORD:
            options.at = _time_of_day(value)
        elif keyword == TZ_WORD:
            options.zone = zone_named(value).key
        else:
            options.language = _language(value)
        position += 2
    return options


def _language(tag: str) -> str:
    """A shipped locale named by `tag` (zh-CN, zh_cn, en): the one its posts are in."""
    found = shipped(tag)
    if found is None or found == PSEUDO:
        raise QueryError(messages.not_a_language(tag), messages.languages(SHIPPED), word=tag)
    return found


def _time_of_day(text: str) -> time:
    match = _TIME_RE.match(text)
    if match is None:
        raise QueryError(
            messages.not_a_time_of_day(text),
            messages.TIME_OF_DAY_HINT,
            word=text,
        )
    return time(int(match[1]), int(match[2]))


def _subscription_id(words: list[str], kind: str) -> int:
    text = words[0].lstrip("#") if len(words) == 1 else ""
    if not text.isdigit():
        raise QueryError(
            messages.remove_needs_a_number(kind),
            messages.see_the_numbers(kind),
            word=words[0] if words else "remove",
        )
    return int(text)


def _targets(words: list[str], known_names: Collection[str], kind: str) -> Query:
    query = parse_query(" ".join(words), known_names=known_names)
    example = canonical(Query(targets=query.targets)) or EXAMPLE_NAME
    if query.window is not None or query.statuses or query.backup_type is not None:
        if kind == "health":
            raise QueryError(messages.HEALTH_TAKES_INSTANCES, messages.health_judges_now(example))
        raise QueryError(
            messages.takes_only_instances(kind), messages.covers_the_last_day(kind, example)
        )
    if any(target.kind == "backup_id" for target in query.targets):
        raise QueryError(messages.not_single_backups(kind), messages.NAME_INSTANCES)
    return query


def subscription_targets(text: str, kind: str) -> Query:
    """What a digest or watch covers, written out of chat (the config file): instances only."""
    return _targets(tokenize(text), (), kind)


def time_of_day(text: str) -> time:
    """`HH:MM` on a 24-hour clock, or QueryError."""
    return _time_of_day(text)
